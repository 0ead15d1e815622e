// OpenTelemetry, when the application registered a tracer provider (@opentelemetry/api): each run,
// child node, code cell and model call becomes a span with the GenAI semantic-convention
// attributes, built from the run's events with their own timestamps. Without a provider the API's
// spans do not record, and the run's events are not looked at again.

import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import type { RlmEvent, RunUsage } from '@rlm/engine'
import type { ManagedRun } from './managed-run.ts'
import type { RunObserver } from './run-manager.ts'

const usageAttributes = (u: RunUsage): Attributes => ({
  'gen_ai.usage.input_tokens': u.inputTokens,
  'gen_ai.usage.output_tokens': u.outputTokens,
  'rlm.usage.cost_usd': u.costUsd,
})

/** "openai:gpt-4o-mini" → the provider and the model's own name. */
function modelAttributes(id: string): { 'gen_ai.request.model': string; 'gen_ai.provider.name'?: string } {
  const colon = id.indexOf(':')
  return colon === -1
    ? { 'gen_ai.request.model': id }
    : { 'gen_ai.provider.name': id.slice(0, colon), 'gen_ai.request.model': id.slice(colon + 1) }
}

type EventOf<T extends RlmEvent['type']> = Extract<RlmEvent, { type: T }>

/** The open spans of one run: its root, its child nodes by id, its sub-calls in flight. */
class RunSpans {
  readonly #tracer: Tracer
  readonly root: Span
  readonly #nodes = new Map<string, Span>()
  readonly #subCalls = new Map<string, Span>()
  #model: string

  constructor(tracer: Tracer, root: Span, model: string) {
    this.#tracer = tracer
    this.root = root
    this.#model = model
  }

  #start(parentId: string | undefined, name: string, start: number, attributes: Attributes): Span {
    const parent = (parentId !== undefined && this.#nodes.get(parentId)) || this.root
    const options = { startTime: start, attributes, kind: SpanKind.INTERNAL }
    return this.#tracer.startSpan(name, options, trace.setSpan(context.active(), parent))
  }

  add(e: RlmEvent): void {
    if (e.type === 'run_start') this.#runStart(e)
    else if (e.type === 'child_start') this.#childStart(e)
    else if (e.type === 'child_end') this.#childEnd(e)
    else if (e.type === 'model_reply') this.#modelReply(e)
    else if (e.type === 'code_end') this.#cell(e)
    else if (e.type === 'subcall_start') this.#subCallStart(e)
    else if (e.type === 'subcall_end') this.#subCallEnd(e)
    else if (e.type === 'run_end') this.#runEnd(e)
  }

  #runStart(e: EventOf<'run_start'>): void {
    this.#model = e.model
    this.root.setAttributes({
      ...modelAttributes(e.model),
      'rlm.sub_model': e.subModel,
      'rlm.run.engine_id': e.runId,
    })
    this.#nodes.set(e.nodeId, this.root)
  }

  #childStart(e: EventOf<'child_start'>): void {
    const attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'rlm',
      'rlm.node.id': e.nodeId,
      'rlm.depth': e.depth,
    }
    this.#nodes.set(e.nodeId, this.#start(e.parentId, 'invoke_agent rlm', e.timestamp, attributes))
  }

  #childEnd(e: EventOf<'child_end'>): void {
    const span = this.#nodes.get(e.nodeId)
    if (!span || span === this.root) return
    span.setAttributes({ ...usageAttributes(e.usage), 'rlm.status': e.status })
    if (e.status === 'error') span.setStatus({ code: SpanStatusCode.ERROR })
    span.end(e.timestamp)
    this.#nodes.delete(e.nodeId)
  }

  #modelReply(e: EventOf<'model_reply'>): void {
    const model = modelAttributes(this.#model)
    const attributes = {
      'gen_ai.operation.name': 'chat',
      ...model,
      ...usageAttributes(e.usage),
      'rlm.purpose': e.purpose,
      'rlm.cached': e.cached,
    }
    this.#start(
      e.nodeId,
      `chat ${model['gen_ai.request.model']}`,
      e.timestamp - e.durationMs,
      attributes,
    ).end(e.timestamp)
  }

  #cell(e: EventOf<'code_end'>): void {
    const attributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'repl',
      'rlm.iteration': e.iteration,
      'rlm.cell': e.cell,
    }
    const span = this.#start(e.nodeId, 'execute_tool repl', e.timestamp - e.durationMs, attributes)
    if (e.error) span.setAttribute('error.type', e.error.code)
    if (!e.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: e.error?.code ?? 'cell failed' })
    span.end(e.timestamp)
  }

  #subCallStart(e: EventOf<'subcall_start'>): void {
    const model = modelAttributes(e.model)
    const attributes = { 'gen_ai.operation.name': 'chat', ...model, 'rlm.call.id': e.callId }
    this.#subCalls.set(
      e.callId,
      this.#start(e.nodeId, `chat ${model['gen_ai.request.model']}`, e.timestamp, attributes),
    )
  }

  #subCallEnd(e: EventOf<'subcall_end'>): void {
    const span = this.#subCalls.get(e.callId)
    if (!span) return
    this.#subCalls.delete(e.callId)
    span.setAttributes({ ...usageAttributes(e.usage), 'rlm.status': e.status, 'rlm.cached': e.cached })
    if (e.error) span.setAttribute('error.type', e.error.code)
    if (e.status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: e.error?.code ?? e.status })
    span.end(e.timestamp)
  }

  #runEnd(e: EventOf<'run_end'>): void {
    this.root.setAttributes({
      ...usageAttributes(e.usage),
      'rlm.status': e.status,
      'rlm.sub_calls': e.subCalls,
    })
    if (e.error) this.root.setAttribute('error.type', e.error.code)
  }

  /** Ends what is still open (a cancelled run's calls and children), then the run's own span. */
  end(run: ManagedRun): void {
    for (const span of this.#subCalls.values()) span.end()
    for (const span of this.#nodes.values()) if (span !== this.root) span.end()
    this.root.setAttribute('rlm.status', run.status)
    if (run.status === 'error' || run.status === 'cancelled')
      this.root.setStatus({ code: SpanStatusCode.ERROR, message: run.error?.code ?? run.status })
    this.root.end()
  }
}

export function createOtelObserver(tracer: Tracer = trace.getTracer('@rlm/server')): RunObserver {
  const spans = new WeakMap<ManagedRun, RunSpans>()
  return {
    onStart(run) {
      const root = tracer.startSpan('invoke_agent rlm', {
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'rlm',
          'gen_ai.agent.id': run.id,
          'rlm.run.id': run.id,
          'rlm.model': run.model,
        },
      })
      // No tracer provider registered: nothing records, so the run's events are not followed.
      if (root.isRecording()) spans.set(run, new RunSpans(tracer, root, run.model))
    },
    onEvent: (run, e) => spans.get(run)?.add(e),
    onEnd(run) {
      spans.get(run)?.end(run)
      spans.delete(run)
    },
  }
}
