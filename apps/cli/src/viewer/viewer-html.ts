// Builds the one self-contained HTML file of `rlm view`: inline CSS and script, the trace folded
// into JSON in a non-executable script tag (escaped so "</script>" in model output cannot end it),
// and a Content-Security-Policy that forbids every network request.

import type { RlmEvent } from '@rlm/engine'
import { buildViewData } from './viewer-data.ts'
import { VIEWER_SCRIPT } from './viewer-script.ts'
import { VIEWER_CSS } from './viewer-style.ts'

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

/** JSON that is safe inside a <script> element: no "<" at all, and no JS line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export function buildViewerHtml(
  events: readonly RlmEvent[],
  options: { title?: string; badLines?: number } = {},
): string {
  const title = options.title ?? 'rlm trace'
  const data = buildViewData(events, title, options.badLines ?? 0)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<header id="header"></header>
<main><nav id="tree" aria-label="recursion tree"></nav><section id="detail"></section></main>
<script type="application/json" id="rlm-data">${scriptSafeJson(data)}</script>
<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`
}
