// Test kit: one private redis-server per test file, and scripted runners that never leave the process.
import { createRlm } from '@rlm/engine'
import { createScripted, type ScriptedReplies } from '@rlm/providers'
import { afterAll, beforeAll } from 'vitest'
import type { CreateRunner } from '../src/index.ts'
import { type RedisServer, type RedisServerOptions, startRedisServer } from '../src/testing/index.ts'

export const js = (code: string): string => '```js\n' + code + '\n```'

/** A runner whose root model answers FINAL(<text>) at once, through the worker's wrappers. */
export function finalRunner(answer: (query: string) => string = (q) => `answer to ${q}`): CreateRunner {
  return ({ config, wrapModel }) => {
    const model = createScripted((request) => {
      const first = request.messages.find((m) => m.role === 'user')?.content ?? ''
      const query = /query[^\n]*\n+([^\n]*)/i.exec(first)?.[1] ?? first
      return js(`FINAL(${JSON.stringify(answer(query))})`)
    })
    return createRlm({ ...config, logLevel: 'silent', model: wrapModel(model, 'root'), subModel: undefined })
  }
}

/** A runner over a scripted root model. */
export function scriptedRunner(replies: ScriptedReplies, latencyMs?: number): CreateRunner {
  return ({ config, wrapModel }) => {
    const model = createScripted(replies, latencyMs === undefined ? {} : { latencyMs })
    return createRlm({ ...config, logLevel: 'silent', model: wrapModel(model, 'root') })
  }
}

/** A redis-server of this test file's own, started before its tests and removed after them. */
export function useRedisServer(options?: RedisServerOptions): () => RedisServer {
  let server: RedisServer | undefined
  beforeAll(async () => {
    server = await startRedisServer(options)
    // loopback model servers take any key, but the openai-compatible provider wants one set
    process.env.OPENAI_API_KEY ??= 'test-key'
  })
  afterAll(async () => {
    await server?.close()
  })
  return () => {
    if (!server) throw new Error('useRedisServer: the server starts in beforeAll')
    return server
  }
}
