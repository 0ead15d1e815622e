import { afterEach, describe, expect, it } from 'vitest'
import {
  KEY_ENV_VARS,
  REDACTED,
  RlmError,
  redactError,
  redactSecrets,
  redactValue,
  registerSecret,
  secretRedactor,
} from './index.ts'

const saved = { ...process.env }
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
  Object.assign(process.env, saved)
})

describe('redactSecrets', () => {
  it('removes a registered key wherever it appears, however it is quoted', () => {
    registerSecret('registered-key-9f8e7d')
    const text = 'server said: invalid key "registered-key-9f8e7d" (registered-key-9f8e7d)'
    const out = redactSecrets(text)
    expect(out).not.toContain('registered-key-9f8e7d')
    expect(out).toBe(`server said: invalid key "${REDACTED}" (${REDACTED})`)
  })

  it('removes the values of every known key variable', () => {
    for (const [i, name] of KEY_ENV_VARS.entries()) process.env[name] = `value-of-${name}-${i}`
    const text = KEY_ENV_VARS.map((n) => `${n}=value-of-${n}-${KEY_ENV_VARS.indexOf(n)}`).join(' ')
    const out = redactSecrets(text)
    for (const name of KEY_ENV_VARS) expect(out).not.toContain(`value-of-${name}`)
  })

  it('removes values of other variables named like keys, when long enough to be keys', () => {
    const env = {
      MY_PROVIDER_API_KEY: 'custom-provider-secret-1234',
      SHORT_TOKEN: 'abcdefg',
      HOME: '/home/someone',
    }
    const redact = secretRedactor([], env)
    expect(redact('got custom-provider-secret-1234 and abcdefg in /home/someone')).toBe(
      `got ${REDACTED} and abcdefg in /home/someone`,
    )
  })

  it('a redactor built before a key was registered removes that key too', () => {
    const redact = secretRedactor()
    registerSecret('registered-later-4242')
    expect(redact('x registered-later-4242')).toBe(`x ${REDACTED}`)
  })

  it('removes any Bearer, Authorization and x-api-key value, even of keys it was never told about', () => {
    const cases: Array<[string, string]> = [
      ['Authorization: Bearer abc.def-ghi_123', `Authorization: Bearer ${REDACTED}`],
      ['{"authorization":"Bearer zzzz9999"}', `{"authorization":"Bearer ${REDACTED}"}`],
      ['x-api-key: unknown-value-42', `x-api-key: ${REDACTED}`],
      ['{"x-api-key":"unknown-value-42"}', `{"x-api-key":"${REDACTED}"}`],
      ['GET /v1?api_key=qwerty123&x=1', `GET /v1?api_key=${REDACTED}&x=1`],
      ['authorization: Basic dXNlcjpwYXNz', `authorization: Basic ${REDACTED}`],
      ['key sk-proj-abcdefghijklmnopqrstuv leaked', `key ${REDACTED} leaked`],
    ]
    for (const [input, expected] of cases) expect(redactSecrets(input)).toBe(expected)
  })

  it('leaves ordinary text alone and is idempotent', () => {
    const text = 'The bearer of bad news; a task-manager-module; 42 apples.'
    expect(redactSecrets(text)).toBe(text)
    const once = redactSecrets(
      'Authorization: Bearer abcdefgh1234 x-api-key: k3y-value; authorization: Basic zzzz',
    )
    expect(once).toBe(
      `Authorization: Bearer ${REDACTED} x-api-key: ${REDACTED}; authorization: Basic ${REDACTED}`,
    )
    expect(redactSecrets(once)).toBe(once)
  })

  it('takes extra secrets for one call, ignoring values too short to be keys', () => {
    expect(redactSecrets('one-off-secret-77 and ab', ['one-off-secret-77', 'ab'])).toBe(`${REDACTED} and ab`)
    expect(redactSecrets('one-off-secret-77')).toBe('one-off-secret-77')
  })
})

describe('redactValue', () => {
  it('redacts every string of an object, copying only what changed', () => {
    registerSecret('nested-secret-555')
    const untouched = { n: 1, list: ['a', 'b'] }
    const value = { a: 'x nested-secret-555', deep: [{ b: 'Bearer nested-secret-555' }], untouched }
    const out = redactValue(value)
    expect(JSON.stringify(out)).not.toContain('nested-secret-555')
    expect(out.untouched).toBe(untouched)
    expect(value.a).toBe('x nested-secret-555')
  })

  it('redacts an RlmError inside a value by what it serializes to', () => {
    registerSecret('error-secret-0001')
    const out = redactValue({
      error: new RlmError('E_RUNTIME', 'bad error-secret-0001', { details: { body: 'error-secret-0001' } }),
    })
    expect(JSON.stringify(out)).not.toContain('error-secret-0001')
    expect(JSON.stringify(out)).toContain('E_RUNTIME')
  })

  it('survives cycles', () => {
    const a: Record<string, unknown> = { s: 'plain' }
    a.self = a
    expect(redactValue(a).s).toBe('plain')
  })
})

describe('redactError', () => {
  it('returns a redacted copy with the same code, or the error itself when nothing is secret', () => {
    registerSecret('thrown-secret-321')
    const err = new RlmError('E_PROVIDER_BAD_REQUEST', 'echo thrown-secret-321', {
      isRetryable: true,
      details: { body: { error: 'thrown-secret-321' } },
    })
    const out = redactError(err) as RlmError
    expect(out.code).toBe('E_PROVIDER_BAD_REQUEST')
    expect(out.isRetryable).toBe(true)
    expect(JSON.stringify(out)).not.toContain('thrown-secret-321')
    const clean = new RlmError('E_RUNTIME', 'nothing here')
    expect(redactError(clean)).toBe(clean)
    const plain = redactError(new TypeError('plain thrown-secret-321')) as Error
    expect(plain.message).toBe(`plain ${REDACTED}`)
    expect(plain.name).toBe('TypeError')
  })
})
