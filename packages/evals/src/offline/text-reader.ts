// The offline reader: answers the suites' questions (and the strategy's sub-questions) by
// parsing only the text it is handed. It stands in for a sub-model in the mechanics check;
// what it cannot see, it cannot answer, exactly like a model given one chunk.

type Handler = (match: RegExpExecArray, text: string) => string

const NOT_FOUND = 'NOT FOUND'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function labelCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const m of text.matchAll(/\| label: (\w+) \|/g))
    counts.set(m[1] as string, (counts.get(m[1] as string) ?? 0) + 1)
  return counts
}

/** Call sites of `name` in `text`: `name(` that is not its own definition. */
function callCount(text: string, name: string): number {
  const all = text.match(new RegExp(`\\b${escapeRegExp(name)}\\(`, 'g'))?.length ?? 0
  const defs = text.match(new RegExp(`\\bfunction ${escapeRegExp(name)}\\(`, 'g'))?.length ?? 0
  return all - defs
}

function employer(text: string, person: string): string | undefined {
  return new RegExp(`${escapeRegExp(person)} joined (.+?) as an? `).exec(text)?.[1]
}

function headquarters(text: string, company: string): string | undefined {
  return new RegExp(`${escapeRegExp(company)} is headquartered in (\\w+)\\.`).exec(text)?.[1]
}

const HANDLERS: Array<[RegExp, Handler]> = [
  [
    /access code for the (.+?) vault\?/,
    (m, text) =>
      new RegExp(`access code for the ${escapeRegExp(m[1] as string)} vault is (\\d{4}-\\d{4})`).exec(
        text,
      )?.[1] ?? NOT_FOUND,
  ],
  [/Count the tickets per label/, (_m, text) => JSON.stringify(Object.fromEntries(labelCounts(text)))],
  [
    /How many tickets have the label '(\w+)'/,
    (m, text) => String(labelCounts(text).get(m[1] as string) ?? 0),
  ],
  [
    /Which label occurs more often: '(\w+)' or '(\w+)'/,
    (m, text) => {
      const counts = labelCounts(text)
      const a = counts.get(m[1] as string) ?? 0
      const b = counts.get(m[2] as string) ?? 0
      if (a === 0 && b === 0) return NOT_FOUND
      return a >= b ? (m[1] as string) : (m[2] as string)
    },
  ],
  [
    /Which (\d+) labels occur most often/,
    (m, text) =>
      [...labelCounts(text)]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(m[1]))
        .map(([label]) => label)
        .join(', ') || NOT_FOUND,
  ],
  [/Which company did (.+?) join\?/, (m, text) => employer(text, m[1] as string) ?? NOT_FOUND],
  [/Where is (.+?) headquartered\?/, (m, text) => headquarters(text, m[1] as string) ?? NOT_FOUND],
  [
    /headquarters of the company that (.+?) joined\?/,
    (m, text) => {
      const company = employer(text, m[1] as string)
      return (company && headquarters(text, company)) ?? NOT_FOUND
    },
  ],
  [
    /Does this file call the function `(\w+)`/,
    (m, text) => (callCount(text, m[1] as string) > 0 ? 'yes' : 'no'),
  ],
  [
    /never called anywhere[^:]*: (.+)\. Which one\?/,
    (m, text) => {
      const options = [...(m[1] as string).matchAll(/([A-D])\) (\w+)/g)]
      const unused = options.filter((o) => callCount(text, o[2] as string) === 0).map((o) => o[1] as string)
      return unused.join(', ') || NOT_FOUND
    },
  ],
  [
    /The function `(\w+)` is called by exactly one function[\s\S]*In which file/,
    (m, text) => {
      const files = [...text.matchAll(/<document name="([^"]+)">\n([\s\S]*?)\n<\/document>/g)]
      const callers = files
        .filter((f) => callCount(f[2] as string, m[1] as string) > 0)
        .map((f) => f[1] as string)
      return callers.join(', ') || NOT_FOUND
    },
  ],
]

/** The answer a careful reader of `text` alone would give to `question`, or 'NOT FOUND'. */
export function answerFromText(question: string, text: string): string {
  for (const [pattern, handle] of HANDLERS) {
    const match = pattern.exec(question)
    if (match) return handle(match, text)
  }
  return NOT_FOUND
}
