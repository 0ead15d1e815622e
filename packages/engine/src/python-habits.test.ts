import { describe, expect, it } from 'vitest'
import { pythonCorrection, readReplyCode } from './python-habits.ts'

describe('readReplyCode', () => {
  it('sets python blocks apart and keeps JavaScript blocks to run', () => {
    const reply = '```python\nprint(len(context))\n```\n```js\nprint(context.length)\n```'
    expect(readReplyCode(reply)).toEqual({ code: ['print(context.length)'], python: ['print(len(context))'] })
  })

  it('takes a repl block that does not parse and looks like Python for Python', () => {
    const py = 'for line in context.split("\\n"):\n    print(f"{line}")'
    expect(readReplyCode(`\`\`\`repl\n${py}\n\`\`\``)).toEqual({ code: [], python: [py] })
  })

  it('runs a repl block that parses, even with Python-looking words in it', () => {
    const js = 'const elif = 1 // if x:\nfor (const x of [1]) print(x, elif)'
    expect(readReplyCode(`\`\`\`repl\n${js}\n\`\`\``)).toEqual({ code: [js], python: [] })
  })

  it('reads a reply with a huge block of blank lines in linear time (the model writes it: hostile input)', () => {
    const code = `const a = 1\n${' \n'.repeat(40_000)}print(a)`
    const t0 = performance.now()
    expect(readReplyCode(`\`\`\`js\n${code}\n\`\`\``).code).toHaveLength(1)
    const py = `x = 1\n${'\t\n'.repeat(40_000)}if x:\n    print(x)`
    expect(readReplyCode(`\`\`\`repl\n${py}\n\`\`\``).python).toHaveLength(1)
    expect(pythonCorrection([py])).toContain('JavaScript')
    // Quadratic before: ~50 s for the first block alone; linear, it is milliseconds.
    expect(performance.now() - t0).toBeLessThan(5000)
  })

  it('leaves a JavaScript syntax error that is not Python to the sandbox', () => {
    const broken = 'const x = (1 + \nprint(x)'
    expect(readReplyCode(`\`\`\`js\n${broken}\n\`\`\``)).toEqual({ code: [broken], python: [] })
  })
})

describe('pythonCorrection', () => {
  it('says the REPL is JavaScript and lists the equivalents of what the code used', () => {
    const text = pythonCorrection([
      'import re\nparts = []\nfor p in chunks:\n    parts.append(len(p))\nprint(f"{n} lines")\nout = "\\n".join(parts)\nhead = context[:100]',
    ])
    expect(text).toMatch(/^That code is Python, but the REPL runs JavaScript, so it was not run/)
    for (const expected of [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the JavaScript shown to the model
      '`total: ${n}`',
      'x.length',
      'for (const x of xs)',
      'parts.join("\\n")',
      'text.slice(a, b)',
      'xs.push(x)',
      'nothing to import',
    ]) {
      expect(text).toContain(expected)
    }
    expect(text).not.toContain('toLowerCase')
  })
})
