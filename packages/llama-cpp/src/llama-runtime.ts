// The llama.cpp runtime, shared by every model of the process: one binding per GPU choice (never
// built or downloaded at run time: the prebuilt binary of an npm package or nothing), and each
// GGUF file loaded once per path and GPU setup, however many rlm models use it.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from 'node-llama-cpp'
import { configError } from './llama-cpp-errors.ts'
import type { GpuChoice } from './llama-cpp-settings.ts'

const bindings = new Map<string, Promise<Llama>>()
const models = new Map<string, Promise<LlamaModel>>()

// llama.cpp's own warnings and errors are kept, not printed (they would break the CLI's stderr):
// the ones logged while a load fails go into the E_CONFIG message, where they say what is wrong.
const recentLogs: string[] = []
let logCount = 0
function keepLog(level: LlamaLogLevel, message: string): void {
  if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.warn) return
  logCount++
  recentLogs.push(message.trim())
  if (recentLogs.length > 20) recentLogs.shift()
}

/** What llama.cpp logged since `mark` (a value of `logCount` taken before), one line. */
function logsSince(mark: number): string {
  const fresh = recentLogs.slice(Math.max(0, recentLogs.length - (logCount - mark)))
  return fresh.length ? `; llama.cpp said: ${fresh.join(' / ')}` : ''
}

function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key)
  if (!value) {
    value = make()
    cache.set(key, value)
    // A failure is not cached: the user may fix the file or the driver and try again.
    value.catch(() => cache.delete(key))
  }
  return value
}

/** The llama.cpp binding for this GPU choice ('auto' falls back to the CPU). */
export function llamaFor(gpu: GpuChoice, modelPath = '(none)'): Promise<Llama> {
  return once(bindings, String(gpu), async () => {
    try {
      return await getLlama({
        gpu,
        build: 'never',
        usePrebuiltBinaries: true,
        skipDownload: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: keepLog,
      })
    } catch (err) {
      throw configError(
        modelPath,
        `llama.cpp could not start with gpu: ${JSON.stringify(gpu)} (${(err as Error).message}). Use gpu: 'auto' or false, or install the @node-llama-cpp binary package for your platform.`,
        err,
      )
    }
  })
}

/** The absolute path of an existing regular file, or E_CONFIG saying what is wrong. */
export function existingModelFile(modelPath: string): string {
  const absolute = resolve(modelPath)
  let size: number
  try {
    const stat = statSync(absolute)
    if (!stat.isFile()) throw new Error('not a regular file')
    size = stat.size
  } catch (err) {
    throw configError(
      modelPath,
      `No GGUF model file at ${absolute}: check the path in 'llama-cpp:<path to .gguf>' (it resolves from the current directory), or download a GGUF model (see the @rlm/llama-cpp README).`,
      err,
    )
  }
  if (size === 0) throw configError(modelPath, `${absolute} is empty: it is not a GGUF model file.`)
  checkHeader(modelPath, absolute)
  return absolute
}

/** The first 8 bytes: the magic 'GGUF' and a version llama.cpp reads (2 or 3). */
function checkHeader(modelPath: string, absolute: string): void {
  const header = Buffer.alloc(8)
  const fd = openSync(absolute, 'r')
  try {
    readSync(fd, header, 0, 8, 0)
  } finally {
    closeSync(fd)
  }
  if (header.toString('latin1', 0, 4) !== 'GGUF') {
    throw configError(
      modelPath,
      `${absolute} is not a GGUF file (it does not start with 'GGUF'): llama.cpp runs .gguf models; convert others with llama.cpp's convert_hf_to_gguf.py, or download a GGUF build of the model.`,
    )
  }
  const version = header.readUInt32LE(4)
  if (version !== 2 && version !== 3) {
    throw configError(
      modelPath,
      `${absolute} says it is GGUF version ${version}; llama.cpp reads versions 2 and 3: the file is damaged or not a model.`,
    )
  }
}

export interface ModelLoad {
  llama: Llama
  absolutePath: string
  gpuLayers: number | undefined
}

/** The loaded model of this file, shared; a file llama.cpp rejects is an E_CONFIG. */
export function loadModel({ llama, absolutePath, gpuLayers }: ModelLoad): Promise<LlamaModel> {
  const key = JSON.stringify([absolutePath, String(llama.gpu), gpuLayers ?? 'auto'])
  return once(models, key, async () => {
    const mark = logCount
    try {
      return await llama.loadModel({ modelPath: absolutePath, ...(gpuLayers !== undefined && { gpuLayers }) })
    } catch (err) {
      // llama.cpp's log lines reach JavaScript through a queue, after the failure itself.
      for (let waited = 0; logCount === mark && waited < 1000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      throw configError(
        absolutePath,
        `${absolutePath} is not a model llama.cpp can load (${(err as Error).message}${logsSince(mark)}): it must be a complete GGUF file of an architecture llama.cpp supports; download it again if it was cut short.`,
        err,
      )
    }
  })
}
