// checkCodeMemo: the prelude every sandbox installs is parsed once per worker, with the same result
// (rewrite or problem) as checkCode.
import { describe, expect, it } from 'vitest'
import { checkCode, checkCodeMemo } from '../src/check-code.ts'

describe('checkCodeMemo', () => {
  it('gives what checkCode gives, for good and bad code, and reuses the result for the same source', () => {
    const sources = ['const a = 1\nlet b = a + 1\nclass C {}', 'require("fs")', 'let x = (', 'var fine = 1']
    for (const source of sources) {
      const first = checkCodeMemo(source)
      expect(first).toEqual(checkCode(source))
      expect(checkCodeMemo(source)).toBe(first)
    }
  })

  it('keeps only the last few sources', () => {
    const first = checkCodeMemo('var first = 1')
    for (let i = 0; i < 10; i++) checkCodeMemo(`var other${i} = ${i}`)
    const again = checkCodeMemo('var first = 1')
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
  })
})
