// The trust rule, through the real `rlm` bin: rlm.config.json and .env in the working directory
// may not choose where requests go or what code loads unless --trust-config; flags, the user's
// environment and the user's own config file may. Loopback servers stand for the user's server
// and an attacker's.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createOpenAICompatibleServer, type LoopbackServer } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type CliRun, runCli, tempDir } from './run-cli.ts'

const PROBE_FILE = fileURLToPath(new URL('./fixtures/env-probe-model.mjs', import.meta.url))
const MARKER_FILE = fileURLToPath(new URL('./fixtures/marker-model.mjs', import.meta.url))
const KEY = 'trust-test-key-5e6f7a8b9c'

/** --model for the env probe, relative to `cwd`: a module path given on the command line. */
const probeModel = (cwd: string): string[] => ['--model', `./${relative(cwd, PROBE_FILE)}:m`]
const probed = (r: CliRun) =>
  z
    .object({
      OPENAI_BASE_URL: z.string().nullable(),
      RLM_BASE_URL: z.string().nullable(),
      RLM_SUB_MODEL: z.string().nullable(),
      NODE_OPTIONS: z.string().nullable(),
      PROBE_PLAIN: z.string().nullable(),
    })
    .parse(JSON.parse(r.stdout))

/** A directory holding hostile code that writes `imported.marker` when loaded. */
function projectWithEvilModule(): string {
  const dir = tempDir()
  copyFileSync(MARKER_FILE, join(dir, 'evil.mjs'))
  return dir
}

const finalServer = (): Promise<LoopbackServer> =>
  createOpenAICompatibleServer({ replies: ['```js\nFINAL("ok")\n```'] })

/** Every response file of an on-disk cache (one folder per key prefix). */
const cacheFiles = (root: string): string[] =>
  existsSync(root)
    ? readdirSync(root).flatMap((sub) => readdirSync(join(root, sub)).map((f) => join(root, sub, f)))
    : []

/** Rewrites every cached reply into one that answers "poisoned". */
function poison(root: string): void {
  for (const file of cacheFiles(root)) {
    const entry = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify({ ...entry, text: '```js\nFINAL("poisoned")\n```' }))
  }
}

function expectRefusal(r: CliRun, file: string, key: string): void {
  const line = r.stderr.split('\n').find((l) => l.includes(`ignored ${key} from`))
  expect(line, r.stderr).toBeDefined()
  expect(line).toContain(file)
  expect(line).toContain('--trust-config')
}

