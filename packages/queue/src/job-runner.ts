// How one job becomes one engine run: the default resolves the job's model ids with the worker's
// shared rate limits inside the providers' retries, then wraps each model with the sub-call cap
// and the job's journal. A custom runner gets the same wrappers to apply to its own models.
import { createRlm, type Rlm } from '@rlm/engine'
import { derive, parseModelId, type RateLimiter, resolveModel, withRateLimit } from '@rlm/providers'
import type { LanguageModel } from '@rlm/spec'
import type { RunJobConfig } from './job-schema.ts'
import type { RedisSemaphore } from './redis-semaphore.ts'
import { type ResponseJournal, withJournal } from './response-journal.ts'

export type ModelRole = 'root' | 'sub'

export interface RunnerContext {
  jobId: string
  /** 1 for the first attempt; higher after a crash, a stall or a retry. */
  attempt: number
  config: RunJobConfig
  /**
   * Applies the worker's shared rate limit of the model's provider, the cross-worker sub-call
   * cap (role 'sub') and the job's journal. Every model a run uses must go through it, or a
   * replay calls the provider again.
   */
  wrapModel(model: LanguageModel, role: ModelRole): LanguageModel
}

/** Builds the Rlm that runs one job (the worker adds query, context, signal, trace and events). */
export type CreateRunner = (context: RunnerContext) => Rlm | Promise<Rlm>

export interface JobModelWrappers {
  limiterFor(provider: string): RateLimiter | undefined
  subCalls: RedisSemaphore | undefined
  journal: ResponseJournal
}

/** The wrapper order: journal (a replayed call costs nothing) → sub-call cap → rate limit → model. */
export function wrapJobModel(
  model: LanguageModel,
  role: ModelRole,
  w: JobModelWrappers,
  options: { rateLimited: boolean } = { rateLimited: false },
): LanguageModel {
  let m = model
  const limiter = options.rateLimited ? undefined : w.limiterFor(model.provider)
  if (limiter) m = withRateLimit(m, limiter)
  if (role === 'sub' && w.subCalls) m = withSlot(m, w.subCalls)
  return withJournal(m, w.journal)
}

function withSlot(model: LanguageModel, slots: RedisSemaphore): LanguageModel {
  return derive(model, async (request) => {
    const release = await slots.acquire(request.abortSignal)
    try {
      return await model.generate(request)
    } finally {
      release()
    }
  })
}

/** The default runner: model ids resolved by @rlm/providers, the limit applied per attempt. */
export async function defaultRunner(context: RunnerContext, w: JobModelWrappers): Promise<Rlm> {
  const { model: rootId, subModel: subId, ...rest } = context.config
  const resolve = (id: string): Promise<LanguageModel> => {
    const limiter = w.limiterFor(parseModelId(id).provider)
    return resolveModel(id, limiter ? { rateLimit: limiter } : {})
  }
  const root = await resolve(rootId)
  const sub = subId === undefined || subId === rootId ? root : await resolve(subId)
  return createRlm({
    ...rest,
    model: wrapJobModel(root, 'root', w, { rateLimited: true }),
    subModel: wrapJobModel(sub, 'sub', w, { rateLimited: true }),
  })
}
