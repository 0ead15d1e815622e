import { describe, expect, it } from 'vitest'
import { extractCodeBlocks, extractFinalCalls } from './code-blocks.ts'

describe('extractCodeBlocks', () => {
  it('finds js, javascript and repl blocks in order', () => {
    const reply =
      'First:\n```js\nconst a = 1\n```\nthen\n```javascript\nprint(a)\n```\nand\n```repl\nFINAL(a)\n```\n'
    expect(extractCodeBlocks(reply)).toEqual(['const a = 1', 'print(a)', 'FINAL(a)'])
  })

  it('does not end a block at backticks inside a string of the code', () => {
    const reply = '```js\nconst s = "```"\nconst t = \'a ``` b\'\nprint(s + t)\n```'
    expect(extractCodeBlocks(reply)).toEqual(['const s = "```"\nconst t = \'a ``` b\'\nprint(s + t)'])
  })

  it('ignores blocks of other languages and fences that are not at the start of a line', () => {
    const reply =
      'Run ```js print(1)``` inline.\n```python\nprint(2)\n```\n```\nplain\n```\n```js\nprint(3)\n```'
    expect(extractCodeBlocks(reply)).toEqual(['print(3)'])
  })

  it('runs an unclosed last block to the end of the reply', () => {
    expect(extractCodeBlocks('```js\nprint(1)\nprint(2)')).toEqual(['print(1)\nprint(2)'])
  })

  it('accepts CRLF line ends and a longer fence', () => {
    expect(extractCodeBlocks('````js\r\nconst x = "```"\r\n````\r\n')).toEqual(['const x = "```"'])
  })

  it('skips empty blocks and returns [] for prose', () => {
    expect(extractCodeBlocks('```js\n\n```')).toEqual([])
    expect(extractCodeBlocks('The answer is 42.')).toEqual([])
  })
})

describe('extractFinalCalls', () => {
  it('finds FINAL and FINAL_VAR lines written as text outside code', () => {
    expect(extractFinalCalls('Done.\nFINAL_VAR(answer)\n')).toEqual(['FINAL_VAR("answer")'])
    expect(extractFinalCalls('FINAL("x")')).toEqual(['FINAL("x")'])
    expect(extractFinalCalls('```js\nFINAL(1)\n```')).toEqual([])
    expect(extractFinalCalls('I will call FINAL(x) later')).toEqual([])
  })
})

describe('extractCodeBlocks and multi-line literals', () => {
  it('keeps a fence line that sits inside an open block comment', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${} is guest code under test
    const reply = '```js\n/* usage:\n```\n*/\nconst t = `x ${"}"} \\`\\`\\``\nprint(t)\n```\nafter'
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${} is guest code under test
    expect(extractCodeBlocks(reply)).toEqual(['/* usage:\n```\n*/\nconst t = `x ${"}"} \\`\\`\\``\nprint(t)'])
  })

  it('is not fooled by backticks in strings and comments', () => {
    const reply = '```js\nconst s = "`" // `\n/* ` */ print(s)\n```\n```js\nprint(2)\n```'
    expect(extractCodeBlocks(reply)).toEqual(['const s = "`" // `\n/* ` */ print(s)', 'print(2)'])
  })
})
