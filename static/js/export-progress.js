// Polls an export's status and moves the progress bar until the file is ready.
(function () {
  "use strict";
  var box = document.getElementById("export-status");
  if (!box || ["done", "failed", "expired", "delivered"].indexOf(box.dataset.status) >= 0) return;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("export-progress").value = data.progress;
        document.getElementById("export-percent").textContent = data.progress;
        document.getElementById("export-rows").textContent = data.rows;
        var state = document.getElementById("export-state");
        state.textContent = data.status_label || data.status;
        state.dataset.state = data.status;
        if (data.status === "done") {
          document.getElementById("export-download").hidden = false;
        } else if (data.status === "delivered" || data.status === "expired") {
          return;
        } else if (data.status === "failed") {
          document.getElementById("export-error").textContent = data.error || "";
          document.getElementById("export-failed").hidden = false;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
