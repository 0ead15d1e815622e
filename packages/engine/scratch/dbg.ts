import { createScripted } from '@rlm/providers'
import { createRlm } from '../src/index.ts'

const js = (c: string) => '```js\n' + c + '\n```'
const model = createScripted([js('await rlm_query("Q")'), js('FINAL("gave up")')])
const t = performance.now()
const r = await createRlm({ model, maxDepth: 1, atMaxDepth: 'error' }).run({ query: 'q', context: 'c' })
console.log(
  JSON.stringify(
    r.tree.iterations.map((i) => i.cells),
    null,
    1,
  ),
  r.answer,
  performance.now() - t,
)
