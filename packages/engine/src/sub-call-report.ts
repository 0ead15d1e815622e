// How one llm_query call shows up: subcall_start when it is sent, then subcall_end and a record
// in the node's tree, with the answer or an error marker (the guest sees the marker in batches).

import { errorFields, redactSecrets } from '@rlm/errors'
import type { ModelCallResult } from './model-call.ts'
import type { LanguageModel } from './model-spec.ts'
import type { NodeState } from './node-state.ts'
import { addUsage, emptyUsage } from './result.ts'
import { preview } from './string-preview.ts'
import type { SubCallPrompt } from './sub-call-prompt.ts'

const EVENT_PROMPT_CHARS = 20_000
/** Prompts and answers are kept in the tree up to this many characters, so memory stays flat. */
const RECORD_CHARS = 2_000

export function errorMarker(fn: 'llm_query' | 'rlm_query', error: { code: string; message: string }): string {
  return `[${fn} error ${error.code}: ${redactSecrets(error.message)}]`
}

export class SubCallReport {
  private readonly node: NodeState
  private readonly callId: string
  private readonly prompt: SubCallPrompt
  private readonly model: LanguageModel
  private startedAt: number | undefined

  constructor(node: NodeState, callId: string, prompt: SubCallPrompt, model: LanguageModel) {
    this.node = node
    this.callId = callId
    this.prompt = prompt
    this.model = model
  }

  /** Was the call sent (or did it fail after being sent)? */
  get started(): boolean {
    return this.startedAt !== undefined
  }

  /** The call was sent; reported once. */
  readonly begin = (): void => {
    if (this.startedAt !== undefined) return
    this.startedAt = performance.now()
    this.node.scope.emit(this.node, {
      type: 'subcall_start',
      callId: this.callId,
      prompt: preview(this.prompt.shown(), EVENT_PROMPT_CHARS),
      promptChars: this.prompt.chars,
      promptHash: this.prompt.hash,
      model: `${this.model.provider}:${this.model.modelId}`,
    })
  }

  succeeded(res: ModelCallResult): void {
    const { node, callId } = this
    node.record.subCalls.push({
      ...this.base(),
      answer: preview(res.text, RECORD_CHARS),
      answerChars: res.text.length,
      status: 'ok',
      usage: res.usage,
      durationMs: res.durationMs,
      cached: res.cached,
    })
    addUsage(node.record.usage, res.usage)
    node.scope.emit(node, {
      type: 'subcall_end',
      callId,
      promptHash: this.prompt.hash,
      status: 'ok',
      answer: res.text,
      usage: res.usage,
      durationMs: res.durationMs,
      cached: res.cached,
    })
  }

  /** The call failed after it counted as a sub-call: `cancelled` when its scope ended. */
  failed(cause: unknown, cancelled: boolean): void {
    this.begin()
    const error = errorFields(cause)
    const status = cancelled ? 'cancelled' : 'error'
    const durationMs = performance.now() - (this.startedAt ?? performance.now())
    const answer = errorMarker('llm_query', error)
    const record = { answer, error, status, usage: emptyUsage(), durationMs, cached: false } as const
    this.node.record.subCalls.push({ ...this.base(), ...record, answerChars: answer.length })
    this.node.scope.emit(this.node, {
      type: 'subcall_end',
      callId: this.callId,
      promptHash: this.prompt.hash,
      ...record,
    })
  }

  private base() {
    const p = this.prompt
    return {
      id: this.callId,
      prompt: preview(p.shown(), RECORD_CHARS),
      promptChars: p.chars,
      promptHash: p.hash,
    }
  }
}
