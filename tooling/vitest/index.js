// Shared vitest settings: packages read each other's TypeScript source through the
// `@rlm/source` export condition, so tests never need a build first.
import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

const conditions = ['@rlm/source', 'node', 'import', 'module', 'default']

// Slow end-to-end sets run as their own CI steps, not in `pnpm test`: `*.browser.test.ts` (headless
// Chromium), `*.queue.test.ts` (@rlm/queue against real redis-servers: crashes, restarts, limits).
// RLM_TEST_SET picks one (set by `node tooling/scripts/run-tests.mjs --set <name>`).
const SETS = { browser: 'test/**/*.browser.test.ts', queue: 'test/**/*.queue.test.ts' }
const set = process.env.RLM_TEST_SET
if (set !== undefined && !(set in SETS))
  throw new Error(`RLM_TEST_SET=${set} is not a test set; use one of: ${Object.keys(SETS).join(', ')}`)
const include = set ? [SETS[set]] : ['src/**/*.test.ts', 'test/**/*.test.ts']
const exclude = set ? [] : Object.values(SETS)
// The engine's default stderr log lines are kept out of test output (RLM_TEST_LOGS=1 shows them).
const setupFiles = [fileURLToPath(new URL('./quiet-rlm-logs.js', import.meta.url))]

export function packageProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@rlm/source'] } },
    ...overrides,
    test: {
      name,
      environment: 'node',
      include,
      exclude: ['**/node_modules/**', ...exclude],
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...overrides.test,
      setupFiles: [...setupFiles, ...(overrides.test?.setupFiles ?? [])],
    },
  })
}
