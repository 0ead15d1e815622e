// OOLONG-style aggregation: thousands of labelled support tickets, one per line; the
// question (count, compare or top-k) can only be answered by reading every record.
import { createRng, type Rng } from '../prng.ts'
import { CHARS_PER_TOKEN, type EvalTask, type GenerateOptions } from '../task.ts'
import { taskId } from './task-id.ts'

const LABELS = [
  'billing',
  'shipping',
  'refund',
  'login',
  'privacy',
  'warranty',
  'feedback',
  'outage',
  'upgrade',
  'returns',
  'invoice',
  'delivery',
]
const MESSAGES = [
  'I was charged twice for the same order last week.',
  'The parcel has not moved since Tuesday.',
  'Please send the money back to my card.',
  'The password reset email never arrives.',
  'Which of my details do you keep, and for how long?',
  'The kettle stopped working after two months.',
  'The new app layout is much easier to read, thanks.',
  'Nothing loads on the website this morning.',
  'How do I move to the family plan?',
  'The shoes are too small, I would like to swap them.',
  'Can I get a copy of the March statement?',
  'The courier left the box at the wrong door.',
  'Your support agent was very patient with me.',
  'The order page keeps timing out.',
  'Is there a discount for switching to yearly payments?',
  'The colour in the photo looked different.',
]
export const QUESTION_KINDS = ['count', 'compare', 'top-k'] as const
const TOP_K = 3

/** Counts per label, strictly decreasing in `labels` order so compare and top-k never tie. */
function distinctCounts(rng: Rng, total: number, labelCount: number): number[] {
  const weights = Array.from({ length: labelCount }, () => 0.5 + rng.next())
  const sum = weights.reduce((a, b) => a + b, 0)
  const counts = weights.map((w) => Math.max(1, Math.floor((w / sum) * total))).sort((a, b) => b - a)
  for (let i = 1; i < counts.length; i++) {
    if ((counts[i] as number) >= (counts[i - 1] as number)) counts[i] = (counts[i - 1] as number) - 1
  }
  // Give rounding leftovers to the largest label, keeping the order strict.
  const shortfall = total - counts.reduce((a, b) => a + b, 0)
  counts[0] = (counts[0] as number) + shortfall
  return counts
}

const DAYS = Array.from({ length: 12 * 28 }, (_, i) => {
  const month = String(Math.floor(i / 28) + 1).padStart(2, '0')
  return `2024-${month}-${String((i % 28) + 1).padStart(2, '0')}`
})
/** Characters of a record besides its label and message: '#0000001 | 2024-01-01 | user 12345 | label:  | ""' and '\n'. */
const RECORD_OVERHEAD = 50
const MEAN_MESSAGE = MESSAGES.reduce((sum, m) => sum + m.length, 0) / MESSAGES.length

function record(rng: Rng, id: number, label: string): string {
  const day = DAYS[Math.floor(rng.next() * DAYS.length)] as string
  const user = 10000 + Math.floor(rng.next() * 90000)
  const message = MESSAGES[Math.floor(rng.next() * MESSAGES.length)] as string
  return `#${String(id).padStart(7, '0')} | ${day} | user ${user} | label: ${label} | "${message}"`
}

export function generateOolong(options: GenerateOptions): EvalTask {
  const { size, seed, index } = options
  const rng = createRng('oolong', size, seed, index)
  const labels = rng.shuffle([...LABELS]).slice(0, rng.int(5, 8))
  const meanLabel = labels.reduce((sum, l) => sum + l.length, 0) / labels.length
  const total = Math.max(
    labels.length * 4,
    Math.round((size * CHARS_PER_TOKEN) / (RECORD_OVERHEAD + meanLabel + MEAN_MESSAGE)),
  )
  const counts = distinctCounts(rng, total, labels.length)
  // The label of each record, shuffled; indexes into `labels` so 3M records stay small.
  const order = new Uint8Array(total)
  let at = 0
  counts.forEach((count, label) => {
    order.fill(label, at, at + count)
    at += count
  })
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    const tmp = order[i] as number
    order[i] = order[j] as number
    order[j] = tmp
  }
  // Lines are joined in blocks so millions of records never sit in one array of small strings.
  const blocks: string[] = []
  const BLOCK = 8192
  for (let start = 0; start < total; start += BLOCK) {
    const lines: string[] = []
    for (let i = start; i < Math.min(total, start + BLOCK); i++)
      lines.push(record(rng, i + 1, labels[order[i] as number] as string))
    blocks.push(lines.join('\n'))
  }

  const kind = QUESTION_KINDS[index % QUESTION_KINDS.length] as (typeof QUESTION_KINDS)[number]
  const byCount = labels.map((label, i) => ({ label, count: counts[i] as number }))
  const intro = 'The context is a log of support tickets, one per line, each with a label.'
  let query: string
  let answer: string
  let expected: EvalTask['expected']
  if (kind === 'count') {
    const target = rng.pick(byCount)
    query = `${intro} How many tickets have the label '${target.label}'? Answer with the number only.`
    answer = String(target.count)
    expected = { kind: 'number', value: target.count }
  } else if (kind === 'compare') {
    const [a, b] = rng.shuffle([...byCount]).slice(0, 2) as [(typeof byCount)[0], (typeof byCount)[0]]
    query = `${intro} Which label occurs more often: '${a.label}' or '${b.label}'? Answer with the label only.`
    answer = a.count > b.count ? a.label : b.label
    expected = { kind: 'text', value: answer }
  } else {
    const top = byCount.slice(0, TOP_K).map((entry) => entry.label)
    query = `${intro} Which ${TOP_K} labels occur most often? Answer with the ${TOP_K} labels, comma-separated.`
    answer = top.join(', ')
    expected = { kind: 'list', values: top, ordered: false }
  }
  return {
    id: taskId('oolong', size, seed, index),
    suite: 'oolong',
    size,
    seed,
    index,
    query,
    context: blocks.join('\n'),
    answer,
    expected,
    meta: { question: kind, records: total, labels: labels.length },
  }
}
