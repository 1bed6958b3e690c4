/*
 * Period pickers: the month / quarter select offers only the numbers of the chosen kind
 * (months 1–12, quarters I–IV, nothing for the other kinds). The options of each kind are
 * rendered by the server in <template data-period-choices="…"> next to the select.
 */
(function () {
  "use strict";

  function initPicker(select) {
    var form = select.form;
    var kind = form && form.elements.kind;
    if (!kind || !kind.addEventListener) {
      return;
    }
    function sync() {
      var template =
        form.querySelector('template[data-period-choices="' + kind.value + '"]') ||
        form.querySelector('template[data-period-choices=""]');
      if (!template) {
        return;
      }
      var current = select.value;
      select.innerHTML = "";
      select.appendChild(template.content.cloneNode(true));
      var keep = Array.prototype.some.call(select.options, function (option) {
        return option.value === current;
      });
      select.value = keep ? current : select.options[0].value;
      // A year or half-year has no number: the select is left out of the query.
      select.disabled = kind.value !== "month" && kind.value !== "quarter";
    }
    kind.addEventListener("change", sync);
    sync();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-period-number]"), initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
