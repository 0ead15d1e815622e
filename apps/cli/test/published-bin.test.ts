// The bin npm installs (bin/rlm.js) is free of workspace tricks: it runs dist/ and nothing else,
// with plain errors for a missing build or an old Node. The workspace launcher
// (tooling/scripts/rlm-workspace.mjs) keeps the source fallback and the re-exec for the repo.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from './run-cli.ts'

const PUBLISHED = fileURLToPath(new URL('../bin/rlm.js', import.meta.url))
const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  bin: Record<string, string>
  files: string[]
}

/** A copy of the published bin in a package folder of its own, with or without a dist/. */
function installedCopy(main?: string): string {
  const dir = tempDir('rlm-bin-')
  mkdirSync(join(dir, 'bin'))
  cpSync(PUBLISHED, join(dir, 'bin', 'rlm.js'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  if (main !== undefined) {
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'main.js'), main)
  }
  return join(dir, 'bin', 'rlm.js')
}

describe('the published rlm bin', () => {
  it('is the package bin, shipped in files, and imports nothing but node: builtins and dist/', () => {
    expect(PACKAGE.bin).toEqual({ rlm: './bin/rlm.js' })
    expect(PACKAGE.files).toContain('bin')
    const text = readFileSync(PUBLISHED, 'utf8')
    const imports = [...text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
    expect(imports.every((s) => s?.startsWith('node:'))).toBe(true)
    expect(text).toContain("new URL('../dist/main.js', import.meta.url)")
    for (const trick of ['@rlm/source', 'child_process', 'node_modules', 'src/', 'RLM_CLI_SOURCE'])
      expect(text, trick).not.toContain(trick)
  })

  it('runs dist/main.js with the arguments it was given', () => {
    const bin = installedCopy('console.log(JSON.stringify(process.argv.slice(2)))\n')
    const r = spawnSync(process.execPath, [bin, 'demo', '--quiet'], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(['demo', '--quiet'])
  })

  it('without dist/ it exits 5 with a line that says what to do', () => {
    const r = spawnSync(process.execPath, [installedCopy()], { encoding: 'utf8' })
    expect(r.status).toBe(5)
    expect(r.stderr).toMatch(/^rlm: error E_INTERNAL: this copy of @rlm\/cli has no dist\/; reinstall it/)
  })
})
