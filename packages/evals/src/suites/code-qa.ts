// CodeQA-style questions over a generated TypeScript code base (one document per file):
// which listed function is never called, or which file holds the only caller of a function.
// Both need the call sites across the whole repository, not one file.
import { posix } from 'node:path'
import { createParagraphPool, fillerPieces } from '../filler.ts'
import { createRng, type Rng } from '../prng.ts'
import { CHARS_PER_TOKEN, type EvalDocument, type EvalTask, type GenerateOptions } from '../task.ts'
import { taskId } from './task-id.ts'

const AREAS = [
  'billing',
  'catalog',
  'shipping',
  'accounts',
  'search',
  'reports',
  'alerts',
  'inventory',
  'pricing',
]
const VERBS = [
  'load',
  'save',
  'build',
  'merge',
  'score',
  'parse',
  'format',
  'sync',
  'split',
  'rank',
  'check',
  'apply',
  'track',
  'queue',
  'scan',
  'sum',
  'group',
  'trim',
  'cache',
  'fetch',
  'emit',
  'patch',
  'count',
  'plan',
]
const ADJECTIVES = [
  'Pending',
  'Active',
  'Stale',
  'Daily',
  'Partial',
  'Locked',
  'Hidden',
  'Primary',
  'Legacy',
  'Shared',
  'Remote',
  'Local',
  'Draft',
  'Final',
  'Nested',
  'Cached',
  'Bulk',
  'Manual',
  'Weekly',
  'Raw',
  'Signed',
  'Public',
  'Expired',
  'Frozen',
]
const NOUNS = [
  'Invoice',
  'Order',
  'Customer',
  'Parcel',
  'Coupon',
  'Session',
  'Ticket',
  'Review',
  'Refund',
  'Vendor',
  'Basket',
  'Route',
  'Report',
  'Ledger',
  'Badge',
  'Quote',
  'Token',
  'Payout',
  'Shelf',
  'Carrier',
  'Receipt',
  'Alert',
  'Bundle',
  'Tariff',
  'Profile',
  'Rating',
  'Voucher',
  'Batch',
  'Depot',
  'Metric',
  'Listing',
  'Account',
  'Stock',
  'Region',
  'Price',
  'Channel',
  'Sample',
  'Tag',
  'Window',
  'Slot',
]
const QUALIFIERS = [
  '',
  'Batch',
  'Rows',
  'Index',
  'Totals',
  'Window',
  'Queue',
  'Snapshot',
  'Summary',
  'Delta',
  'Keys',
  'Limits',
  'Stats',
  'Cursor',
  'Table',
  'Flags',
]
export const CODE_QUESTION_KINDS = ['unused', 'caller-file'] as const

interface FunctionSpec {
  name: string
  file: string
  callees: string[]
}

function uniqueFunctionNames(rng: Rng, count: number): string[] {
  const names = new Set<string>()
  while (names.size < count) {
    names.add(`${rng.pick(VERBS)}${rng.pick(ADJECTIVES)}${rng.pick(NOUNS)}${rng.pick(QUALIFIERS)}`)
  }
  return [...names]
}

function importPath(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to)
  return relative.startsWith('.') ? relative : `./${relative}`
}

function renderFunction(rng: Rng, fn: FunctionSpec, doc: string): string {
  const lines = [`/**`, ...(doc.match(/.{1,90}(\s|$)/g) ?? []).map((line) => ` * ${line.trim()}`), ` */`]
  lines.push(`export function ${fn.name}(input: Record<string, number>, limit = ${rng.int(2, 50)}): number {`)
  lines.push(`  let total = Object.keys(input).length * ${rng.int(2, 9)}`)
  fn.callees.forEach((callee, i) => {
    lines.push(`  const step${i} = ${callee}(input, limit - ${i + 1})`)
    lines.push(`  total += step${i} > limit ? limit : step${i}`)
  })
  lines.push(`  return Math.min(total, limit * ${rng.int(3, 12)})`, `}`)
  return lines.join('\n')
}

export function generateCodeQa(options: GenerateOptions): EvalTask {
  const { size, seed, index } = options
  const rng = createRng('code-qa', size, seed, index)
  const totalChars = size * CHARS_PER_TOKEN
  const functionCount = Math.min(200_000, Math.max(24, Math.round(size / 250)))
  const fileCount = Math.max(4, Math.ceil(functionCount / 6))
  const names = uniqueFunctionNames(rng, functionCount)
  const fileList = pickFiles(rng, fileCount)
  const fns: FunctionSpec[] = names.map((name, i) => ({
    name,
    file: fileList[i % fileCount] as string,
    callees: [],
  }))

  // Choose the question's subjects first, then wire random calls around the constraints.
  const kind = CODE_QUESTION_KINDS[index % CODE_QUESTION_KINDS.length] as (typeof CODE_QUESTION_KINDS)[number]
  const { target, soleCaller } = wireCalls(rng, fns, kind)

  const fileOf = new Map(fns.map((fn) => [fn.name, fn.file]))
  const pool = createParagraphPool(rng, 256)
  const perFile = Math.floor(totalChars / fileCount)
  const byFile = fileList.map(() => [] as FunctionSpec[])
  for (const [i, fn] of fns.entries()) byFile[i % fileCount]?.push(fn)
  const documents: EvalDocument[] = fileList.map((file, i) => ({
    name: file,
    text: renderFile(rng, pool, file, byFile[i] ?? [], fileOf, perFile),
  }))

  const { query, answer, expected } =
    kind === 'unused'
      ? unusedQuestion(rng, fns, target)
      : callerFileQuestion(target, soleCaller as FunctionSpec)
  return {
    id: taskId('code-qa', size, seed, index),
    suite: 'code-qa',
    size,
    seed,
    index,
    query,
    context: documents,
    answer,
    expected,
    meta: { question: kind, target: target.name, files: fileCount, functions: functionCount },
  }
}

