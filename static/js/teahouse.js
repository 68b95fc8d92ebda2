// Small progressive enhancements; every page works without this script.
(function () {
  "use strict";

  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Code colours come from data attributes (no inline styles under our CSP).
  document.querySelectorAll("[data-colour]").forEach(function (el) {
    if (/^#[0-9a-fA-F]{6}$/.test(el.dataset.colour)) el.style.color = el.dataset.colour;
  });

  // Hosts insert canned replies into the reply box.
  document.querySelectorAll("select[data-canned-for]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.selectedOptions[0];
      var area = select.form ? select.form.elements[select.dataset.cannedFor]
                             : document.getElementById(select.dataset.cannedFor);
      if (!option || !option.dataset.body || !area) return;
      area.value = (area.value ? area.value.replace(/\s*$/, "\n\n") : "") + option.dataset.body;
      area.focus();
      select.value = "";
    });
  });

  // Upvotes toggle in place instead of reloading the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("react-form") || event.defaultPrevented) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { form.submit(); return null; }
      return response.json();
    }).then(function (data) {
      if (!data) return;
      var button = form.querySelector("button.react");
      button.classList.toggle("active", data.upvoted);
      button.setAttribute("aria-pressed", data.upvoted ? "true" : "false");
      button.querySelector(".count").textContent = data.count;
      if (data.label) button.setAttribute("aria-label", data.label);
    }).catch(function () { form.submit(); });
  });
})();
