// Progressive enhancement only: the page works as a plain form without this file.
(function () {
  var form = document.getElementById("search");
  if (!form) return;
  // Changing a filter runs the search at once (from page 1) instead of waiting for the button.
  form.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { form.submit(); });
  });
  // Leave empty fields out of the URL so shared links stay short and readable.
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (el) {
      if (!el.value) el.disabled = true;
    });
  });
  // Back/forward restores the page from cache with those fields still disabled.
  window.addEventListener("pageshow", function () {
    form.querySelectorAll("[disabled]").forEach(function (el) { el.disabled = false; });
  });
  // "/" focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (e) {
    var box = form.querySelector("input[name=q]");
    if (e.key === "/" && document.activeElement !== box) { e.preventDefault(); box.focus(); }
  });
})();
