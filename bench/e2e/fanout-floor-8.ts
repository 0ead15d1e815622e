// Scenario 8's fan-out floor: 400 prompts of 1 MB in 7 sequential batches of 64 at 200 ms,
// sent to the same server process (a) with a bare http.request client, (b) through @rlm/providers.
//   node --conditions=@rlm/source fanout-floor-8.ts
import { bareHttpBurst, providerBurst } from './http-floor.ts'
import { spawnModelServer } from './model-server-process.ts'

const CHUNKS = 400
const CONCURRENCY = 64
const CHUNK = 1_000_000
const base = 'Find the vault access code in this text, or say NOT FOUND:\n'
const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '
  .repeat(Math.ceil(CHUNK / 57))
  .slice(0, CHUNK)
const prompt = (i: number): string => `${base}${i} ${text}`

const server = await spawnModelServer()
try {
  await server.play({ latencyMs: 0, subLatencyMs: 200, conversations: [] })
  for (const [name, make] of [
    ['bare http.request', bareHttpBurst],
    ['@rlm/providers', providerBurst],
  ] as const) {
    for (let rep = 0; rep < 2; rep++) {
      const t = performance.now()
      for (let i = 0; i < CHUNKS; i += CONCURRENCY) {
        const n = Math.min(CONCURRENCY, CHUNKS - i)
        await make(server.baseURL, n, (j) => prompt(i + j))()
      }
      console.log(
        `${name}: ${(performance.now() - t).toFixed(0)} ms (ideal ${Math.ceil(CHUNKS / CONCURRENCY) * 200})`,
      )
    }
  }
} finally {
  await server.close()
}
process.exit()
