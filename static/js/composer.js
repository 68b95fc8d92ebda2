// The composer's enhancements: drafts kept in this browser, pasted photos and their previews, an inline preview
// and @mention completion. Without this script the form still posts text, photos and a preview request.
(function () {
  "use strict";
  var DRAFT = "th-draft:", SENT = "th-draft-sent";

  function draftKey(form, field) { return formPrefix(form) + field.name; }
  function store(fn) { try { return fn(); } catch (e) { return null; } }  // storage may be off (private mode)

  // --- drafts ---------------------------------------------------------------------------------------------
  function formPrefix(form) { return DRAFT + new URL(form.action, location.href).pathname + ":"; }

  // A form was sent from the last page: unless this page shows that form again with an error, it was posted and
  // its draft goes.
  function clearSentDraft(forms) {
    var sent = store(function () { return sessionStorage.getItem(SENT); });
    if (!sent) return;
    store(function () { sessionStorage.removeItem(SENT); });
    var failed = Array.prototype.some.call(forms, function (form) {
      return formPrefix(form) === sent && form.querySelector(".error");
    });
    if (failed) return;
    store(function () {
      Object.keys(localStorage).forEach(function (key) { if (key.indexOf(sent) === 0) localStorage.removeItem(key); });
    });
  }

  function keepDrafts(form) {
    var fields = form.querySelectorAll("textarea[name=body], input[name=title]");
    fields.forEach(function (field) {
      var key = draftKey(form, field);
      if (!field.value) {
        var saved = store(function () { return localStorage.getItem(key); });
        if (saved) { field.value = saved; field.classList.add("draft-restored"); }
      }
      var timer = null;
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          store(function () { field.value ? localStorage.setItem(key, field.value) : localStorage.removeItem(key); });
        }, 400);
      });
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "preview") return;
      store(function () { sessionStorage.setItem(SENT, formPrefix(form)); });
    });
  }

  // --- photos: paste and previews ----------------------------------------------------------------------------
  function showPhotos(input, list) {
    list.textContent = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (!/^image\//.test(file.type)) return;
      var item = document.createElement("li"), img = document.createElement("img");
      img.alt = file.name; img.width = 72; img.height = 72;
      var reader = new FileReader();
      reader.onload = function () { img.src = reader.result; };  // a data: URL (our CSP allows no blob:)
      reader.readAsDataURL(file);
      item.appendChild(img); list.appendChild(item);
    });
  }

  function addPasted(input, files) {
    if (typeof DataTransfer === "undefined") return false;
    var transfer = new DataTransfer();
    Array.prototype.forEach.call(input.files || [], function (f) { transfer.items.add(f); });
    files.forEach(function (f, i) {
      var name = f.name && f.name !== "image.png" ? f.name : "pasted-" + Date.now() + "-" + i + ".png";
      transfer.items.add(new File([f], name, { type: f.type }));
    });
    input.files = transfer.files;
    input.dispatchEvent(new Event("change"));
    return true;
  }

  function photoPicker(form) {
    var input = form.querySelector("input[type=file][name=photos]");
    var list = form.querySelector(".photo-previews");
    if (!input || !list) return;
    input.addEventListener("change", function () { showPhotos(input, list); });
    var body = form.querySelector("textarea[name=body]");
    if (!body) return;
    body.addEventListener("paste", function (event) {
      var items = (event.clipboardData && event.clipboardData.files) || [];
      var images = Array.prototype.filter.call(items, function (f) { return /^image\//.test(f.type); });
      if (images.length && addPasted(input, images)) event.preventDefault();
    });
  }

  // --- preview ----------------------------------------------------------------------------------------------
  function previewButton(form) {
    var button = form.querySelector("[data-preview-url]");
    var box = form.querySelector(".composer-preview"), target = form.querySelector("[data-preview-body]");
    if (!button || !box || !target) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("body", form.elements.body.value);
      if (form.elements.csrf_token) data.append("csrf_token", form.elements.csrf_token.value);
      fetch(button.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin",
                                         headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          box.hidden = false;
          if (answer.html !== undefined) { target.innerHTML = answer.html; }  // cleaned by the server's sanitiser
          else { target.textContent = answer.error || ""; }
        })
        .catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
    });
  }

  // --- @mentions --------------------------------------------------------------------------------------------
  function mentions(area) {
    var list = document.createElement("ul"), timer = null, active = -1, found = [];
    list.className = "mention-list"; list.hidden = true; list.setAttribute("role", "listbox");
    list.id = "mentions-" + Math.random().toString(36).slice(2);
    list.setAttribute("aria-label", area.dataset.mentionsLabel || "@");
    area.setAttribute("aria-controls", list.id); area.setAttribute("aria-autocomplete", "list");
    area.parentNode.insertBefore(list, area.nextSibling);

    function typed() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /(^|[^\w.+-])@([^\s@]{1,30})$/.exec(before);
      return match ? match[2] : null;
    }
    function close() { list.hidden = true; active = -1; area.removeAttribute("aria-activedescendant"); }
    function pick(index) {
      var member = found[index], query = typed();
      if (!member || query === null) return close();
      var caret = area.selectionStart, start = caret - query.length;
      area.value = area.value.slice(0, start) + member.name + " " + area.value.slice(caret);
      area.selectionStart = area.selectionEnd = start + member.name.length + 1;
      area.dispatchEvent(new Event("input")); close(); area.focus();
    }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0) area.setAttribute("aria-activedescendant", list.children[active].id);
    }
    function show(members) {
      found = members; list.textContent = ""; active = members.length ? 0 : -1;
      members.forEach(function (member, i) {
        var li = document.createElement("li"), img = document.createElement("img");
        li.id = list.id + "-" + i; li.setAttribute("role", "option");
        img.src = member.avatar; img.alt = ""; img.width = 24; img.height = 24; img.className = "avatar";
        li.appendChild(img); li.appendChild(document.createTextNode(" " + member.name));
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = !members.length; mark();
    }
    area.addEventListener("input", function () {
      var query = typed();
      clearTimeout(timer);
      if (query === null) return close();
      timer = setTimeout(function () {
        fetch(area.dataset.mentions + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { members: [] }; })
          .then(function (answer) { if (typed() === query) show(answer.members || []); })
          .catch(close);
      }, 200);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + found.length) % found.length; mark();
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) { event.preventDefault(); pick(active); }
      } else if (event.key === "Escape") { close(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  var composers = document.querySelectorAll("form[data-composer]");
  clearSentDraft(composers);
  composers.forEach(function (form) {
    keepDrafts(form); photoPicker(form); previewButton(form);
  });
  document.querySelectorAll("textarea[data-mentions]").forEach(mentions);
})();
