/*
 * PCMT Tuyên Quang — the only script of the site. No framework, no inline code.
 * Loaded in <head> without defer so the "js" class is set before first paint
 * (the phone menu then starts collapsed without flashing open).
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* Phone navigation: [data-nav-toggle] opens/closes #site-nav. */
  function initNav() {
    var nav = document.getElementById("site-nav");
    var toggles = document.querySelectorAll("[data-nav-toggle]");
    if (!nav || !toggles.length) {
      return;
    }

    function setOpen(open) {
      nav.classList.toggle("is-open", open);
      Array.prototype.forEach.call(toggles, function (btn) {
        btn.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    Array.prototype.forEach.call(toggles, function (btn) {
      btn.addEventListener("click", function () {
        setOpen(btn.getAttribute("aria-expanded") !== "true");
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        toggles[0].focus();
      }
    });
  }

  /*
   * Confirmation: data-confirm="…" on a submit button / link asks when it is
   * clicked; on a <form> it asks when the form is submitted.
   */
  function confirmed(element) {
    var message = element && element.getAttribute("data-confirm");
    return !message || window.confirm(message);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest
      ? event.target.closest("a[data-confirm], button[data-confirm], input[data-confirm]")
      : null;
    if (target && !target.disabled && !confirmed(target)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    // Already asked on the button's click: do not ask twice.
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm")) {
      return;
    }
    if (!confirmed(form)) {
      event.preventDefault();
    }
  }, true);

  /*
   * A form that changes data is sent once: after the first press its submit buttons are disabled,
   * so a double tap on a slow link sends one request (the server refuses a replay as well:
   * apps/core/formtokens.py). GET forms (filters, pickers) are left alone. Runs in the bubbling
   * phase, after the data-confirm check above, and ignores a submission that was cancelled.
   */
  var SUBMITTERS = 'button[type="submit"], button:not([type]), input[type="submit"]';

  function setSending(form, sending) {
    if (sending) {
      form.setAttribute("data-sending", "true");
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
    }
    Array.prototype.forEach.call(form.querySelectorAll(SUBMITTERS), function (button) {
      button.disabled = sending;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    // A download that changes nothing (a draft PDF) stays on the page and may be pressed again.
    if (form.hasAttribute("data-repeatable")) {
      return;
    }
    if (form.hasAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "true");
    // Disabled once the browser has collected the form data: a disabled button would drop its own
    // name and value from what is sent.
    window.setTimeout(function () {
      setSending(form, true);
    }, 0);
  });

  // Back to a page kept in the browser's cache: its forms can be used again (with a new page they
  // would carry a new token anyway; the old one is refused by the server if it was used).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      setSending(form, false);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initNav);
  } else {
    initNav();
  }
})();
