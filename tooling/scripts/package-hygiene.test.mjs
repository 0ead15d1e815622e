// Package hygiene, checked over every package.json: what is published runs attw next to
// publint; examples are never published. (attw and publint themselves run in each package's
// `lint` script, the lint step of .ci/run.)
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')

function packages(group) {
  return readdirSync(join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ dir: `${group}/${d.name}`, path: join(root, group, d.name, 'package.json') }))
    .filter(({ path }) => {
      try {
        readFileSync(path)
        return true
      } catch {
        return false
      }
    })
    .map(({ dir, path }) => ({ dir, pkg: JSON.parse(readFileSync(path, 'utf8')) }))
}

const published = [...packages('packages'), ...packages('apps')].filter(({ pkg }) => pkg.private !== true)
const examples = packages('examples')

describe('package hygiene', () => {
  it('the published packages are every @rlm package under packages/ and apps/', () => {
    expect(published.map(({ pkg }) => pkg.name)).toContain('@rlm/cli')
    expect(published.length).toBeGreaterThanOrEqual(8)
    for (const { pkg } of published) expect(pkg.name).toMatch(/^@rlm\//)
  })

  // The project has no public home yet: a package may name a repository only once the root
  // package.json does, and then every package names that one, with its own folder.
  it('every package names the root package.json repository (or none while the root has none)', () => {
    const rootRepository = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).repository
    for (const { dir, pkg } of [...published, ...examples]) {
      if (rootRepository === undefined) expect(pkg.repository, dir).toBeUndefined()
      else expect(pkg.repository, dir).toEqual({ type: 'git', url: rootRepository.url, directory: dir })
    }
  })

  it('every published package lints with publint and attw (ESM-only profile)', () => {
    for (const { dir, pkg } of published) {
      expect(pkg.scripts?.lint, dir).toContain('publint --strict')
      expect(pkg.scripts?.lint, dir).toContain('attw --pack . --profile esm-only')
    }
  })

  it('every export of a published package names its types before its JavaScript', () => {
    for (const { dir, pkg } of published) {
      for (const [subpath, target] of Object.entries(pkg.exports)) {
        if (subpath === './package.json') continue
        const keys = Object.keys(target)
        expect(keys, `${dir} ${subpath}`).toContain('types')
        expect(keys.indexOf('types'), `${dir} ${subpath}`).toBeLessThan(keys.indexOf('default'))
      }
    }
  })

  it('examples are private and carry no publish settings', () => {
    expect(examples.map(({ dir }) => dir)).toContain('examples/rlm-provider-ollama-native')
    for (const { dir, pkg } of examples) {
      expect(pkg.private, dir).toBe(true)
      expect(pkg.publishConfig, dir).toBeUndefined()
    }
  })
})
