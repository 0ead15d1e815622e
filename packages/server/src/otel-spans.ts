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

interface RunSpans {
  root: Span
  nodes: Map<string, Span>
  subCalls: Map<string, Span>
  model: string
}

const usageAttributes = (u: RunUsage): Attributes => ({
  'gen_ai.usage.input_tokens': u.inputTokens,
  'gen_ai.usage.output_tokens': u.outputTokens,
  'rlm.usage.cost_usd': u.costUsd,
})

/** "openai:gpt-4o-mini" → the provider and the model's own name. */
function modelAttributes(id: string): Attributes {
  const colon = id.indexOf(':')
  return colon === -1
    ? { 'gen_ai.request.model': id }
    : { 'gen_ai.provider.name': id.slice(0, colon), 'gen_ai.request.model': id.slice(colon + 1) }
}

export function createOtelObserver(tracer: Tracer = trace.getTracer('@rlm/server')): RunObserver {
  const spans = new WeakMap<ManagedRun, RunSpans>()

  const child = (
    s: RunSpans,
    parentId: string | undefined,
    name: string,
    start: number,
    attributes: Attributes,
  ): Span => {
    const parent = (parentId !== undefined && s.nodes.get(parentId)) || s.root
    return tracer.startSpan(
      name,
      { startTime: start, attributes, kind: SpanKind.INTERNAL },
      trace.setSpan(context.active(), parent),
    )
  }

  const onEvent = (run: ManagedRun, e: RlmEvent): void => {
    const s = spans.get(run)
    if (!s) return
    switch (e.type) {
      case 'run_start':
        s.model = e.model
        s.root.setAttributes({
          ...modelAttributes(e.model),
          'rlm.sub_model': e.subModel,
          'rlm.run.engine_id': e.runId,
        })
        s.nodes.set(e.nodeId, s.root)
        return
      case 'child_start':
        s.nodes.set(
          e.nodeId,
          child(s, e.parentId, 'invoke_agent rlm', e.timestamp, {
            'gen_ai.operation.name': 'invoke_agent',
            'gen_ai.agent.name': 'rlm',
            'rlm.node.id': e.nodeId,
            'rlm.depth': e.depth,
          }),
        )
        return
      case 'child_end': {
        const span = s.nodes.get(e.nodeId)
        span?.setAttributes({ ...usageAttributes(e.usage), 'rlm.status': e.status })
        if (e.status === 'error') span?.setStatus({ code: SpanStatusCode.ERROR })
        span?.end(e.timestamp)
        s.nodes.delete(e.nodeId)
        return
      }
      case 'model_reply': {
        const model = modelAttributes(s.model)
        child(s, e.nodeId, `chat ${model['gen_ai.request.model']}`, e.timestamp - e.durationMs, {
          'gen_ai.operation.name': 'chat',
          ...model,
          ...usageAttributes(e.usage),
          'rlm.purpose': e.purpose,
          'rlm.cached': e.cached,
        }).end(e.timestamp)
        return
      }
      case 'code_end': {
        const span = child(s, e.nodeId, 'execute_tool repl', e.timestamp - e.durationMs, {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'repl',
          'rlm.iteration': e.iteration,
          'rlm.cell': e.cell,
        })
        if (!e.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: e.error?.code ?? 'cell failed' })
        if (e.error) span.setAttribute('error.type', e.error.code)
        span.end(e.timestamp)
        return
      }
      case 'subcall_start': {
        const attrs = modelAttributes(e.model)
        s.subCalls.set(
          e.callId,
          child(s, e.nodeId, `chat ${attrs['gen_ai.request.model']}`, e.timestamp, {
            'gen_ai.operation.name': 'chat',
            ...attrs,
            'rlm.call.id': e.callId,
          }),
        )
        return
      }
      case 'subcall_end': {
        const span = s.subCalls.get(e.callId)
        if (!span) return
        s.subCalls.delete(e.callId)
        span.setAttributes({ ...usageAttributes(e.usage), 'rlm.status': e.status, 'rlm.cached': e.cached })
        if (e.error) span.setAttribute('error.type', e.error.code)
        if (e.status !== 'ok')
          span.setStatus({ code: SpanStatusCode.ERROR, message: e.error?.code ?? e.status })
        span.end(e.timestamp)
        return
      }
      case 'run_end':
        s.root.setAttributes({
          ...usageAttributes(e.usage),
          'rlm.status': e.status,
          'rlm.sub_calls': e.subCalls,
        })
        if (e.error) s.root.setAttribute('error.type', e.error.code)
        return
      default:
        return
    }
  }

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
      if (!root.isRecording()) return
      spans.set(run, { root, nodes: new Map(), subCalls: new Map(), model: run.model })
    },
    onEvent,
    onEnd(run) {
      const s = spans.get(run)
      if (!s) return
      spans.delete(run)
      for (const span of s.subCalls.values()) span.end()
      for (const span of s.nodes.values()) if (span !== s.root) span.end()
      s.root.setAttribute('rlm.status', run.status)
      if (run.status === 'error' || run.status === 'cancelled')
        s.root.setStatus({ code: SpanStatusCode.ERROR, message: run.error?.code ?? run.status })
      s.root.end()
    },
  }
}
