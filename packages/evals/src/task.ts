// The shape every generated task shares: a query, a context (text or named documents), and an
// expected answer that scoring compares against exactly (after formatting normalization).

export const SUITE_NAMES = ['s-niah', 'oolong', 'multi-hop', 'code-qa'] as const
export type SuiteName = (typeof SUITE_NAMES)[number]

export interface EvalDocument {
  name: string
  text: string
}

/** What a correct prediction looks like; scoring rules differ per kind. */
export type Expected =
  | { kind: 'text'; value: string; aliases?: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'list'; values: string[]; ordered: boolean }
  | { kind: 'choice'; letter: string; option: string }

export interface EvalTask {
  /** Stable across runs: `${suite}-${sizeLabel}-s${seed}-${index}`. */
  id: string
  suite: SuiteName
  /** Target size in estimated tokens (4 characters each). */
  size: number
  seed: number
  index: number
  query: string
  context: string | EvalDocument[]
  /** The canonical answer, as a person would write it. */
  answer: string
  expected: Expected
  /** Facts about how the task was built (depth, question kind, counts), for reports. */
  meta: Record<string, string | number>
}

export interface GenerateOptions {
  size: number
  seed: number
  index: number
  /** S-NIAH only: where the needle goes, 0 (start) .. 1 (end). */
  depth?: number
}

/** Characters per estimated token, the same rule of thumb @rlm/context's estimate uses. */
export const CHARS_PER_TOKEN = 4
