// The demo's context: a sensor log of about a million tokens, generated from a seed, with a few
// vault access codes planted at known depths. The facts are random per seed, so the answer can
// only come from reading the log.

export interface PlantedFact {
  vault: string
  code: string
  sensor: string
  zone: string
  line: number
}

export interface Haystack {
  text: string
  facts: PlantedFact[]
  lines: number
}

const ZONES = ['north', 'south', 'east', 'west', 'core', 'dock', 'yard', 'lab']
const STATUS = ['ok', 'ok', 'ok', 'ok', 'ok', 'warn', 'ok', 'ok', 'idle']
const NOTES = [
  'routine check',
  'calibration drift within tolerance',
  'filter replaced',
  'door cycled',
  'battery at nominal level',
  'reading confirmed by second probe',
  'scheduled maintenance pending',
  'no anomalies',
]
export const VAULTS = ['AURORA', 'BOREALIS', 'CORONA']

/** A small deterministic PRNG (mulberry32) so the same seed gives the same haystack. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

/** The demo's default size: about 1.53M tokens by @rlm/context's estimate (4.4M characters). */
export const DEFAULT_DEMO_TOKENS = 1_530_000

/**
 * Characters per token of these log lines by @rlm/context's estimate (the figure `describe()`
 * shows the model): 4.4M characters are ~1.53M tokens, so `--tokens` means the same tokens there.
 */
const CHARS_PER_TOKEN = 4_400_000 / DEFAULT_DEMO_TOKENS

/** About `tokens` tokens (by @rlm/context's estimate) of log lines with the vault codes planted. */
export function generateHaystack(tokens = DEFAULT_DEMO_TOKENS, seed = 7): Haystack {
  const rand = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const targetChars = Math.round(tokens * CHARS_PER_TOKEN)
  const approxLines = Math.ceil(targetChars / 104)
  const depths = [0.17, 0.52, 0.86]
  const plantAt = new Map<number, number>(depths.map((d, i) => [Math.floor(approxLines * d), i]))
  const facts: PlantedFact[] = []
  const out: string[] = []
  let chars = 0
  let t = Date.UTC(2024, 0, 1) / 1000
  for (let line = 0; chars < targetChars; line++) {
    t += 1 + Math.floor(rand() * 9)
    const d = new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ')
    const sensor = `sensor-${pad(Math.floor(rand() * 5000), 4)}`
    const zone = `${pick(ZONES)}-${1 + Math.floor(rand() * 9)}`
    const temp = (15 + rand() * 15).toFixed(1)
    const hum = 30 + Math.floor(rand() * 50)
    const planted = plantAt.get(line)
    let note = pick(NOTES)
    let status = pick(STATUS)
    if (planted !== undefined) {
      const vault = VAULTS[planted] as string
      const code = `${pad(Math.floor(rand() * 10000), 4)}-${String.fromCharCode(65 + Math.floor(rand() * 26), 65 + Math.floor(rand() * 26))}`
      note = `vault ${vault} access code is ${code}`
      status = 'alert'
      facts.push({ vault, code, sensor, zone, line: line + 1 })
    }
    const row = `[${d}] ${sensor} zone=${zone} temp=${temp}C humidity=${hum}% status=${status} note="${note}"`
    out.push(row)
    chars += row.length + 1
  }
  return { text: out.join('\n'), facts, lines: out.length }
}

export const DEMO_QUERY =
  'The sensor log hides access codes for several vaults. List every vault with its access code, and name the sensor that reported the code of the vault mentioned last in the log.'
