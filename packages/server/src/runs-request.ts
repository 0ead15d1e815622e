// The body of POST /v1/runs: the query, its context (text, named documents, files under the
// context root), the model by its served name and the run settings within the caps. Strict:
// anything else (trace paths, cache directories, base URLs, module paths) is refused by name.

import { z } from 'zod'
import { snakeKeys } from './body-parsing.ts'
import { runSettingsShape } from './run-settings.ts'

const documentSchema = z.object({ name: z.string(), text: z.string() }).strict()

export const runsBodySchema = z.preprocess(
  snakeKeys,
  z
    .object({
      query: z.string('expected the query as a string').min(1, 'expected a non-empty query'),
      model: z.string().min(1).optional(),
      context: z
        .union([z.string(), z.object({ documents: z.array(documentSchema).min(1) }).strict()], {
          error: 'expected the context as a string or { documents: [{ name, text }] }',
        })
        .optional(),
      context_paths: z.array(z.string().min(1, 'expected a non-empty path')).max(1_000).optional(),
      ...runSettingsShape,
    })
    .strict(),
)

export type RunsBody = z.output<typeof runsBodySchema>
