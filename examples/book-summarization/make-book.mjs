// Writes .rlm/book.txt: a long public-domain-style novel (generated, about 200,000 tokens) in numbered
// chapters, so the example needs no download. Same output every time.
import { mkdirSync, writeFileSync } from 'node:fs'

const places = [
  'the mill',
  'the harbour',
  'the old chapel',
  'the orchard',
  'the lighthouse',
  'the market',
  'the moor',
  'the library',
]
const people = ['Eleanor', 'Thomas', 'Margaret', 'Edmund', 'Clara', 'Josiah', 'Harriet', 'Walter']
const deeds = [
  'found a letter',
  'lost a key',
  'met a stranger',
  'kept a secret',
  'broke a promise',
  'heard a rumour',
  'paid a debt',
  'lit a lamp',
]
let seed = 11
const rand = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const roman = (n) =>
  [
    'I',
    'II',
    'III',
    'IV',
    'V',
    'VI',
    'VII',
    'VIII',
    'IX',
    'X',
    'XI',
    'XII',
    'XIII',
    'XIV',
    'XV',
    'XVI',
    'XVII',
    'XVIII',
    'XIX',
    'XX',
    'XXI',
    'XXII',
    'XXIII',
    'XXIV',
  ][n - 1]
const chapters = []
for (let c = 1; c <= 24; c++) {
  const who = pick(people),
    where = pick(places),
    what = pick(deeds)
  const paras = [`${who} ${what} at ${where}, and nothing in the village was the same afterwards.`]
  for (let p = 0; p < 140; p++) {
    paras.push(
      `It was said that ${pick(people)} ${pick(deeds)} near ${pick(places)} while the weather turned, and ${pick(people)} watched from the road, saying little, remembering much of what the years had taught ${rand() > 0.5 ? 'her' : 'him'} about patience and the slow turning of seasons.`,
    )
  }
  chapters.push(`CHAPTER ${roman(c)}. ${who} at ${where.replace('the ', 'The ')}\n\n${paras.join('\n\n')}`)
}
// Written under .rlm/ (gitignored) so the generated text never ends up in a commit.
const out = new URL('../../.rlm/book.txt', import.meta.url)
mkdirSync(new URL('../../.rlm/', import.meta.url), { recursive: true })
writeFileSync(out, `THE PATIENT VILLAGE\nA novel\n\n${chapters.join('\n\n')}\n`)
console.log(`wrote ${out.pathname}`)
