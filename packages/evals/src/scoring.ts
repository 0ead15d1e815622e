// Exact scoring that forgives formatting, not content: case, whitespace, surrounding quotes,
// markdown, trailing punctuation, lead-ins like "The answer is", thousands separators, and
// list order where order carries no meaning. A prediction naming several candidates is wrong.
import type { EvalTask, Expected } from './task.ts'

const LEAD_INS = [
  /^(?:so,?\s+)?(?:the\s+)?(?:final\s+)?answer\s*(?:is\s*:?|:|=)\s*/i,
  /^(?:final|result)\s*:\s*/i,
  /^it\s+is\s+/i,
]
const WRAPPERS = /^[\s"'`*_“”‘’«»([{<]+|[\s"'`*_“”‘’«»)\]}>.,;:!?]+$/g

/** Lowercased, NFKC, whitespace collapsed, wrappers and end punctuation removed. */
export function normalizeAnswer(text: string): string {
  let out = text.normalize('NFKC').replace(/\s+/g, ' ').trim()
  for (let pass = 0; pass < 3; pass++) {
    const before = out
    out = out.replace(WRAPPERS, '')
    for (const lead of LEAD_INS) out = out.replace(lead, '')
    if (out === before) break
  }
  return out.toLowerCase()
}

/** The forms a prediction may take: the whole, and the tail of "... is X" / "...: X" sentences. */
function candidates(prediction: string): string[] {
  const whole = normalizeAnswer(prediction)
  const out = [whole]
  const tail = /^.*(?:\bis|\bare|:)\s+([^:]+)$/i.exec(whole)
  if (tail?.[1]) out.push(normalizeAnswer(tail[1]))
  return out
}

const NUMBER = /[-+]?(?:\d{1,3}(?:[,\u00a0\u202f' _]\d{3})+|\d+)(?:\.\d+)?/g

/** Every number in the text, thousands separators removed ("1,234" and "1 234" are 1234). */
export function extractNumbers(text: string): number[] {
  return [...text.normalize('NFKC').matchAll(NUMBER)].map((m) =>
    Number(m[0].replace(/[,\u00a0\u202f' _]/g, '')),
  )
}

function scoreNumber(prediction: string, value: number): boolean {
  const numbers = [...new Set(extractNumbers(normalizeAnswer(prediction)))]
  return numbers.length === 1 && numbers[0] === value
}

function splitList(prediction: string): string[] {
  const trimmed = prediction.trim()
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (Array.isArray(parsed)) return parsed.map((item) => normalizeAnswer(String(item)))
    } catch {
      // Not JSON after all: fall through to plain splitting.
    }
  }
  let body = prediction.normalize('NFKC').trim()
  for (const lead of LEAD_INS) body = body.replace(lead, '')
  return body
    .split(/\s*(?:[,;\n]|\band\b|\s\|\s)\s*/i)
    .map((item) => normalizeAnswer(item.replace(/^(?:\d+[.)]|[-*•])\s*/, '')))
    .filter((item) => item !== '')
}

function scoreList(prediction: string, values: string[], ordered: boolean): boolean {
  const want = values.map(normalizeAnswer)
  const got = splitList(prediction)
  if (got.length !== want.length) return false
  if (ordered) return got.every((item, i) => item === want[i])
  return [...got].sort().join('\u0000') === [...want].sort().join('\u0000')
}

function scoreChoice(prediction: string, letter: string, option: string): boolean {
  const lower = letter.toLowerCase()
  const name = option.toLowerCase()
  return candidates(prediction).some((c) => {
    const stripped = c.replace(/^(?:option|choice)\s+/, '')
    if (stripped === lower || stripped === name) return true
    // "B) fooBar", "B. fooBar", "(B) fooBar", "B: fooBar": the letter, optionally with its option.
    const labelled = /^\(?([a-z])\s*[).:-]\s*(.*)$/.exec(stripped)
    return labelled !== null && labelled[1] === lower && (labelled[2] === '' || labelled[2] === name)
  })
}

function scoreText(prediction: string, value: string, aliases: string[] = []): boolean {
  const accepted = new Set([value, ...aliases].map(normalizeAnswer))
  return candidates(prediction).some((c) => accepted.has(c))
}

export function scoreExpected(expected: Expected, prediction: string): boolean {
  switch (expected.kind) {
    case 'text':
      return scoreText(prediction, expected.value, expected.aliases)
    case 'number':
      return scoreNumber(prediction, expected.value)
    case 'list':
      return scoreList(prediction, expected.values, expected.ordered)
    case 'choice':
      return scoreChoice(prediction, expected.letter, expected.option)
  }
}

/** 1 when the prediction is the task's answer (up to formatting), else 0. */
export function scoreAnswer(task: Pick<EvalTask, 'expected'>, prediction: string | null | undefined): 0 | 1 {
  if (typeof prediction !== 'string' || prediction.trim() === '') return 0
  return scoreExpected(task.expected, prediction) ? 1 : 0
}
