// Test helpers: fenced code, and a root model scripted per turn alongside a sub-model that
// answers each prompt by a function of it.
import type { GenerateRequest } from '@rlm/providers'

export const js = (code: string): string => '```js\n' + code + '\n```'

export const lastUser = (request: GenerateRequest): string =>
  [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? ''
