// @rlm/queue benchmark: what the queue adds to a run, and what a job costs Redis.
// 1. Queue overhead per job (target ≤ 5 ms): a one-turn run with a zero-latency scripted model
//    through run(), then the same as a job (submit to wait() resolved, one worker), alternated.
// 2. Jobs per second: N jobs through one worker (concurrency 1 and C, and with a runner that
//    returns at once: the queue alone), against N run()s in a pool of C.
// 3. Redis used_memory before and after W waiting jobs (1 KiB inline context), per job; and again
//    once they completed (result and events stream kept by retention; the journal is dropped).
// Run: node --conditions=@rlm/source bench/index.ts  (or `pnpm bench queue` at the root)
import { appendFileSync } from 'node:fs'
import { createRlm } from '@rlm/engine'
import { createScripted } from '@rlm/providers'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { type CreateRunner, createRunQueue, createRunWorker } from '../src/index.ts'
import { startRedisServer } from '../src/testing/index.ts'

const quick = process.env.RLM_BENCH_QUICK === '1'
const N = Number(process.env.RLM_QUEUE_BENCH_JOBS ?? (quick ? 100 : 300))
const SEQUENTIAL = quick ? 20 : 60
const C = 8
const ROUNDS = quick ? 2 : 3
const COMPLETED = quick ? 200 : 1_000
const WAITING = Number(process.env.RLM_QUEUE_BENCH_WAITING ?? (quick ? 2_000 : 10_000))

// One line per figure, as bench/README.md describes: { name, value, unit, ideal, samples? }.
type Figure = { name: string; value: number; unit: string; ideal: number | null; samples?: number[] }
const figures: Figure[] = []
/** The middle sample (the upper one of an even count: a figure from a real run, never an average). */
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const final = () => createScripted(() => '```js\nFINAL("ok")\n```')
const runner: CreateRunner = ({ config, wrapModel }) =>
  createRlm({ ...config, logLevel: 'silent', model: wrapModel(final(), 'root') })
const job = (i: number) => ({
  query: `question ${i}`,
  context: { kind: 'inline' as const, text: 'x'.repeat(1024) },
  config: { model: 'scripted:bench' },
})

const redis = await startRedisServer()
const admin = new Redis(redis.url)
const usedMemory = async (): Promise<number> =>
  Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? Number.NaN)

async function untilCompleted(name: string, count: number): Promise<void> {
  const q = new Queue(name, { connection: { url: redis.url } })
  while (((await q.getJobCounts('completed')).completed ?? 0) < count) await sleep(5)
  await q.close()
}

// 1. Latency, one job at a time: a run() against the same run as a job (submit to wait() resolved).
const rlm = createRlm({ model: final(), logLevel: 'silent' })
const queue1 = createRunQueue({ redis: redis.url, name: 'latency' })
const worker1 = createRunWorker({ redis: redis.url, name: 'latency', createRunner: runner })
const lat = { direct: [] as number[], queued: [] as number[] }
for (let i = 0; i < SEQUENTIAL + 5; i++) {
  const t0 = performance.now()
  await rlm.run({ query: `question ${i}`, context: 'x'.repeat(1024) })
  const t1 = performance.now()
  await queue1.wait((await queue1.submit(job(i))).id)
  const t2 = performance.now()
  if (i < 5) continue // warm-up
  lat.direct.push(t1 - t0)
  lat.queued.push(t2 - t1)
}
await worker1.close()
await queue1.close()
const overhead = lat.queued.map((q, i) => q - (lat.direct[i] as number))
figures.push({
  name: 'one-turn run(), zero-latency model, one at a time',
  value: median(lat.direct),
  unit: 'ms',
  ideal: null,
  samples: lat.direct,
})
figures.push({
  name: 'the same run as a job: submit() to wait() resolved',
  value: median(lat.queued),
  unit: 'ms',
  ideal: median(lat.direct),
  samples: lat.queued,
})
figures.push({
  name: 'queue overhead per job (job - run(), paired)',
  value: median(overhead),
  unit: 'ms',
  ideal: 5,
  samples: overhead,
})

