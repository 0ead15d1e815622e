// The fold's own code as a browser script, for the page's live mode: the functions of
// trace-fold.ts as they run here (that file keeps them self-contained), wrapped in one object.

import * as fold from './trace-fold.ts'

export function foldScript(): string {
  // Every export of trace-fold.ts is a function (its types are erased).
  const source = Object.values(fold)
    .map((f) => f.toString())
    .join('\n')
  // The script is inlined in the page: it must not be able to end its own <script> element.
  if (/<\/script/i.test(source)) throw new Error('trace-fold.ts must not contain "</script"')
  return `var rlmFold = (function () {\n${source}\nreturn { createFold: createFold, foldEvent: foldEvent, foldIssue: foldIssue, viewOf: viewOf };\n})();`
}
