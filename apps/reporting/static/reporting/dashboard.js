// Dashboards: on a wide screen every section starts open; on a phone they start collapsed (the
// page would be ~15,000 px long) and open on demand. A section the user toggled stays as set.
(function () {
  "use strict";
  function openWide() {
    if (!window.matchMedia("(min-width: 900px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (el) { el.open = true; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openWide);
  else openWide();
})();
