// Run as a fresh process by the cold-start benchmark: import the engine and start a run against
// the parent's loopback server; the parent times process start to the first model request.
import { createOpenAICompatible } from '@rlm/providers'
import { createRlm } from '../src/index.ts'

const model = createOpenAICompatible({ baseURL: process.argv[2]!, apiKey: 'k', model: 'm' })
const r = await createRlm({ model }).run({ query: 'q', context: 'a small context' })
process.stdout.write(r.status)
process.exit(0)
