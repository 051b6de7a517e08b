// Progressive enhancement only: every page works as plain links and form GETs without this file.
(function () {
  "use strict";

  // Forms marked data-clean-url submit to a short URL: empty fields and defaults left out,
  // so a link pasted into a chat stays readable. Building the URL (instead of disabling the
  // empty fields before a native submit) leaves the form intact for the back button.
  function cleanUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      var field = form.elements[name];
      var fallback = field && field.dataset ? field.dataset.default : undefined;
      value = String(value).trim();
      if (value && value !== fallback) params.append(name, value);
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  document.querySelectorAll("form[data-clean-url]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      window.location.assign(cleanUrl(form));
    });
    // Changing a filter runs the search at once (from page 1), as readers expect of a select.
    form.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { form.requestSubmit(); });
    });
  });

  // Back/forward: Chromium restores the fields as the reader last left them (or the whole
  // page from its cache), which may be a filter chosen just before leaving. Reset them to
  // what this page's URL says, so the form always matches the results under it.
  window.addEventListener("pageshow", function (e) {
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (e.persisted || (nav && nav.type === "back_forward")) {
      document.querySelectorAll("form[data-clean-url]").forEach(function (form) { form.reset(); });
    }
  });

  // "/" jumps to the search box, as on many search sites, unless the reader is typing.
  document.addEventListener("keydown", function (e) {
    var box = document.querySelector("input[name=q]");
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName));
    if (e.key !== "/" || !box || typing || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    box.focus();
    box.select();
  });

  // "复制引用" copies the citation; without clipboard access, the text is selected instead.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector("[role=status]");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.innerText.trim();
      function selectIt(message) {
        var range = document.createRange();
        range.selectNodeContents(source);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        if (status) status.textContent = message;
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { if (status) status.textContent = "已复制 (copied)"; },
          function () { selectIt("已选中，请按 Ctrl+C 复制"); });
      } else {
        selectIt("已选中，请按 Ctrl+C 复制");
      }
    });
  });
})();
