import { createScripted } from '@rlm/providers'
import { expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

it('search pages on with { from: hits.at(-1).end }, as the prompt teaches', async () => {
  const text = Array.from({ length: 250 }, (_, i) => `row ${i} hit`).join('\n')
  const model = createScripted([
    js(
      'const first = search("hit")\nconst next = search("hit", { from: first.at(-1).end })\nconst all = search("hit", { limit: 1000 })\nFINAL([first.length, next.length, next[0].line, all.length])',
    ),
  ])
  const r = await createRlm({ model }).run({ query: 'q', context: text })
  expect(JSON.parse(r.answer)).toEqual([100, 100, 101, 250])
})
