// Starts Swagger UI on /docs from the OpenAPI URL the page names (data-openapi-url), with
// no call to the online validator: the docs work with no network. A file, not an inline
// script, so a Content-Security-Policy can forbid inline scripts.
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
