// The guest's inline `context` is the caller's string itself when it is well formed, and the
// context's repaired text (U+FFFD for lone surrogates) when it is not, as before.
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

const echo = createScripted(() =>
  js('FINAL(JSON.stringify([context.length, Array.from(context, (c) => c.codePointAt(0))]))'),
)

const codes = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) as number)

describe('inline context text', () => {
  it('is the caller string, character for character, when it is well formed', async () => {
    const text = 'héllo\r\n世界 😀\u0000end'
    const r = await createRlm({ model: echo }).run({ query: 'q', context: text })
    expect(JSON.parse(r.answer)).toEqual([text.length, codes(text)])
  })

  it('has U+FFFD where the caller string had lone surrogates', async () => {
    const r = await createRlm({ model: echo }).run({ query: 'q', context: 'a\uD800b\uDC00' })
    expect(JSON.parse(r.answer)).toEqual([4, [97, 0xfffd, 98, 0xfffd]])
  })
})
