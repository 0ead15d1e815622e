// @rlm/viewer: a trace in, one self-contained HTML page out. Every line is validated with the
// engine's trace schema; what is invalid is shown as an error row, and sizes are bounded.

export { readTraceFile } from './trace-file.ts'
export type { FoldLimits as ViewLimits } from './trace-fold.ts'
export type { TraceInput } from './trace-input.ts'
export { DEFAULT_VIEW_LIMITS } from './view-limits.ts'
export type {
  ViewAccess,
  ViewCell,
  ViewData,
  ViewError,
  ViewIssue,
  ViewIteration,
  ViewNode,
  ViewNote,
  ViewRun,
  ViewSubCall,
  ViewUsage,
} from './view-model.ts'
export { buildViewData, type RenderOptions, renderTraceHtml, type ViewOptions } from './viewer-html.ts'
