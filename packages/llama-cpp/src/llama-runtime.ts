// The llama.cpp runtime, shared by every model of the process: one binding per GPU choice (never
// built or downloaded at run time: the prebuilt binary of an npm package or nothing), and each
// GGUF file loaded once per path and GPU setup, however many rlm models use it.
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from 'node-llama-cpp'
import { configError } from './llama-cpp-errors.ts'
import type { GpuChoice } from './llama-cpp-settings.ts'

const bindings = new Map<string, Promise<Llama>>()
const models = new Map<string, Promise<LlamaModel>>()

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
        logLevel: LlamaLogLevel.error,
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
  return absolute
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
    try {
      return await llama.loadModel({ modelPath: absolutePath, ...(gpuLayers !== undefined && { gpuLayers }) })
    } catch (err) {
      throw configError(
        absolutePath,
        `${absolutePath} is not a model llama.cpp can load (${(err as Error).message}): it must be a complete GGUF file of an architecture llama.cpp supports; download it again if it was cut short.`,
        err,
      )
    }
  })
}
