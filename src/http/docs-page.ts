// GET /docs: Swagger UI over /openapi.json, with every script and style served by the service itself.

export interface DocsAssets {
  /** swagger-ui-bundle.js and swagger-ui.css from swagger-ui-dist, read by the runtime entry. */
  readonly script: string;
  readonly style: string;
}

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sms-verify API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

export const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, validatorUrl: null });\n`;

/** No request may leave for another origin: the page must work with no network. */
export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";
