// Validation problems (zod issues) printed one way in every rlm package: 'path.to.field: message',
// joined with '; '. Typed structurally, so @rlm/errors needs no zod.

/** What this reads of a zod issue. */
export interface IssueLike {
  readonly path: readonly PropertyKey[]
  readonly message: string
  readonly code?: string
  /** Set on zod's `unrecognized_keys` issues. */
  readonly keys?: readonly string[]
}

export interface FormatIssuesOptions {
  /** Printed for an issue about the whole value (empty path). Default 'options'. */
  root?: string
  /** Put before every field path, e.g. 'config' gives 'config.limits.maxDepth'. */
  prefix?: string
}

function messageOf(issue: IssueLike): string {
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  }
  return issue.message
}

/** One 'path: message' line per issue. */
export function issueLines(issues: readonly IssueLike[], options: FormatIssuesOptions = {}): string[] {
  const root = options.root ?? 'options'
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    const where = path === '' ? root : options.prefix ? `${options.prefix}.${path}` : path
    return `${where}: ${messageOf(issue)}`
  })
}

/** 'a.b: message; c: message', the form every "Invalid ..." error message uses. */
export function formatIssues(issues: readonly IssueLike[], options: FormatIssuesOptions = {}): string {
  return issueLines(issues, options).join('; ')
}

/** The machine-readable form for RlmError details: `{ path: string[], message }` per issue. */
export function issueDetails(issues: readonly IssueLike[]): { path: string[]; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }))
}
