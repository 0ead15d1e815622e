// Tries the packages as a user outside this repository gets them: packs every public package
// (the libraries and the CLI; pnpm pack turns `workspace:^` into real version ranges), installs the
// tarballs with npm into an empty temporary project (third-party dependencies come from the
// registry), and runs the root README's library snippet there — once as written with no key (it
// must report E_PROVIDER_AUTH through `status` and exit 1, not throw), once with its model ids
// replaced by a scripted model (it must answer); then `npx rlm demo` from the installed CLI (it
// must print the demo's answer), `npx rlm doctor` on a tiny GGUF through @rlm/llama-cpp, the
// engine alone, without @rlm/providers (see engine-only-check.mjs), and both installs' sizes.
// Needs a build first (`npx -y pnpm@10 build`); reaches the registry; takes a minute or two.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { checkEngineOnly, installSize } from './engine-only-check.mjs'

const root = resolve(import.meta.dirname, '..', '..')
const keep = process.argv.includes('--keep')

function fail(message) {
  console.error(`packed-install: ${message}`)
  process.exit(1)
}

/** The public @rlm packages: the libraries under packages/ and the CLI under apps/. */
function publicPackages() {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true && pkg.name.startsWith('@rlm/'))
}

/** The first ```ts block under "## As a library" in the root README. */
function readmeSnippet() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## As a library'))
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  if (!code) fail('no ```ts block under "## As a library" in README.md')
  return code
}

/** The snippet with its two model ids replaced by a scripted model (priced, for maxCostUsd). */
function scriptedSnippet(snippet) {
  const models = /^\s*model: '[^']+',\n\s*subModel: '[^']+',\n/m
  if (!models.test(snippet))
    fail("the README snippet no longer has `model: '...'` and `subModel: '...'` lines")
  const fence = (code) => `\`\`\`js\n${code}\n\`\`\``
  const prelude = `import { createScripted } from '@rlm/providers'
const scripted = createScripted(
  [${JSON.stringify(fence('print(describe())'))}, ${JSON.stringify(fence("FINAL('retry logic: ' + documents.map((d) => d.name).join(', '))"))}],
  { price: { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
)
`
  return prelude + snippet.replace(models, '  model: scripted,\n')
}

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (r.error) fail(`${command} ${args.join(' ')}: ${r.error.message}`)
  return r
}

const packages = publicPackages()
for (const { dir, pkg } of packages) {
  if (!existsSync(join(dir, 'dist'))) fail(`${pkg.name} has no dist/: run \`npx -y pnpm@10 build\` first`)
}
const work = mkdtempSync(join(tmpdir(), 'rlm-packed-'))
const packs = join(work, 'packs')
mkdirSync(packs)
for (const { dir, pkg } of packages) {
  execFileSync('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', packs], { cwd: dir, stdio: 'ignore' })
  console.log(`packed ${pkg.name}@${pkg.version}`)
}
const project = join(work, 'project')
mkdirSync(join(project, 'repo'), { recursive: true })
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'rlm-packed-try', private: true, type: 'module' }),
)
writeFileSync(
  join(project, 'repo', 'retry.js'),
  'export async function withRetry(fn) { /* retries with backoff */ }\n',
)
writeFileSync(join(project, 'repo', 'README.md'), '# repo\n')
const tarballs = readdirSync(packs).map((f) => join(packs, f))
const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
  cwd: project,
})
if (install.status !== 0) fail(`npm install failed:\n${install.stderr}`)
console.log(`installed ${tarballs.length} tarballs with npm in ${project}`)

// Provider keys from this machine would make the "no key" run reach a real server.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|^RLM_/.test(k)))
const snippet = readmeSnippet()
writeFileSync(join(project, 'as-written.mjs'), snippet)
writeFileSync(join(project, 'scripted.mjs'), scriptedSnippet(snippet))

const noKey = run(process.execPath, ['as-written.mjs'], { cwd: project, env })
if (noKey.status !== 1 || !noKey.stderr.includes('E_PROVIDER_AUTH')) {
  fail(
    `the README snippet without a key should exit 1 with E_PROVIDER_AUTH; exit ${noKey.status}:\n${noKey.stderr}`,
  )
}
console.log('README snippet, no key: status error E_PROVIDER_AUTH, exit 1 (as the README says)')

const scripted = run(process.execPath, ['scripted.mjs'], { cwd: project, env })
if (scripted.status !== 0 || !scripted.stdout.includes('retry logic: ')) {
  fail(
    `the README snippet with a scripted model should answer; exit ${scripted.status}:\n${scripted.stdout}\n${scripted.stderr}`,
  )
}
if (!existsSync(join(project, '.rlm', 'trace.jsonl'))) fail('the snippet wrote no trace at .rlm/trace.jsonl')
console.log(`README snippet, scripted model: ${scripted.stdout.trim()}`)

// The CLI as `npm install @rlm/cli` gives it: the published bin, no workspace launcher.
const demo = run('npx', ['--no-install', 'rlm', 'demo', '--quiet'], { cwd: project, env })
if (demo.status !== 0 || !/^Vault codes: AURORA = /m.test(demo.stdout)) {
  fail(`npx rlm demo from the packed CLI should answer; exit ${demo.status}:\n${demo.stdout}\n${demo.stderr}`)
}
console.log(`npx rlm demo, packed CLI: ${demo.stdout.trim().split('\n')[0]}`)

// @rlm/llama-cpp as npm installs it (node-llama-cpp's postinstall, its prebuilt binaries, gpu
// 'auto'): `rlm doctor` loads the tiny GGUF its tests write, probes it and names the backend.
const { tinyLlamaGguf } = await import(
  pathToFileURL(join(root, 'packages', 'llama-cpp', 'test', 'tiny-llama-model.ts')).href
)
writeFileSync(join(project, 'tiny.gguf'), tinyLlamaGguf())
const doctor = run('npx', ['--no-install', 'rlm', 'doctor', '--model', 'llama-cpp:./tiny.gguf', '--json'], {
  cwd: project,
  env: { ...env, RLM_LLAMA_CPP_THREADS: '1' },
})
const backend = doctor.status === 0 && JSON.parse(doctor.stdout).checks.find((c) => c.name === 'backend')
if (backend?.status !== 'ok') {
  fail(
    `npx rlm doctor --model llama-cpp:./tiny.gguf should pass; exit ${doctor.status}:\n${doctor.stdout}\n${doctor.stderr}`,
  )
}
console.log(`npx rlm doctor --model llama-cpp:./tiny.gguf, packed @rlm/llama-cpp: ${backend.detail}`)

const tarballByName = new Map(
  packages.map(({ pkg }) => [
    pkg.name,
    join(packs, `${pkg.name.slice(1).replace('/', '-')}-${pkg.version}.tgz`),
  ]),
)
const engineOnly = checkEngineOnly({
  work,
  tarballOf: (name) => tarballByName.get(name) ?? fail(`no tarball for ${name}`),
  engineManifest: packages.find(({ pkg }) => pkg.name === '@rlm/engine').pkg,
  env,
  run,
  fail,
})
const full = installSize(project)
console.log(
  `node_modules: every public package ${full.mib} MiB (${full.packages} packages); the engine alone ${engineOnly.mib} MiB (${engineOnly.packages} packages)`,
)

if (keep) console.log(`kept ${work}`)
else rmSync(work, { recursive: true, force: true })
