// The settings of createLlamaCpp, checked with zod where they enter: a bad value is an E_CONFIG
// that names the setting, before any file is read.
import { formatIssues } from '@rlm/errors'
import { z } from 'zod'
import { configError } from './llama-cpp-errors.ts'

export const GPU_CHOICES = ['auto', 'cuda', 'vulkan', 'metal'] as const
export type GpuChoice = (typeof GPU_CHOICES)[number] | false

export interface LlamaCppSettings {
  /** Path to a .gguf file (relative paths resolve from the current directory). */
  modelPath: string
  /**
   * Tokens each request may use (prompt + reply). Default: what the file says the model was
   * trained on, shrunk to what fits in memory. At most the trained size.
   */
  contextSize?: number
  /** 'auto' (default) uses CUDA, Vulkan or Metal when their binary and a device are there, else the CPU. */
  gpu?: GpuChoice
  /** Model layers to put on the GPU (default: as many as fit). */
  gpuLayers?: number
  /** CPU threads per evaluation (default: node-llama-cpp's, the machine's math cores). */
  threads?: number
  /** Default sampling temperature; a request's own wins. 0 is greedy (the default). */
  temperature?: number
  /** Sampling seed, for repeatable replies at temperature > 0. */
  seed?: number
  /** Default reply limit; a request's own wins. Never past the context window. */
  maxOutputTokens?: number
  /** GBNF grammar text that constrains every reply. */
  grammar?: string
  /** Requests served at once, each on its own context sequence (default 1); more wait in line. */
  parallel?: number
}

const settingsSchema = z
  .object({
    modelPath: z.string().min(1),
    contextSize: z.number().int().positive().optional(),
    gpu: z.union([z.enum(GPU_CHOICES), z.literal(false)]).optional(),
    gpuLayers: z.number().int().nonnegative().optional(),
    threads: z.number().int().nonnegative().optional(),
    temperature: z.number().min(0).max(2).optional(),
    seed: z.number().int().nonnegative().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    grammar: z.string().min(1).optional(),
    parallel: z.number().int().positive().max(64).optional(),
  })
  .strict()

export function parseSettings(input: unknown): LlamaCppSettings {
  const parsed = settingsSchema.safeParse(input)
  if (!parsed.success) {
    const path = (input as { modelPath?: unknown } | undefined)?.modelPath
    throw configError(
      typeof path === 'string' ? path : '(no modelPath)',
      `Invalid llama-cpp settings: ${formatIssues(parsed.error.issues)}`,
    )
  }
  return parsed.data as LlamaCppSettings
}
