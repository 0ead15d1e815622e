// Plausible filler prose (the haystack). A pool of paragraphs is built once per seed from
// sentence templates, then drawn from at random, so 400 MB of text costs one join, not
// 100 million PRNG calls. The vocabulary never contains the words the tasks' facts use
// (access code, vault, label, joined, headquartered, function), so facts stay unique.
import type { Rng } from './prng.ts'

const SUBJECTS = [
  'The committee',
  'Our neighbour',
  'The old ferry',
  'A quiet librarian',
  'The orchestra',
  'The night shift',
  'A travelling botanist',
  'The village council',
  'The survey team',
  'My grandmother',
  'The baker on the corner',
  'A young cartographer',
  'The harbour master',
  'The weather station',
  'The museum guide',
  'A retired pilot',
  'The choir',
  'The garden club',
  'The river authority',
  'A visiting professor',
  'The lighthouse keeper',
  'The printing house',
  'The mountain rescue crew',
  'A local historian',
  'The market traders',
]
const VERBS = [
  'reviewed',
  'postponed',
  'described',
  'repainted',
  'measured',
  'celebrated',
  'questioned',
  'catalogued',
  'rebuilt',
  'photographed',
  'discussed',
  'rehearsed',
  'inspected',
  'mapped',
  'collected',
  'restored',
  'announced',
  'remembered',
  'planted',
  'translated',
  'organised',
  'sketched',
  'repaired',
  'studied',
]
const OBJECTS = [
  'the autumn schedule',
  'the northern footpath',
  'a collection of letters',
  'the harvest festival',
  'the tide tables',
  'an unusual pattern of clouds',
  'the stone bridge',
  'the winter timetable',
  'a box of old photographs',
  'the orchard by the mill',
  'the route over the pass',
  'the bell tower',
  'the annual regatta',
  'a set of brass instruments',
  'the seed catalogue',
  'the coastal survey',
  'the reading room',
  'a faded mural',
  'the migration of the geese',
  'the county fair',
  'the drainage ditches',
  'the chapel roof',
  'a shipment of wool',
  'the lantern parade',
]
const ENDINGS = [
  'before the first frost arrived',
  'while the rain kept falling',
  'after a long and careful debate',
  'with more patience than anyone expected',
  'during the last week of the season',
  'for the third year running',
  'as the evening light faded',
  'without telling anyone in advance',
  'in time for the spring visitors',
  'despite the muddy roads',
  'under a sky full of gulls',
  'once the morning fog had lifted',
  'at the request of the school',
  'to the delight of the children',
  'with help from the volunteers',
  'long after the shops had closed',
]
const ASIDES = [
  'Nobody could say exactly why.',
  'It was, by most accounts, a pleasant afternoon.',
  'The details were written down in a small green notebook.',
  'Several people stopped to watch.',
  'A few of the older residents shook their heads.',
  'The smell of bread drifted across the square.',
  'It took longer than planned, as these things usually do.',
  'Later, everyone agreed it had been worth it.',
  'The newspaper gave it a short paragraph on page four.',
  'A dog barked somewhere down the lane.',
]

function sentence(rng: Rng): string {
  if (rng.next() < 0.15) return rng.pick(ASIDES)
  return `${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(ENDINGS)}.`
}

/** One paragraph of 3..7 sentences. */
export function paragraph(rng: Rng): string {
  const count = rng.int(3, 7)
  const parts: string[] = []
  for (let i = 0; i < count; i++) parts.push(sentence(rng))
  return parts.join(' ')
}

export interface ParagraphPool {
  /** Paragraphs of filler, each without a trailing newline. */
  readonly paragraphs: readonly string[]
  /** A random paragraph from the pool. */
  draw(rng: Rng): string
}

export function createParagraphPool(rng: Rng, size = 512): ParagraphPool {
  const paragraphs: string[] = []
  for (let i = 0; i < size; i++) paragraphs.push(paragraph(rng))
  return { paragraphs, draw: (r) => paragraphs[Math.floor(r.next() * paragraphs.length)] as string }
}

/**
 * Pieces of filler paragraphs whose joined length (with `separator` between them) reaches
 * `chars`, trimmed so the total is exactly `chars` characters.
 */
export function fillerPieces(rng: Rng, pool: ParagraphPool, chars: number, separator = '\n\n'): string[] {
  const pieces: string[] = []
  let length = 0
  while (length < chars) {
    const next = pool.draw(rng)
    pieces.push(next)
    length += next.length + (pieces.length > 1 ? separator.length : 0)
  }
  const excess = length - chars
  if (excess > 0 && pieces.length > 0) {
    const last = pieces.pop() as string
    const kept = last.slice(0, Math.max(0, last.length - excess))
    if (kept.length > 0) pieces.push(kept)
  }
  return pieces
}
