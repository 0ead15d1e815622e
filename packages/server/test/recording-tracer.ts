// A tracer provider that records spans in memory, registered through @opentelemetry/api the way an
// application registers the SDK's: what the server's spans look like to any OpenTelemetry backend.

import { randomBytes } from 'node:crypto'
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type Span,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'

export interface RecordedSpan {
  name: string
  spanId: string
  parentSpanId: string | undefined
  attributes: Attributes
  status: SpanStatus | undefined
  start: number
  end: number | undefined
}

const millis = (t: TimeInput | undefined): number =>
  t === undefined
    ? Date.now()
    : typeof t === 'number'
      ? t
      : t instanceof Date
        ? t.getTime()
        : t[0] * 1000 + t[1] / 1e6

class RecordingSpan implements Span {
  readonly #context = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  }
  readonly record: RecordedSpan
  constructor(record: RecordedSpan) {
    this.record = record
    record.spanId = this.#context.spanId
  }
  spanContext() {
    return this.#context
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.record.attributes[key] = value
    return this
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes)
    return this
  }
  addEvent(): this {
    return this
  }
  addLink(): this {
    return this
  }
  addLinks(): this {
    return this
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status
    return this
  }
  updateName(name: string): this {
    this.record.name = name
    return this
  }
  end(endTime?: TimeInput): void {
    if (this.record.end !== undefined) throw new Error(`span ${this.record.name} ended twice`)
    this.record.end = millis(endTime)
  }
  isRecording(): boolean {
    return this.record.end === undefined
  }
  recordException(): void {}
}

export function registerRecordingTracer(): { spans: RecordedSpan[]; unregister(): void } {
  const spans: RecordedSpan[] = []
  const tracer: Tracer = {
    startSpan(name: string, options: SpanOptions = {}, context?: Context): Span {
      const parent = context ? trace.getSpan(context) : undefined
      const record: RecordedSpan = {
        name,
        spanId: '',
        parentSpanId: parent?.spanContext().spanId,
        attributes: { ...options.attributes },
        status: undefined,
        start: millis(options.startTime),
        end: undefined,
      }
      spans.push(record)
      return new RecordingSpan(record)
    },
    startActiveSpan: (() => {
      throw new Error('not used by @rlm/server')
    }) as Tracer['startActiveSpan'],
  }
  const provider: TracerProvider = { getTracer: () => tracer }
  trace.setGlobalTracerProvider(provider)
  return { spans, unregister: () => trace.disable() }
}
