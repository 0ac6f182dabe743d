/** The documentation page: no inline script (a strict CSP holds), Chinese first. */
export const DOCS_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>医务管理平台 API 文档 · MedAffairs API</title>
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/assets/docs.css">
</head>
<body>
<header class="ma-docs-head">
  <h1>医务管理平台接口文档 <small>MedAffairs API</small></h1>
  <p>外部系统（HIS 等）以安全管理员签发的 API 密钥调用：请求头 <code>X-API-Key</code>。点击 “Authorize” 填写密钥后可在本页试用接口；每次调用都记入审计日志。
  <a href="/api/openapi.json" download="medaffairs-openapi.json">下载 OpenAPI 3.1 文档 (openapi.json)</a></p>
</header>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/docs.js"></script>
</body>
</html>
`

/** Starts Swagger UI on our document; no validator badge (it would call out to the internet). */
export const DOCS_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'none',
    defaultModelsExpandDepth: 0,
    filter: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  })
})
`

/** System CJK fonts first (no web font to download), and a readable header. */
export const DOCS_CSS = `body { margin: 0; background: #fafafa; }
body, .swagger-ui, .swagger-ui .info .title, .swagger-ui .opblock-tag, .swagger-ui .opblock .opblock-summary-description,
.swagger-ui table, .swagger-ui .markdown p, .swagger-ui .renderedMarkdown p {
  font-family: -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif;
}
.ma-docs-head { padding: 16px 24px 8px; background: #1f4e79; color: #fff; }
.ma-docs-head h1 { margin: 0 0 6px; font-size: 20px; }
.ma-docs-head small { font-weight: normal; opacity: .8; margin-left: 8px; }
.ma-docs-head p { margin: 0 0 8px; line-height: 1.6; font-size: 14px; }
.ma-docs-head a { color: #ffe08a; margin-left: 8px; }
.ma-docs-head code { background: rgba(255,255,255,.15); padding: 0 4px; border-radius: 3px; }
`
