import { describe, expect, it } from 'vitest'
import { buildViewData, renderTraceHtml, type ViewData } from '../src/index.ts'
import { hostile, jsonl, traces } from './hostile-traces.ts'

const invalidNotes = (view: ViewData, nodeId = '0') =>
  view.runs[0]!.nodes.find((n) => n.id === nodeId)!.notes.filter((n) => n.invalid)

/** The view model embedded in a rendered page, read back as the page's script reads it. */
function embedded(html: string): ViewData {
  const json = /<script type="application\/json" id="rlm-data">(.*?)<\/script>/s.exec(html)?.[1]
  return (JSON.parse(json as string) as { view: ViewData }).view
}

describe('hostile traces become error rows, never a crash', () => {
  it('text: null in a reply: the line is an error row under its node, the rest is shown', () => {
    const view = embedded(renderTraceHtml(hostile.nullText()))
    expect(view.issueCount).toBe(1)
    expect(view.issues[0]).toMatchObject({ line: 3, kind: 'fields', type: 'model_reply', nodeId: '0' })
    expect(view.issues[0]!.message).toMatch(/model_reply\.text: .*expected string/)
    expect(invalidNotes(view)[0]!.text).toMatch(/^line 3: model_reply\.text/)
    expect(view.runs[0]).toMatchObject({ status: 'final', answer: 'the answer', complete: true })
  })

  it('a run_start without context: the run is still drawn from its other events', () => {
    const view = buildViewData(hostile.missingContext())
    expect(view.issues[0]).toMatchObject({ line: 1, type: 'run_start' })
    expect(view.issues[0]!.message).toMatch(/^run_start\.context: /)
    const run = view.runs[0]!
    expect(run).toMatchObject({ status: 'final', context: { length: 0, documents: 0 } })
    expect(run.nodes[0]!.iterations[0]!.reply).toBe('a reply')
  })

  it('settings nested a million levels deep are cut, with a sentence saying so', () => {
    const html = renderTraceHtml(hostile.deepSettings())
    const view = embedded(html)
    let depth = 0
    for (let v: unknown = view.runs[0]!.settings; typeof v === 'object' && v !== null; depth++)
      v = Object.values(v)[0]
    expect(depth).toBe(8)
    expect(view.limits.join(' ')).toMatch(/Settings nested deeper than 8 levels/)
    expect(view.runs[0]!.status).toBe('final')
  })

  it('200,000 nodes and no run_end: 5,000 nodes shown, the cap stated, totals from what was recorded', () => {
    const view = buildViewData(hostile.manyNodesNoEnd())
    const run = view.runs[0]!
    expect(run.nodes).toHaveLength(5_000)
    expect(run.roots).toEqual(['0'])
    expect(run.nodes[0]!.children).toHaveLength(4_999)
    expect(run.limits[0]).toMatch(/200000 nodes in this run: the first 5000 are shown/)
    expect(run).toMatchObject({ status: 'incomplete', complete: false, maxDepthReached: 2 })
  })

  it('a chain of 2,000 nested children is linked and totalled without recursion', () => {
    const view = buildViewData(hostile.deepChain())
    const nodes = view.runs[0]!.nodes
    expect(nodes).toHaveLength(2_000)
    expect(nodes.every((n, i) => n.children.length === (i < 1_999 ? 1 : 0))).toBe(true)
    expect(view.runs[0]!.maxDepthReached).toBe(2_000)
  })

  it('a string costUsd is an error row; no string reaches the page where a number belongs', () => {
    const view = buildViewData(hostile.stringCost())
    expect(view.issues[0]!.message).toMatch(/run_end\.usage\.costUsd: .*expected number/)
    expect(view.runs[0]!.usage.costUsd).toBe(0.001) // from the valid reply, the run counted as cut short
    expect(view.runs[0]!.status).toBe('incomplete')
  })

  it('an event type or field from a newer engine is a neutral note, the known ones still shown', () => {
    const view = buildViewData(hostile.newerEngine())
    expect(view.issues).toEqual([
      expect.objectContaining({ line: 3, kind: 'unknown_type', type: 'tool_call' }),
    ])
    const notes = view.runs[0]!.nodes[0]!.notes
    expect(notes).toEqual([expect.objectContaining({ kind: 'unknown event', invalid: false })])
    expect(view.runs[0]).toMatchObject({ status: 'final', settings: { maxDepth: 2 } })
  })

  it('lines that are not events are listed (the first 1,000) and all counted', () => {
    const view = buildViewData(hostile.garbage(5_000))
    expect(view.issueCount).toBe(5_000)
    expect(view.issues).toHaveLength(1_000)
    expect(view.issues[0]).toMatchObject({ line: 2, kind: 'envelope' })
    expect(view.issues[1]).toMatchObject({ line: 3, kind: 'json' })
    expect(view.limits).toContain('5000 problems in the trace: the first 1000 are listed.')
  })

  it('event values are checked like lines; a trace with no valid event still renders a page', () => {
    const { runStart, reply } = traces
    const view = buildViewData([runStart, { ...reply, usage: null }, 42])
    expect(view.issues.map((i) => [i.line, i.kind])).toEqual([
      [2, 'fields'],
      [3, 'envelope'],
    ])
    const empty = embedded(renderTraceHtml('nothing here\n'))
    expect(empty).toMatchObject({ runs: [], issueCount: 1 })
  })

  it('bounds cut texts and items, and say so', () => {
    const { runStart, iteration, reply } = traces
    const replies = Array.from({ length: 20 }, () => [iteration, { ...reply, text: 'x'.repeat(100) }]).flat()
    const view = buildViewData(jsonl([runStart, ...replies]), {
      limits: { totalTextChars: 500, spentTextChars: 10, maxItems: 12 },
    })
    const its = view.runs[0]!.nodes[0]!.iterations
    expect(its).toHaveLength(12)
    expect(its[0]!.reply).toBe('x'.repeat(100))
    expect(its[11]!.reply).toMatch(/^x{10}\n… \[90 more characters/)
    expect(view.limits.join(' ')).toMatch(/text budget .* ran out.*8 iterations, cells/)
  })
})