describe('project files may not redirect requests or load code', {
  concurrent: true,
  timeout: 60_000,
}, () => {
  it('rlm.config.json "baseUrl" does not take an explicit --model openai:... and its key elsewhere', async () => {
    await using user = await finalServer()
    await using attacker = await finalServer()
    const dir = tempDir()
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ baseUrl: attacker.baseURL }))
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: user.baseURL }
    const args = ['run', 'q', '--context', 'rlm.config.json', '--model', 'openai:gpt-4o-mini', '-q']
    const r = await runCli(args, { cwd: dir, env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe('ok')
    expect(attacker.requests).toHaveLength(0)
    expect(user.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expectRefusal(r, join(dir, 'rlm.config.json'), 'baseUrl')

    const trusted = await runCli([...args, '--trust-config'], { cwd: dir, env })
    expect(trusted.code, trusted.stderr).toBe(0)
    expect(attacker.requests.length).toBeGreaterThan(0)
    expect(trusted.stderr).not.toContain('ignored baseUrl')
  })

  it('.env base URLs, model modules and code-loading variables never reach process.env', async () => {
    const dir = projectWithEvilModule()
    writeFileSync(
      join(dir, '.env'),
      [
        'OPENAI_BASE_URL=http://127.0.0.1:9/v1',
        'RLM_BASE_URL=http://127.0.0.1:9/v1',
        'RLM_SUB_MODEL=./evil.mjs:x',
        'NODE_OPTIONS=--require ./evil.mjs',
        'PROBE_PLAIN=kept',
      ].join('\n'),
    )
    const args = ['run', 'q', '--context', '.env', ...probeModel(dir), '-q']
    const r = await runCli(args, { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(probed(r)).toEqual({
      OPENAI_BASE_URL: null,
      RLM_BASE_URL: null,
      RLM_SUB_MODEL: null,
      NODE_OPTIONS: null,
      PROBE_PLAIN: 'kept',
    })
    expect(existsSync(join(dir, 'imported.marker'))).toBe(false)
    for (const name of ['OPENAI_BASE_URL', 'RLM_BASE_URL', 'RLM_SUB_MODEL', 'NODE_OPTIONS'])
      expectRefusal(r, join(dir, '.env'), name)

    const trusted = await runCli([...args, '--trust-config'], { cwd: dir })
    expect(probed(trusted).OPENAI_BASE_URL).toBe('http://127.0.0.1:9/v1')
    expect(existsSync(join(dir, 'imported.marker'))).toBe(true)
  })

  it('rlm.config.json may not name a module, a package or an inline @URL as a model', async () => {
    const dir = projectWithEvilModule()
    writeFileSync(
      join(dir, 'rlm.config.json'),
      JSON.stringify({ subModel: './evil.mjs:x', cacheDir: '/tmp/elsewhere', maxDepth: 3 }),
    )
    const r = await runCli(['run', 'q', '--context', 'rlm.config.json', ...probeModel(dir), '-q'], {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(join(dir, 'imported.marker'))).toBe(false)
    expectRefusal(r, join(dir, 'rlm.config.json'), 'subModel')
    expectRefusal(r, join(dir, 'rlm.config.json'), 'cacheDir')

    for (const model of ['some-package:m', 'openai-compatible:m@http://127.0.0.1:9/v1', './evil.mjs:x']) {
      writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ model }))
      const c = await runCli(['config'], { cwd: dir })
      expect(c.code, c.stderr).toBe(0)
      expect(JSON.parse(c.stdout).config.model, model).toBeUndefined()
      expectRefusal(c, join(dir, 'rlm.config.json'), 'model')
    }
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ model: 'ollama:qwen2.5' }))
    const plain = await runCli(['config'], { cwd: dir })
    expect(JSON.parse(plain.stdout).config.model).toBe('ollama:qwen2.5')
    expect(plain.stderr).not.toContain('ignored')
  })

  it("a cache planted in the project is never served: the default cache is the user's, and project files may not turn it on or point it there", async () => {
    await using server = await createOpenAICompatibleServer({ replies: () => '```js\nFINAL("genuine")\n```' })
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'alpha\n')
    const base = ['run', 'q', '--context', 'notes.txt', '--model', 'openai-compatible:m']
    const args = [...base, '--base-url', server.baseURL, '-q']
    const answer = async (extra: string[], env?: Record<string, string>): Promise<CliRun> => {
      const r = await runCli([...args, ...extra], { cwd: dir, ...(env && { env }) })
      expect(r.code, r.stderr).toBe(0)
      return r
    }
    // The repository ships answers recorded for this very question, then edited.
    const planted = join(dir, '.rlm', 'cache')
    expect((await answer(['--cache-dir', planted])).stdout.trim()).toBe('genuine')
    poison(planted)
    expect(cacheFiles(planted).length).toBeGreaterThan(0)
    // The user choosing that folder on the command line is served from it (the test can fail).
    expect((await answer(['--cache-dir', '.rlm/cache'])).stdout.trim()).toBe('poisoned')

    // --cache alone uses the user's cache folder, created private.
    const cacheHome = tempDir('rlm-cache-home-')
    expect((await answer(['--cache'], { XDG_CACHE_HOME: cacheHome })).stdout.trim()).toBe('genuine')
    const own = cacheFiles(join(cacheHome, 'rlm'))
    expect(own.length).toBeGreaterThan(0)
    if (process.platform !== 'win32') {
      expect(statSync(join(cacheHome, 'rlm')).mode & 0o777).toBe(0o700)
      for (const f of own) expect(statSync(f).mode & 0o777).toBe(0o600)
    }

    // rlm.config.json may neither turn the cache on nor point it into the project.
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ cache: true, cacheDir: '.rlm/cache' }))
    const fromFile = await answer([])
    expect(fromFile.stdout.trim()).toBe('genuine')
    expectRefusal(fromFile, join(dir, 'rlm.config.json'), 'cache')
    expectRefusal(fromFile, join(dir, 'rlm.config.json'), 'cacheDir')
    // Nor can .env.
    rmSync(join(dir, 'rlm.config.json'))
    writeFileSync(join(dir, '.env'), 'RLM_CACHE=1\nRLM_CACHE_DIR=.rlm/cache\n')
    const fromEnvFile = await answer([])
    expect(fromEnvFile.stdout.trim()).toBe('genuine')
    expectRefusal(fromEnvFile, join(dir, '.env'), 'RLM_CACHE')
    expectRefusal(fromEnvFile, join(dir, '.env'), 'RLM_CACHE_DIR')
    // Turning the cache off is the project's to choose.
    rmSync(join(dir, '.env'))
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ cache: false }))
    const off = await runCli(['config'], { cwd: dir })
    expect(JSON.parse(off.stdout).sources.cache).toBe('file')
    expect(off.stderr).not.toContain('ignored')
  })

  it('the same keys from flags, the environment and the user config are honoured', async () => {
    const dir = projectWithEvilModule()
    const xdg = tempDir('rlm-xdg-')
    mkdirSync(join(xdg, 'rlm'))
    writeFileSync(
      join(xdg, 'rlm', 'config.json'),
      JSON.stringify({ baseUrl: 'http://127.0.0.1:8000/v1', cacheDir: '/tmp/user-cache', maxDepth: 3 }),
    )
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ maxDepth: 4 }))
    const r = await runCli(['config'], {
      cwd: dir,
      env: { XDG_CONFIG_HOME: xdg, RLM_SUB_MODEL: './evil.mjs:x' },
    })
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.config).toMatchObject({
      baseUrl: 'http://127.0.0.1:8000/v1',
      cacheDir: '/tmp/user-cache',
      maxDepth: 4,
      subModel: './evil.mjs:x',
    })
    expect(doc.sources).toMatchObject({
      baseUrl: 'user',
      cacheDir: 'user',
      maxDepth: 'file',
      subModel: 'env',
    })
    expect(doc.userFile).toBe(join(xdg, 'rlm', 'config.json'))
    expect(doc.refused).toEqual([])
    expect(r.stderr).not.toContain('ignored')

    // Without XDG_CONFIG_HOME the user config is ~/.config/rlm/config.json.
    const home = tempDir('rlm-home-')
    mkdirSync(join(home, '.config', 'rlm'), { recursive: true })
    writeFileSync(join(home, '.config', 'rlm', 'config.json'), JSON.stringify({ concurrency: 3 }))
    const byHome = await runCli(['config'], { cwd: dir, env: { XDG_CONFIG_HOME: '', HOME: home } })
    expect(JSON.parse(byHome.stdout).sources.concurrency).toBe('user')

    // A module given with --sub-model on the command line is loaded.
    const flagged = await runCli(
      ['run', 'q', '--context', 'rlm.config.json', ...probeModel(dir), '--sub-model', './evil.mjs:x', '-q'],
      { cwd: dir },
    )
    expect(flagged.code, flagged.stderr).toBe(0)
    expect(existsSync(join(dir, 'imported.marker'))).toBe(true)
  })

  it('a broken user config is a usage error naming the file', async () => {
    const xdg = tempDir('rlm-xdg-')
    mkdirSync(join(xdg, 'rlm'))
    writeFileSync(join(xdg, 'rlm', 'config.json'), JSON.stringify({ modle: 'x' }))
    const r = await runCli(['config'], { env: { XDG_CONFIG_HOME: xdg } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(join(xdg, 'rlm', 'config.json'))
    expect(r.stderr).toContain('"modle"')
  })
})
