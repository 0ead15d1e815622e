import { describe, expect, it } from 'vitest'
import { importOptional, loadProviders, providersOrConfigError } from './optional-providers.ts'

/** The error Node's ESM loader gives for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(
    new Error(`Cannot find package '${name}' imported from /app/node_modules/@rlm/engine/dist/x.js`),
    {
      code: 'ERR_MODULE_NOT_FOUND',
    },
  )
}

describe('the optional @rlm/providers peer', () => {
  it('is undefined when the package is not installed', async () => {
    await expect(
      importOptional('@rlm/providers', () => Promise.reject(notFound('@rlm/providers'))),
    ).resolves.toBe(undefined)
  })

  it('rethrows when it is installed but broken, e.g. one of its own dependencies is missing', async () => {
    const broken = notFound('@rlm/spec')
    await expect(importOptional('@rlm/providers', () => Promise.reject(broken))).rejects.toBe(broken)
    const failing = new SyntaxError('Unexpected token')
    await expect(importOptional('@rlm/providers', () => Promise.reject(failing))).rejects.toBe(failing)
  })

  it('says how to install it when something needs it', () => {
    expect(() => providersOrConfigError(undefined, 'The model id "openai:gpt-4o-mini"')).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message: expect.stringMatching(
          /^The model id "openai:gpt-4o-mini" needs @rlm\/providers.*npm i @rlm\/providers/,
        ),
      }),
    )
  })

  it('loads the installed package once', async () => {
    const first = await loadProviders()
    expect(typeof first?.resolveModel).toBe('function')
    expect(await loadProviders()).toBe(first)
  })
})
