// Standalone benchmark model server, for pointing any RLM implementation at the same scripted
// model the e2e suite uses:
//   node bench/e2e/model-server.ts --port 8787 --latency 200 [--sub-latency 200] [--script file.json]
// Prints its base URL, and on Ctrl-C the requests it served.
import { parseArgs } from 'node:util'
import { startModelServer } from './loopback-model-server.ts'
import { type ModelScriptInput, readModelScript } from './model-script.ts'

const USAGE = `usage: node bench/e2e/model-server.ts [--port 8787] [--host 127.0.0.1] [--latency ms] [--sub-latency ms] [--script file.json]

The script (JSON): { "latencyMs": 0, "subLatencyMs": 200, "sub": "digest" | "echo",
  "conversations": [{ "match": "<marker in the first user message>", "turns": ["reply 0", "reply 1", ...] }] }
Requests whose first user message contains a conversation's marker get that conversation's reply
for the turn (= number of assistant messages sent); every other request is a sub-call and gets
"digest <sha256 prefix> chars <n>" of its last user message.`

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`model-server: --${name} expects a whole number, got "${value}"\n\n${USAGE}`)
    process.exit(2)
  }
  return n
}

let args: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      latency: { type: 'string' },
      'sub-latency': { type: 'string' },
      script: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      /** Exit when stdin closes: a harness that dies (even by SIGKILL) takes its server along. */
      'stdin-lifeline': { type: 'boolean' },
    },
  })
}
try {
  args = parse()
} catch (err) {
  console.error(`model-server: ${(err as Error).message}\n\n${USAGE}`)
  process.exit(2)
}
if (args.values.help) {
  console.log(USAGE)
  process.exit(0)
}

let script: ModelScriptInput = {}
try {
  if (args.values.script) script = readModelScript(args.values.script)
} catch (err) {
  console.error(`model-server: ${(err as Error).message}`)
  process.exit(2)
}
const latency = whole('latency', args.values.latency)
const subLatency = whole('sub-latency', args.values['sub-latency'])
if (latency !== undefined) script = { ...script, latencyMs: latency }
if (subLatency !== undefined) script = { ...script, subLatencyMs: subLatency }

const server = await startModelServer({
  port: whole('port', args.values.port) ?? 8787,
  host: args.values.host ?? '127.0.0.1',
  script,
})
console.log(`model server listening: ${server.baseURL} (OpenAI chat completions)`)
const stop = async (): Promise<void> => {
  const s = server.stats
  console.log(
    `served ${s.requests} requests (${s.rootRequests} root, ${s.subRequests} sub), peak ${s.peakInFlight} in flight`,
  )
  await server.close()
  process.exit(0)
}
if (args.values['stdin-lifeline']) {
  process.stdin.on('end', stop)
  process.stdin.resume()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
