// Start-up cost in fresh processes: what `import '@rlm/providers'` costs, what each vendor SDK
// costs to import (the price the first call of that provider pays), and the time from process
// start to the first request of a createOpenAICompatible model reaching a loopback server.
import { execFile } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL('..', import.meta.url))

export interface StartupFigures {
  /** 'source' (the @rlm/source condition: Node strips types on load) or 'dist' (the build). */
  variant: 'source' | 'dist'
  /** ms for `await import('@rlm/providers')`. */
  importMs: number
  /** The same with the three SDKs imported first, as the eager version of the package did. */
  eagerImportMs: number
  /** ms to import each SDK entry alone in a fresh process. */
  sdkImportMs: Record<string, number>
  /** ms from process start until the first request of a fresh process reaches the server. */
  firstRequestMs: number
  /** ms from process start until that first reply is back in the client. */
  firstReplyMs: number
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** True when dist/ exists and is newer than every source file (a stale build is not measured). */
export function distIsCurrent(): boolean {
  const newest = (dir: string, ext: string): number => {
    let max = 0
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
      if (e.isFile() && e.name.endsWith(ext))
        max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs)
    return max
  }
  try {
    return (
      statSync(join(packageDir, 'dist', 'index.js')).isFile() &&
      newest(join(packageDir, 'dist'), '.js') >= newest(join(packageDir, 'src'), '.ts')
    )
  } catch {
    return false
  }
}

const timeImport = (specifiers: string[]): string => `
for (const s of ${JSON.stringify(specifiers.slice(0, -1))}) await import(s)
const t = performance.now()
await import(${JSON.stringify(specifiers.at(-1))})
console.log(performance.now() - t)`

const SDK_ENTRIES = ['openai', 'openai/client', 'groq-sdk', '@anthropic-ai/sdk']

const firstRequestScript = `
const { createOpenAICompatible } = await import('@rlm/providers')
const model = createOpenAICompatible({ baseURL: process.env.BASE_URL, model: 'm', maxRetries: 0 })
await model.generate({ messages: [{ role: 'user', content: 'hi' }] })
console.log(JSON.stringify({ origin: performance.timeOrigin, replyMs: performance.now() }))`

export async function measureStartup(
  variant: 'source' | 'dist' = 'source',
  runs = 7,
): Promise<StartupFigures> {
  const conditions = variant === 'source' ? ['--conditions=@rlm/source'] : []
  const child = async (script: string, env: Record<string, string> = {}): Promise<string> => {
    const { stdout } = await run(process.execPath, [...conditions, '--input-type=module', '-e', script], {
      cwd: packageDir,
      env: { ...process.env, ...env },
    })
    return stdout.trim()
  }
  await using server = await createOpenAICompatibleServer({
    replies: () => {
      arrivals.push(performance.timeOrigin + performance.now())
      return 'ok'
    },
  })
  const arrivals: number[] = []
  const samples = {
    import: [] as number[],
    eager: [] as number[],
    request: [] as number[],
    reply: [] as number[],
  }
  const sdk: Record<string, number[]> = Object.fromEntries(SDK_ENTRIES.map((e) => [e, []]))
  // Interleaved, so load from other processes hits every figure alike.
  for (let i = 0; i < runs; i++) {
    samples.import.push(Number(await child(timeImport(['@rlm/providers']))))
    // The eager package: the SDKs were static imports, evaluated as part of the import.
    const t = await child(`
const t = performance.now()
await import('openai'); await import('groq-sdk'); await import('@anthropic-ai/sdk')
await import('@rlm/providers')
console.log(performance.now() - t)`)
    samples.eager.push(Number(t))
    for (const entry of SDK_ENTRIES) sdk[entry]?.push(Number(await child(timeImport([entry]))))
    const before = arrivals.length
    const out = JSON.parse(await child(firstRequestScript, { BASE_URL: server.baseURL })) as {
      origin: number
      replyMs: number
    }
    const arrival = arrivals[before]
    if (arrival === undefined) throw new Error('the first request never reached the server')
    samples.request.push(arrival - out.origin)
    samples.reply.push(out.replyMs)
  }
  return {
    variant,
    importMs: median(samples.import),
    eagerImportMs: median(samples.eager),
    sdkImportMs: Object.fromEntries(Object.entries(sdk).map(([k, v]) => [k, median(v)])),
    firstRequestMs: median(samples.request),
    firstReplyMs: median(samples.reply),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureStartup('source'))
  if (distIsCurrent()) console.log(await measureStartup('dist'))
}
