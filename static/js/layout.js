// Layout helpers; every page works without this script.
(function () {
  "use strict";
  // A table or box that scrolls sideways can be reached and scrolled with the keyboard.
  function markScrollers() {
    document.querySelectorAll("table.grid, table.poll-results, .consent, .post-body pre, .post-body table")
      .forEach(function (box) {
        var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.dataset.scrollFocus = "1";
        } else if (!scrolls && box.dataset.scrollFocus) {
          box.removeAttribute("tabindex");
          delete box.dataset.scrollFocus;
        }
      });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(markScrollers, 100);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markScrollers);
  else markScrollers();
})();
