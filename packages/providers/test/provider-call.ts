// Shared by the provider tests: a one-message request, awaiting an expected RlmError, and putting
// an API-key variable back after each test.
import { isRlmError, type RlmError } from '@rlm/errors'
import { afterEach } from 'vitest'

export const user = (content: string) => ({ messages: [{ role: 'user' as const, content }] })

/** Resolves with the RlmError the call rejected with; fails the test if it resolved. */
export const failure = (p: Promise<unknown>): Promise<RlmError> =>
  p.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => (isRlmError(e) ? e : Promise.reject(e)),
  )

/** Restores `name` in process.env after every test of the calling file. */
export function restoreEnvAfterEach(name: string): void {
  const saved = process.env[name]
  afterEach(() => {
    if (saved === undefined) delete process.env[name]
    else process.env[name] = saved
  })
}
