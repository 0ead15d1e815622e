import { describe, expect, it } from 'vitest'
import { extractCodeBlocks, extractFinalCalls, fencedBlocks } from './code-blocks.ts'

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

describe('extractCodeBlocks with acorn', () => {
  it('does not take backticks in a regex literal for a template literal', () => {
    const reply =
      '```js\nconst fence = /```(\\w+) fences/g\nprint(fence.source)\n```\nThen:\n```js\nprint(2)\n```'
    expect(extractCodeBlocks(reply)).toEqual([
      'const fence = /```(\\w+) fences/g\nprint(fence.source)',
      'print(2)',
    ])
  })

  it('keeps a fence line inside nested template literals', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${} is guest code under test
    const code = 'const md = `outer ${`inner\n~~~\n${1 + 1}`} tail\n~~~\n`\nprint(md)'
    expect(extractCodeBlocks(`~~~js\n${code}\n~~~\nprose`)).toEqual([code])
  })

  it.each([
    [
      'tells division from a regex, so a slash does not hold the block open',
      '```js\nconst half = total / 2 / parts\n```\n```js\nprint(half)\n```',
      ['const half = total / 2 / parts', 'print(half)'],
    ],
    [
      'reads ~~~ fences, which ``` lines inside do not close',
      '~~~js\nconst s = "x" /*\n```\n*/\nprint(s)\n~~~\n~~~ repl\nprint(2)\n~~~~',
      ['const s = "x" /*\n```\n*/\nprint(s)', 'print(2)'],
    ],
    [
      'reads CRLF replies with a comment across lines',
      '```js\r\n/* a\r\n```\r\n*/ const t = `x\r\ny`\r\nprint(t)\r\n```\r\ndone',
      ['/* a\n```\n*/ const t = `x\ny`\nprint(t)'],
    ],
    [
      'closes a block whose code the tokenizer rejects (a stray character) at its fence',
      '```js\n@decorator\nprint(`x`)\n```\n```js\nprint(2)\n```',
      ['@decorator\nprint(`x`)', 'print(2)'],
    ],
    [
      'does not read an odd backtick in a prose block as an open template',
      '```\nuse ` carefully\n```\n```js\nprint(1)\n```',
      ['print(1)'],
    ],
  ])('%s', (_name, reply, expected) => {
    expect(extractCodeBlocks(reply)).toEqual(expected)
  })

  it('runs an unclosed block to the end, also when it ends inside a template literal or comment', () => {
    expect(extractCodeBlocks('```js\nconst t = `never closed\n```\nprose')).toEqual([
      'const t = `never closed\n```\nprose',
    ])
    expect(extractCodeBlocks('```js\n/* open comment\n```')).toEqual(['/* open comment\n```'])
  })

  it('lists blocks of every language with their tags', () => {
    const blocks = fencedBlocks('```Python\nprint(len(x))\n```\n```js\nprint(1)\n```')
    expect(blocks.map((b) => [b.lang, b.code])).toEqual([
      ['python', 'print(len(x))'],
      ['js', 'print(1)'],
    ])
  })

  it('finds no FINAL line inside a comment of a block', () => {
    expect(extractFinalCalls('```js\n/*\n```\nFINAL(1)\n*/\n```\nFINAL(2)')).toEqual(['FINAL(2)'])
  })
})
