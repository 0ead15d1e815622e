// S-NIAH (single needle in a haystack, after RULER): one access-code sentence hidden at a
// chosen depth in plausible prose; the question asks for the code.
import { createParagraphPool, fillerPieces } from '../filler.ts'
import { createRng } from '../prng.ts'
import { CHARS_PER_TOKEN, type EvalTask, type GenerateOptions } from '../task.ts'
import { taskId } from './task-id.ts'

const COLOURS = [
  'Vermilion',
  'Cobalt',
  'Saffron',
  'Viridian',
  'Ochre',
  'Cerulean',
  'Magenta',
  'Umber',
  'Indigo',
  'Scarlet',
  'Amber',
  'Turquoise',
  'Crimson',
  'Emerald',
  'Maroon',
  'Lavender',
]
const ANIMALS = [
  'Otter',
  'Heron',
  'Lynx',
  'Badger',
  'Falcon',
  'Marmot',
  'Ibex',
  'Walrus',
  'Gecko',
  'Puffin',
  'Jackal',
  'Narwhal',
  'Ocelot',
  'Pelican',
  'Tapir',
  'Wombat',
]

/** Depths used when a task does not name one: start, quarters, end. */
export const DEFAULT_DEPTHS = [0, 0.25, 0.5, 0.75, 1] as const

export function generateSniah(options: GenerateOptions): EvalTask {
  const { size, seed, index } = options
  const depth = options.depth ?? (DEFAULT_DEPTHS[index % DEFAULT_DEPTHS.length] as number)
  if (!(depth >= 0 && depth <= 1)) throw new RangeError(`depth must be within 0..1, got ${depth}`)
  const rng = createRng('s-niah', size, seed, index)
  const key = `${rng.pick(COLOURS)} ${rng.pick(ANIMALS)}`
  const code = `${rng.int(1000, 9999)}-${rng.int(1000, 9999)}`
  const needle = `The access code for the ${key} vault is ${code}.`

  const pool = createParagraphPool(rng)
  const separator = '\n\n'
  const fillerChars = Math.max(0, size * CHARS_PER_TOKEN - needle.length - 2 * separator.length)
  const beforeChars = Math.round(fillerChars * depth)
  const pieces = beforeChars > 0 ? fillerPieces(rng, pool, beforeChars, separator) : []
  pieces.push(needle)
  for (const piece of fillerPieces(rng, pool, fillerChars - beforeChars, separator)) pieces.push(piece)

  return {
    id: taskId('s-niah', size, seed, index),
    suite: 's-niah',
    size,
    seed,
    index,
    query: `What is the access code for the ${key} vault? Answer with the code only.`,
    context: pieces.join(separator),
    answer: code,
    expected: { kind: 'text', value: code },
    meta: { depth, key },
  }
}
