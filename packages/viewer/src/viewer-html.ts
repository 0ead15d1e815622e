// Builds the one self-contained HTML page of a trace: inline CSS and script, the view model folded
// into JSON in a non-executable script tag (escaped so "</script>" in model output cannot end it),
// and a Content-Security-Policy that forbids every network request. A live page (`eventsUrl`)
// carries the validated events and the fold itself instead, and may connect to that one origin.

import { TRACE_EVENT_TYPES } from '@rlm/engine'
import { RlmError } from '@rlm/errors'
import { foldScript } from './fold-source.ts'
import { createFold, type FoldLimits, foldEvent, foldIssue, viewOf } from './trace-fold.ts'
import { readTraceInput, type TraceInput } from './trace-input.ts'
import { DEFAULT_VIEW_LIMITS } from './view-limits.ts'
import type { ViewData } from './view-model.ts'
import { VIEWER_SCRIPT } from './viewer-script.ts'
import { VIEWER_CSS } from './viewer-style.ts'

export interface ViewOptions {
  /** The page title (default "rlm trace"). */
  title?: string
  /** Bounds of the page (texts, nodes, items, settings); the defaults open any trace quickly. */
  limits?: Partial<FoldLimits>
}

export interface RenderOptions extends ViewOptions {
  /**
   * An SSE endpoint streaming the events that follow `trace` (each message's data one event as
   * JSON, named or not): the page folds them in as they arrive and stops after the root's run_end.
   */
  eventsUrl?: string
}

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

/** The view model the page draws: every event validated, every problem an issue, sizes bounded. */
export function buildViewData(trace: TraceInput, options: ViewOptions = {}): ViewData {
  const { events, issues } = readTraceInput(trace)
  const state = createFold({ ...DEFAULT_VIEW_LIMITS, ...options.limits })
  for (const e of events) foldEvent(state, e)
  for (const issue of issues) foldIssue(state, issue)
  return viewOf(state, options.title ?? 'rlm trace')
}

/** Where a live page may connect: the events URL's origin, or the page's own for a relative URL. */
function connectSource(eventsUrl: string): string {
  try {
    const url = new URL(eventsUrl)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin
  } catch {
    return "'self'"
  }
  throw new RlmError('E_USAGE', `eventsUrl must be an http(s) URL or a relative path, got ${eventsUrl}.`)
}

/** The trace as one self-contained HTML page (no network requests but `eventsUrl`'s, model output never run). */
export function renderTraceHtml(trace: TraceInput, options: RenderOptions = {}): string {
  const title = options.title ?? 'rlm trace'
  const limits = { ...DEFAULT_VIEW_LIMITS, ...options.limits }
  const live = options.eventsUrl
  const data = live
    ? {
        live: {
          ...readTraceInput(trace),
          title,
          limits,
          eventsUrl: live,
          eventTypes: [...TRACE_EVENT_TYPES],
        },
      }
    : { view: buildViewData(trace, options) }
  const connect = live ? ` connect-src ${connectSource(live)};` : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:;${connect}">
<title>${escapeHtml(title)}</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<header id="header"></header>
<div id="viewer-error" class="error" role="alert" hidden></div>
<section id="problems"></section>
<main><nav id="tree" aria-label="recursion tree"></nav><section id="detail"></section></main>
<script type="application/json" id="rlm-data">${scriptSafeJson(data)}</script>
${live ? `<script>${foldScript()}</script>\n` : ''}<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`
}