function pickFiles(rng: Rng, fileCount: number): string[] {
  const files = new Set<string>()
  while (files.size < fileCount) {
    const parts = [rng.pick(ADJECTIVES), rng.pick(NOUNS), rng.pick(QUALIFIERS.slice(1))].map((p) =>
      p.toLowerCase(),
    )
    files.add(`src/${rng.pick(AREAS)}/${parts.join('-')}.ts`)
  }
  return [...files]
}

/**
 * Picks the question's target (and, for 'caller-file', its one caller), then gives every
 * function up to three random callees, never the target: only the sole caller calls it.
 */
function wireCalls(
  rng: Rng,
  fns: FunctionSpec[],
  kind: (typeof CODE_QUESTION_KINDS)[number],
): { target: FunctionSpec; soleCaller: FunctionSpec | undefined } {
  const target = fns[rng.int(0, fns.length - 1)] as FunctionSpec
  let soleCaller: FunctionSpec | undefined
  if (kind === 'caller-file') {
    do soleCaller = fns[rng.int(0, fns.length - 1)] as FunctionSpec
    while (soleCaller === target)
  }
  for (const fn of fns) {
    const wanted = rng.int(0, 3)
    for (let tries = 0; fn.callees.length < wanted && tries < 10; tries++) {
      const callee = fns[rng.int(0, fns.length - 1)] as FunctionSpec
      if (callee === fn || callee === target || fn.callees.includes(callee.name)) continue
      fn.callees.push(callee.name)
    }
  }
  if (soleCaller) soleCaller.callees.push(target.name)
  return { target, soleCaller }
}

type Question = Pick<EvalTask, 'query' | 'answer' | 'expected'>

const INTRO = 'The documents are the files of a TypeScript repository.'

/** Which of four functions is never called: the target, among three that are. */
function unusedQuestion(rng: Rng, fns: FunctionSpec[], target: FunctionSpec): Question {
  const callers = new Map<string, number>()
  for (const fn of fns) for (const callee of fn.callees) callers.set(callee, (callers.get(callee) ?? 0) + 1)
  const called = rng.shuffle(fns.filter((fn) => (callers.get(fn.name) ?? 0) > 0)).slice(0, 3)
  const options = rng.shuffle([target, ...called])
  const letters = ['A', 'B', 'C', 'D']
  const listed = options.map((fn, i) => `${letters[i]}) ${fn.name}`).join('  ')
  const letter = letters[options.indexOf(target)] as string
  return {
    query: `${INTRO} Exactly one of these functions is never called anywhere in the repository (it is defined, but no code calls it): ${listed}. Which one? Answer with the letter.`,
    answer: letter,
    expected: { kind: 'choice', letter, option: target.name },
  }
}

/** In which file is the target's one caller defined. */
function callerFileQuestion(target: FunctionSpec, caller: FunctionSpec): Question {
  return {
    query: `${INTRO} The function \`${target.name}\` is called by exactly one function in the repository. In which file is that calling function defined? Answer with the file path.`,
    answer: caller.file,
    expected: { kind: 'text', value: caller.file, aliases: [`./${caller.file}`] },
  }
}

function renderFile(
  rng: Rng,
  pool: ReturnType<typeof createParagraphPool>,
  file: string,
  own: FunctionSpec[],
  fileOf: Map<string, string>,
  chars: number,
): string {
  const imports = new Map<string, string[]>()
  for (const fn of own) {
    for (const callee of fn.callees) {
      const from = fileOf.get(callee) as string
      if (from === file) continue
      const list = imports.get(from) ?? []
      if (!list.includes(callee)) list.push(callee)
      imports.set(from, list)
    }
  }
  const parts = [...imports].map(
    ([from, list]) => `import { ${list.join(', ')} } from '${importPath(file, from)}'`,
  )
  if (parts.length > 0) parts.push('')
  // Each function is ~430 characters of code and imports; " * " and a newline per 90-character doc line add ~4.5%.
  const docChars = Math.max(80, Math.floor((chars / Math.max(1, own.length) - 430) / 1.045))
  for (const fn of own)
    parts.push(renderFunction(rng, fn, fillerPieces(rng, pool, docChars, ' ').join(' ')), '')
  return parts.join('\n')
}
