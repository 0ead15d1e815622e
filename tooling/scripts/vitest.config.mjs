// The workspace's own checks (package hygiene across every package.json), as a vitest project.
import { defineProject } from 'vitest/config'

export default defineProject({
  // Not part of the slow end-to-end sets (RLM_TEST_SET): those run only their own files.
  test: { name: 'workspace', environment: 'node', include: process.env.RLM_TEST_SET ? [] : ['*.test.mjs'] },
})
