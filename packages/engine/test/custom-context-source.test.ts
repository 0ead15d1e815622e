import type {
  ChunkOptions,
  ChunkSpan,
  ContextSource,
  ContextSourceDocument,
  RegExpExecMatch,
  RegExpExecOptions,
  SearchHit,
  SearchOptions,
} from '@rlm/context'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

/**
 * A context the caller keeps in its own store (here: rows of a table, one document per row),
 * implemented without @rlm/context. Every read is counted, so the test sees the engine use it.
 */
class TableSource implements ContextSource {
  readonly length: number
  readonly documents: readonly ContextSourceDocument[]
  readonly reads: string[] = []
  readonly #text: string

  constructor(rows: Record<string, string>) {
    const docs: ContextSourceDocument[] = []
    let text = ''
    for (const [name, row] of Object.entries(rows)) {
      docs.push({ name, start: text.length, end: text.length + row.length })
      text += `${row}\n`
    }
    this.#text = text
    this.length = text.length
    this.documents = docs
  }

  slice(start: number, end: number): string {
    this.reads.push(`slice ${start}-${end}`)
    return this.#text.slice(start, end)
  }

  lines(from: number, to: number): string {
    this.reads.push(`lines ${from}-${to}`)
    return this.#text
      .split('\n')
      .slice(from - 1, to)
      .join('\n')
  }

  search(pattern: string, options: SearchOptions = {}): SearchHit[] {
    this.reads.push(`search ${pattern}`)
    const flags = options.ignoreCase ? 'gi' : 'g'
    const re = new RegExp(options.literal ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern, flags)
    const hits: SearchHit[] = []
    for (const m of this.#text.matchAll(re)) {
      if (hits.length >= (options.limit ?? 1000)) break
      const line = this.#text.slice(0, m.index).split('\n').length
      const document = this.documents.find((d) => m.index >= d.start && m.index < d.end)?.name ?? ''
      const snippet = this.#text.split('\n')[line - 1] ?? ''
      hits.push({ index: m.index, end: m.index + m[0].length, text: m[0], line, snippet, document })
    }
    return hits
  }

  execRegExp(pattern: { source: string; flags: string }, options: RegExpExecOptions = {}): RegExpExecMatch[] {
    this.reads.push(`execRegExp /${pattern.source}/`)
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)
    re.lastIndex = options.from ?? 0
    const found: RegExpExecMatch[] = []
    for (
      let m = re.exec(this.#text);
      m && found.length < (options.limit ?? Infinity);
      m = re.exec(this.#text)
    )
      found.push({ index: m.index, end: m.index + m[0].length, captures: [...m].map((c) => c ?? null) })
    return found
  }

  chunk(_options?: ChunkOptions): ChunkSpan[] {
    this.reads.push('chunk')
    return this.documents.map((d, index) => ({
      index,
      start: d.start,
      end: d.end,
      tokens: Math.ceil((d.end - d.start) / 4),
      tokensExact: false,
      document: d.name,
    }))
  }

  describe(): string {
    return `A table of ${this.documents.length} rows (${this.length} characters).`
  }

  estimateTokens(): number {
    return Math.ceil(this.length / 4)
  }
}

const rows = {
  'orders/1': 'order 1 shipped',
  'orders/2': 'order 2 FAILED payment',
  'orders/3': 'order 3 shipped',
}

describe('run({ context }) with a ContextSource the caller implements', () => {
  it('is read through its methods, host-backed, end to end in the real sandbox', async () => {
    const source = new TableSource(rows)
    const model = createScripted([
      js(
        'const hits = search("FAILED")\nprint(hits.length, hits[0].document, context.slice(hits[0].index, hits[0].end))',
      ),
      js('const parts = chunks()\nFINAL(parts.length + " rows; failed: " + hits[0].document)'),
    ])
    // contextInlineLimit 0: the guest `context` is host-backed, so every read goes to the source.
    const rlm = createRlm({ model, contextInlineLimit: 0 })
    const result = await rlm.run({ query: 'Which order failed?', context: source })
    expect(result.status).toBe('final')
    expect(result.answer).toBe('3 rows; failed: orders/2')
    expect(result.tree.iterations[0]!.output).toBe('1 orders/2 FAILED\n')
    expect(source.reads).toContain('search FAILED')
    expect(source.reads).toContain('chunk')
    // The root model was shown the source's own description.
    expect(model.requests[0]!.messages[1]!.content).toContain('A table of 3 rows')
  })

  it('is handed to the guest as a plain string when it is small (read once through slice)', async () => {
    const source = new TableSource(rows)
    const model = createScripted([
      js('FINAL(context.split("\\n").filter((l) => l.includes("shipped")).length)'),
    ])
    const result = await createRlm({ model }).run({ query: 'How many shipped?', context: source })
    expect(result.status).toBe('final')
    expect(result.answer).toBe('2')
    expect(source.reads).toContain(`slice 0-${source.length}`)
  })

  it('rejects a source that lacks part of ContextSource before the run starts, naming what is missing', async () => {
    const model = createScripted([])
    const partial = { length: 3, documents: [], slice: () => 'abc', lines: () => 'abc' }
    await expect(
      createRlm({ model }).run({ query: 'q', context: partial as unknown as ContextSource }),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining(
        'has no search(), execRegExp(), chunk(), describe(), estimateTokens()',
      ),
    })
    expect(model.requests).toHaveLength(0)
  })
})
