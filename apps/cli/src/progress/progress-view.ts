// Shows a run's progress on stderr: one live line redrawn in place on a TTY, plain lines at
// milestones otherwise (logs and CI stay readable). --verbose adds each reply, cell and output,
// a cell's prints as they happen.

import type { RlmEvent } from '@rlm/engine'
import { createStyle, type Style } from '../term-style.ts'
import { formatCount, formatMs, formatUsd } from './figures.ts'
import { applyEvent, createProgressState, type ProgressState } from './progress-state.ts'

export interface ProgressOptions {
  stream?: NodeJS.WriteStream
  verbose?: boolean
  /** Plain-line mode: at most one sub-call progress line per this many ms. */
  plainIntervalMs?: number
}

export interface ProgressView {
  onEvent(event: RlmEvent): void
  /** Clears the live line (call before printing anything else on stderr). */
  stop(): void
  readonly state: ProgressState
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function statusLine(s: ProgressState, now = Date.now()): string {
  const parts = [
    `iter ${s.iteration}`,
    `depth ${s.depth}${s.nodeId !== '0' ? ` (node ${s.nodeId})` : ''}`,
    `sub-calls ${s.subCallsDone} done, ${s.inFlight} in flight`,
  ]
  if (s.childrenStarted) parts.push(`children ${s.childrenDone}/${s.childrenStarted}`)
  parts.push(`${formatCount(s.inputTokens + s.outputTokens)} tok`, formatUsd(s.costUsd, s.unpricedCalls))
  parts.push(formatMs(now - s.startedAt))
  return parts.join(' · ')
}

export function createProgressView(options: ProgressOptions = {}): ProgressView {
  const stream = options.stream ?? process.stderr
  const live = stream.isTTY === true
  const style: Style = createStyle(stream)
  const state = createProgressState()
  const interval = options.plainIntervalMs ?? 2000
  let frame = 0
  let lastDraw = 0
  let lastPlain = 0
  let drawn = false
  let timer: NodeJS.Timeout | undefined

  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  const draw = (): void => {
    const width = Math.max(20, (stream.columns ?? 100) - 1)
    const line = `${style.paint('cyan', FRAMES[frame++ % FRAMES.length] as string)} ${statusLine(state)}`
    stream.write(`\r\x1b[2K${line.length > width + 10 ? line.slice(0, width + 10) : line}`)
    drawn = true
    lastDraw = Date.now()
  }
  const plain = (text: string): void => {
    if (live) clear()
    stream.write(`${style.paint('dim', `[${formatMs(Date.now() - state.startedAt)}]`)} ${text}\n`)
  }
  if (live) {
    timer = setInterval(draw, 120)
    timer.unref()
  }

  // Cells whose prints were shown live: their code_end shows the outcome, not the output again.
  const streamed = new Set<string>()
  const verbose = (e: RlmEvent): void => {
    const tag = style.paint('dim', `node ${e.nodeId}`)
    if (e.type === 'model_reply') plain(`${tag} reply (${e.purpose}):\n${clip(e.text)}`)
    else if (e.type === 'cell_output') {
      streamed.add(`${e.nodeId}|${e.iteration}|${e.cell}`)
      plain(`${tag} cell ${e.cell} prints:\n${clip(e.chunk.replace(/\n$/, ''))}`)
    } else if (e.type === 'code_end') {
      const outcome = `${tag} cell ${e.cell} ${e.ok ? 'ok' : style.paint('red', `failed ${e.error?.code ?? ''}`)} (${formatMs(e.durationMs)})`
      if (!streamed.delete(`${e.nodeId}|${e.iteration}|${e.cell}`))
        plain(`${outcome}:\n${clip(e.output || '(no output)')}`)
      else plain(e.ok || !e.error ? outcome : `${outcome}: ${e.error.message}`)
    } else if (e.type === 'notice') plain(`${tag} notice: ${e.message}`)
  }

  return {
    state,
    onEvent(e) {
      applyEvent(state, e)
      if (options.verbose) verbose(e)
      // A fatal error of the root ends the run: the CLI says it once, in its last line.
      if (e.type === 'error' && !(e.fatal && e.depth === 0))
        plain(style.paint('yellow', `node ${e.nodeId}: ${e.code}: ${e.message}`))
      if (e.type === 'budget_exhausted')
        plain(style.paint('yellow', `budget ${e.budget} exhausted (${e.used} of ${e.limit})`))
      if (live) {
        if (Date.now() - lastDraw > 80) draw()
        return
      }
      // Plain lines: milestones always, sub-call progress at most every `interval` ms.
      if (e.type === 'iteration_start') plain(statusLine(state))
      else if (e.type === 'child_start') plain(`child ${e.nodeId} started: ${oneLine(e.query)}`)
      else if (e.type === 'child_end') plain(`child ${e.nodeId} ${e.status} in ${formatMs(e.durationMs)}`)
      else if (e.type === 'subcall_end' && Date.now() - lastPlain > interval) {
        lastPlain = Date.now()
        plain(statusLine(state))
      }
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      clear()
    },
  }
}

function clip(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text
}

function oneLine(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
