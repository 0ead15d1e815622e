// Multi-document multi-hop QA: hundreds of profile documents; one says which company a
// person joined, another where that company is headquartered. The question needs both.
import { createParagraphPool, fillerPieces } from '../filler.ts'
import { createRng, type Rng } from '../prng.ts'
import { CHARS_PER_TOKEN, type EvalDocument, type EvalTask, type GenerateOptions } from '../task.ts'
import { taskId } from './task-id.ts'

const FIRST = [
  'Ada',
  'Bruno',
  'Clara',
  'Dmitri',
  'Elena',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Keiko',
  'Lars',
  'Mira',
  'Nikolai',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Stefan',
  'Tamsin',
  'Ugo',
  'Vera',
  'Wendell',
  'Xenia',
  'Yusuf',
  'Zora',
  'Amara',
  'Basil',
  'Celeste',
  'Dorian',
  'Esme',
  'Felix',
  'Gideon',
  'Hana',
  'Ivo',
  'Juno',
  'Kasimir',
  'Leona',
  'Matteo',
  'Nadia',
]
const LAST = [
  'Abernathy',
  'Baptiste',
  'Castellano',
  'Delacroix',
  'Eriksen',
  'Fairweather',
  'Galloway',
  'Halvorsen',
  'Iglesias',
  'Jablonski',
  'Kowalczyk',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okonkwo',
  'Petrov',
  'Quintero',
  'Rasmussen',
  'Szabo',
  'Takahashi',
  'Underwood',
  'Valdivia',
  'Whitcombe',
  'Xiong',
  'Yamamoto',
  'Zielinski',
  'Achterberg',
  'Brannigan',
  'Cavendish',
  'Dunmore',
]
const INITIALS = 'ABCDEFGHJKLMNPRSTVW'
const STEMS = [
  'Arbor',
  'Bright',
  'Cinder',
  'Delta',
  'Ember',
  'Fjord',
  'Granite',
  'Harbor',
  'Iron',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Onyx',
  'Pioneer',
  'Quarry',
  'Redwood',
  'Summit',
  'Tidal',
  'Umbra',
  'Vantage',
  'Willow',
  'Zenith',
  'Anvil',
  'Beacon',
  'Cobble',
  'Drift',
  'Elm',
  'Flint',
]
const TRADES = [
  'Analytics',
  'Biotech',
  'Logistics',
  'Robotics',
  'Textiles',
  'Foods',
  'Energy',
  'Optics',
  'Ceramics',
  'Freight',
  'Software',
  'Minerals',
  'Acoustics',
  'Mobility',
  'Pharma',
  'Aerospace',
]
const SUFFIXES = ['Ltd', 'Inc', 'Group', 'Works', 'Labs', 'Holdings', 'Partners', 'Co']
const CITIES = [
  'Lisbon',
  'Tallinn',
  'Porto',
  'Ghent',
  'Bergen',
  'Krakow',
  'Valencia',
  'Turin',
  'Graz',
  'Aarhus',
  'Leipzig',
  'Utrecht',
  'Brno',
  'Malmo',
  'Cork',
  'Bilbao',
  'Lyon',
  'Tampere',
  'Split',
  'Ljubljana',
  'Riga',
  'Basel',
  'Seville',
  'Gdansk',
  'Antwerp',
]
const ROLES = ['an engineer', 'a designer', 'an analyst', 'a buyer', 'a chemist', 'a manager', 'a technician']

function uniqueNames(rng: Rng, count: number, make: () => string): string[] {
  const names = new Set<string>()
  while (names.size < count) names.add(make())
  return rng.shuffle([...names])
}

/** Builds a document: filler paragraphs with the fact sentence at a random paragraph break. */
function documentText(
  rng: Rng,
  pool: ReturnType<typeof createParagraphPool>,
  fact: string,
  chars: number,
): string {
  const pieces = fillerPieces(rng, pool, Math.max(200, chars - fact.length - 2))
  pieces.splice(rng.int(0, pieces.length), 0, fact)
  return pieces.join('\n\n')
}

export function generateMultiHop(options: GenerateOptions): EvalTask {
  const { size, seed, index } = options
  const rng = createRng('multi-hop', size, seed, index)
  const totalChars = size * CHARS_PER_TOKEN
  // Hundreds of documents at most sizes; documents grow with the size past 5,000 of them.
  const docCount = Math.min(5000, Math.max(20, Math.round(size / 1500)))
  const companyCount = Math.floor(docCount / 2)
  const personCount = docCount - companyCount
  const people = uniqueNames(
    rng,
    personCount,
    () => `${rng.pick(FIRST)} ${INITIALS[rng.int(0, INITIALS.length - 1)]}. ${rng.pick(LAST)}`,
  )
  const companies = uniqueNames(
    rng,
    companyCount,
    () => `${rng.pick(STEMS)} ${rng.pick(TRADES)} ${rng.pick(SUFFIXES)}`,
  )
  const cityOf = new Map(companies.map((company) => [company, rng.pick(CITIES)]))
  const employerOf = new Map(people.map((person) => [person, rng.pick(companies)]))

  const pool = createParagraphPool(rng)
  const perDoc = Math.floor(totalChars / docCount)
  const documents: EvalDocument[] = []
  people.forEach((person, i) => {
    const fact = `${person} joined ${employerOf.get(person)} as ${rng.pick(ROLES)} in ${rng.int(1995, 2024)}.`
    documents.push({
      name: `people/profile-${String(i + 1).padStart(4, '0')}.txt`,
      text: documentText(rng, pool, fact, perDoc),
    })
  })
  companies.forEach((company, i) => {
    const fact = `${company} is headquartered in ${cityOf.get(company)}.`
    documents.push({
      name: `companies/company-${String(i + 1).padStart(4, '0')}.txt`,
      text: documentText(rng, pool, fact, perDoc),
    })
  })
  rng.shuffle(documents)

  const person = rng.pick(people)
  const company = employerOf.get(person) as string
  const city = cityOf.get(company) as string
  return {
    id: taskId('multi-hop', size, seed, index),
    suite: 'multi-hop',
    size,
    seed,
    index,
    query: `The documents are profiles of people and companies. In which city is the headquarters of the company that ${person} joined? Answer with the city only.`,
    context: documents,
    answer: city,
    expected: { kind: 'text', value: city },
    meta: { person, company, documents: documents.length },
  }
}
