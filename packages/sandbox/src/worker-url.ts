// Where the worker's entry file is. Built: ./worker.js. From source (tests, benches): Node would
// type-strip every worker file again in every new thread (60-110 ms each), so strip them once into a
// cache under the package's node_modules (bare imports still resolve from there) and start that.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
// A namespace import: a named one would fail to link on Node 22 releases without this function.
import * as nodeModule from 'node:module'
import { dirname, posix } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

let cached: URL | undefined

export function workerUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./worker.js', import.meta.url)
  if (!cached) {
    try {
      cached = strippedWorker()
    } catch {
      cached = new URL('./worker.ts', import.meta.url)
    }
  }
  return cached
}

function strippedWorker(): URL {
  const strip = (
    nodeModule as { stripTypeScriptTypes?: (code: string, options: { mode: 'strip' }) => string }
  ).stripTypeScriptTypes
  if (!strip) throw new Error('stripTypeScriptTypes is not available')
  const srcDir = fileURLToPath(new URL('./', import.meta.url))
  const files = new Map<string, string>()
  const pending = ['worker.ts']
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (files.has(name)) continue
    const source = readFileSync(srcDir + name, 'utf8')
    files.set(name, source)
    // Relative to the importing file's folder: src/guest/ holds guest code shipped as text.
    for (const match of source.matchAll(/(?:from |import\()'\.\/([\w/-]+\.ts)'/g))
      pending.push(posix.join(posix.dirname(name), match[1] as string))
  }
  const hash = createHash('sha256')
  hash.update(process.version)
  for (const [name, source] of [...files].sort()) hash.update(name).update(source)
  const dir = fileURLToPath(
    new URL(`../node_modules/.cache/rlm-sandbox-worker/${hash.digest('hex').slice(0, 16)}/`, import.meta.url),
  )
  if (!existsSync(`${dir}worker.js`)) {
    mkdirSync(dir, { recursive: true })
    const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    // worker.js last: its presence means the set is complete.
    const names = [...files.keys()].sort((a, b) => Number(a === 'worker.ts') - Number(b === 'worker.ts'))
    for (const name of names) {
      const js = quietly(() => strip(files.get(name) as string, { mode: 'strip' })).replace(
        /(from |import\()'\.\/([\w/-]+)\.ts'/g,
        "$1'./$2.js'",
      )
      const target = dir + name.replace(/\.ts$/, '.js')
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target + suffix, js)
      renameSync(target + suffix, target)
    }
  }
  return pathToFileURL(`${dir}worker.js`)
}

/**
 * Where workers keep Node's compile cache: NODE_COMPILE_CACHE if set, '' (none) when
 * NODE_DISABLE_COMPILE_CACHE is set, else beside the stripped sources (from source) or Node's
 * default directory under the OS temp dir (built).
 */
export function compileCacheDir(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return ''
  if (process.env.NODE_COMPILE_CACHE) return process.env.NODE_COMPILE_CACHE
  if (!import.meta.url.endsWith('.ts')) return undefined
  return fileURLToPath(new URL('../node_modules/.cache/rlm-sandbox-compile/', import.meta.url))
}

/** Runs `fn` without Node's one-time "experimental feature" warning on stderr. */
function quietly<T>(fn: () => T): T {
  const emitWarning = process.emitWarning
  process.emitWarning = (() => {}) as typeof process.emitWarning
  try {
    return fn()
  } finally {
    process.emitWarning = emitWarning
  }
}
