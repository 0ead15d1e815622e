// The bounds of one viewer page: a trace of any size or shape becomes a page a browser opens in a
// few seconds. Each bound that cuts something says so on the page.

import type { FoldLimits } from './trace-fold.ts'

export const DEFAULT_VIEW_LIMITS: FoldLimits = {
  textChars: 6_000,
  promptChars: 3_000,
  totalTextChars: 32_000_000,
  spentTextChars: 200,
  maxNodes: 5_000,
  maxItems: 500_000,
  maxIssues: 1_000,
  settingsDepth: 8,
  settingsEntries: 500,
}
