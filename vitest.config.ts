// One vitest process for the whole workspace: each package is a project with its own config.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/*', 'tooling/scripts'],
    pool: 'forks',
    // Two forks even on two cores: most files wait on child processes, servers and timers, so
    // vitest's default (cores - 1 = one fork here) leaves a core idle for most of the run.
    maxWorkers: 2,
    minWorkers: 1,
    passWithNoTests: true,
  },
})