// 2. Throughput: N jobs through one worker of concurrency C, against N run()s in a pool of C.
async function directPool(): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) await rlm.run({ query: `question ${next++}`, context: 'x'.repeat(1024) })
    }),
  )
  return performance.now() - t0
}
let round = 0
async function queuedPool(concurrency: number, createRunner: CreateRunner): Promise<number> {
  const name = `throughput-${++round}`
  const queue = createRunQueue({ redis: redis.url, name })
  const worker = createRunWorker({ redis: redis.url, name, concurrency, createRunner })
  const t0 = performance.now()
  await Promise.all(Array.from({ length: N }, (_, i) => queue.submit(job(i))))
  await untilCompleted(name, N)
  const ms = performance.now() - t0
  await worker.close()
  await queue.close()
  return ms
}
// A runner whose run resolves at once: the queue's own ceiling (BullMQ, events, journal read).
const instant: CreateRunner = () =>
  ({
    run: async () => ({ answer: 'ok', status: 'final', usage: { inputTokens: 0, outputTokens: 0 } }),
  }) as never
const pool = { direct: [] as number[], c1: [] as number[], c8: [] as number[], instant: [] as number[] }
for (let r = 0; r < ROUNDS; r++) {
  pool.direct.push(await directPool())
  pool.c1.push(await queuedPool(1, runner))
  pool.c8.push(await queuedPool(C, runner))
  pool.instant.push(await queuedPool(C, instant))
}
const perSecond = (name: string, ms: number[], unit = 'jobs/s') =>
  figures.push({ name, value: (N / median(ms)) * 1000, unit, ideal: null })
perSecond(`run()s per second, ${N} in a pool of ${C}`, pool.direct, 'runs/s')
perSecond(`jobs per second, ${N} through one worker of concurrency 1`, pool.c1)
perSecond(`jobs per second, ${N} through one worker of concurrency ${C}`, pool.c8)
perSecond(`jobs per second, a runner that returns at once (the queue alone), concurrency ${C}`, pool.instant)

// Memory per waiting job: no worker, W jobs submitted.
await admin.flushall()
const before = await usedMemory()
const name = 'memory'
const queue = createRunQueue({ redis: redis.url, name })
for (let i = 0; i < WAITING; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, WAITING - i) }, (_, k) => queue.submit(job(i + k))))
}
const waiting = await usedMemory()
figures.push({
  name: `Redis memory per waiting job (1 KiB inline context, ${WAITING} jobs)`,
  value: (waiting - before) / WAITING,
  unit: 'bytes',
  ideal: null,
})
// ... and per completed job (a smaller batch: each one runs): result and events stream kept.
await queue.close()
await admin.flushall()
const beforeDone = await usedMemory()
const done = createRunQueue({ redis: redis.url, name: 'completed' })
await Promise.all(Array.from({ length: COMPLETED }, (_, i) => done.submit(job(i))))
const worker = createRunWorker({ redis: redis.url, name: 'completed', concurrency: C, createRunner: runner })
await untilCompleted('completed', COMPLETED)
await worker.close()
await sleep(200)
figures.push({
  name: `Redis memory per completed job (result, ~15 events in its stream, journal dropped; ${COMPLETED} jobs)`,
  value: ((await usedMemory()) - beforeDone) / COMPLETED,
  unit: 'bytes',
  ideal: null,
})
await done.close()
admin.disconnect()
await redis.close()

for (const f of figures) {
  const ratio = f.ideal ? f.value / f.ideal : null
  console.log(
    `${f.name}: ${f.value.toFixed(f.unit === 'ms' ? 2 : 0)} ${f.unit}${ratio ? ` (${ratio.toFixed(2)}x)` : ''}`,
  )
  if (process.env.RLM_BENCH_JSON)
    appendFileSync(process.env.RLM_BENCH_JSON, `${JSON.stringify({ ...f, ratio, package: '@rlm/queue' })}\n`)
}
process.exit(0)
