// Every Redis key the queue writes besides BullMQ's own, in one place. They share BullMQ's
// prefix, so a prefix in braces ('{rlm}') puts them in one Redis Cluster hash slot with the queue.

export const DEFAULT_QUEUE_NAME = 'rlm-runs'
export const DEFAULT_PREFIX = 'bull'

export interface QueueKeys {
  /** Stream of one job's progress events. */
  events(jobId: string): string
  /** Pub/sub channel that carries cancellations to whichever worker runs the job. */
  readonly cancelChannel: string
  /** Set of job ids cancelled while active (read by the worker that picks a stalled one up). */
  readonly cancelled: string
  /** Hash of one job's journaled model responses. */
  journal(jobId: string): string
  /** Sliding-window bookings of one rate-limit key (a provider, or a provider and API key). */
  rateLimit(name: string): string
  /** Leases of the cross-worker sub-call concurrency cap. */
  readonly subCalls: string
}

export function queueKeys(name: string, prefix: string = DEFAULT_PREFIX): QueueKeys {
  const base = `${prefix}:${name}:rlm`
  return {
    events: (jobId) => `${base}:events:${jobId}`,
    cancelChannel: `${base}:cancel`,
    cancelled: `${base}:cancelled`,
    journal: (jobId) => `${base}:journal:${jobId}`,
    rateLimit: (key) => `${base}:ratelimit:${key}`,
    subCalls: `${base}:subcalls`,
  }
}
