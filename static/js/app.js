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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initNav);
  } else {
    initNav();
  }
})();
