import { createSandbox, prewarmSandbox } from '@rlm/sandbox'

let t = performance.now()
for (let i = 0; i < 5; i++) {
  t = performance.now()
  const sb = await createSandbox({ prelude: 'var x = 1', functions: { f: { fn: () => 1, sync: true } } })
  const t1 = performance.now()
  const r = await sb.run('print(x)')
  const t2 = performance.now()
  for (let j = 0; j < 100; j++) await sb.run('x++')
  const t3 = performance.now()
  console.log(
    'create',
    (t1 - t).toFixed(1),
    'first run',
    (t2 - t1).toFixed(1),
    'run avg',
    ((t3 - t2) / 100).toFixed(3),
    r.ok,
  )
  await sb.dispose()
}
console.log(typeof prewarmSandbox)
