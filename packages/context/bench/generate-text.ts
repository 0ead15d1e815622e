// Deterministic record-like text (logs, prose, a little non-ASCII) written to a file in pieces.
import { createWriteStream } from 'node:fs'

const words = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'error',
  'user_id=',
  'status=200',
  'timeout',
  'ok',
  'GET',
  '/api/v1/items',
]
const prose = [
  'The committee met on Tuesday to review the budget.',
  'Café owners in München reported record sales.',
  '東京の会議は延期された。',
  'Revenue grew 12% year over year 📈.',
]

export function generateLines(from: number, bytes: number): { text: string; next: number } {
  const parts: string[] = []
  let n = 0
  let i = from
  while (n < bytes) {
    const line =
      i % 7 === 0
        ? `${prose[i % prose.length]} Record ${i} follows.\n`
        : `2024-01-01T00:00:${String(i % 60).padStart(2, '0')} ${words[i % 11]} ${words[(i * 7) % 11]} id=${i} ${words[(i * 3) % 11]} value=${(i * 2654435761) % 100000}\n`
    parts.push(line)
    n += Buffer.byteLength(line)
    i++
  }
  return { text: parts.join(''), next: i }
}

export async function writeTextFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file)
  let i = 0
  for (let written = 0; written < bytes; ) {
    const { text, next } = generateLines(i, Math.min(8 * 2 ** 20, bytes - written))
    i = next
    written += Buffer.byteLength(text)
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())))
}
