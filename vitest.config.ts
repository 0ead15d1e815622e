// One vitest process for the whole workspace: each package is a project with its own config.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/*', 'tooling/scripts'],
    pool: 'forks',
    passWithNoTests: true,
  },
})
