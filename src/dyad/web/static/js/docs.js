// The API's interactive reference: Swagger UI (vendored) over this server's OpenAPI spec.
window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
