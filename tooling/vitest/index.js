// Shared vitest settings: packages read each other's TypeScript source through the
// `@rlm/source` export condition, so tests never need a build first.
import { defineProject } from 'vitest/config'

const conditions = ['@rlm/source', 'node', 'import', 'module', 'default']

export function packageProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@rlm/source'] } },
    ...overrides,
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...overrides.test,
    },
  })
}
