// The cold-start child for the build (`dist/` of the engine and its dependencies): plain JS, so
// the figure has no type stripping in it. Same job as cold-start-child.ts.

import { createRlm } from '@rlm/engine'
import { createOpenAICompatible } from '@rlm/providers'

const model = createOpenAICompatible({ baseURL: process.argv[2], apiKey: 'k', model: 'm' })
const r = await createRlm({ model }).run({ query: 'q', context: 'a small context' })
process.stdout.write(r.status)
process.exit(0)
