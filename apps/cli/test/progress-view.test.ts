import { PassThrough } from 'node:stream'
import type { RlmEvent } from '@rlm/engine'
import { describe, expect, it } from 'vitest'
import { createProgressView } from '../src/progress/progress-view.ts'

const base = { runId: 'r', nodeId: '0', depth: 0, timestamp: 0 }

function view() {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean }
  let text = ''
  stream.on('data', (b: Buffer) => {
    text += b.toString()
  })
  const progress = createProgressView({ stream: stream as unknown as NodeJS.WriteStream, verbose: true })
  return { progress, text: () => text }
}

describe('progress view --verbose', () => {
  it("shows a cell's prints as they arrive and, at its end, only its outcome", () => {
    const { progress, text } = view()
    const events: RlmEvent[] = [
      { ...base, type: 'cell_output', iteration: 1, cell: 0, chunk: 'step 1\n' },
      { ...base, type: 'cell_output', iteration: 1, cell: 0, chunk: 'step 2\n' },
      {
        ...base,
        type: 'code_end',
        iteration: 1,
        cell: 0,
        code: 'x',
        output: 'step 1\nstep 2\n',
        ok: true,
        durationMs: 5,
      },
      {
        ...base,
        type: 'code_end',
        iteration: 1,
        cell: 1,
        code: 'y',
        output: '=> 3',
        ok: true,
        durationMs: 1,
      },
    ]
    for (const e of events) progress.onEvent(e)
    progress.stop()
    const out = text()
    expect(out).toMatch(/node 0 cell 0 prints:\nstep 1\n/)
    expect(out).toMatch(/node 0 cell 0 prints:\nstep 2\n/)
    expect(out.match(/step 1/g)).toHaveLength(1)
    expect(out).toMatch(/node 0 cell 0 ok \(\d+ ?ms\)\n/)
    expect(out).toMatch(/node 0 cell 1 ok \(\d+ ?ms\):\n=> 3/)
  })
})
