// The workspace's own checks (package hygiene across every package.json), as a vitest project.
import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'workspace', environment: 'node', include: ['*.test.mjs'] },
})
