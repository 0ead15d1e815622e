// The packed engine without @rlm/providers (an optional peer): installed with npm from the
// tarballs of the engine and its own @rlm dependencies only, it must run a hand-written spec model
// with no vendor SDK on disk, and refuse a model id with E_CONFIG saying what to install.
// Reports the size of that install beside the full one. Called by packed-install.mjs.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const VENDOR_SDKS = ['openai', '@anthropic-ai/sdk', 'groq-sdk', '@rlm/providers']

const SPEC_MODEL_SNIPPET = `import { createRlm } from '@rlm/engine'
const reply = (text) => ({
  text, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop', costUsd: 0, raw: null,
  timing: { startedAt: Date.now(), durationMs: 0 },
})
let turn = 0
const model = {
  specificationVersion: 'v1', provider: 'mine', modelId: 'two-turns', contextWindow: 32_000,
  price: { inputPerMillion: 0, outputPerMillion: 0 },
  async generate() {
    return reply(turn++ === 0 ? '\`\`\`js\\nprint(context.length)\\n\`\`\`' : '\`\`\`js\\nFINAL("spec model: " + context.slice(0, 5))\\n\`\`\`')
  },
}
const result = await createRlm({ model, budget: { maxCostUsd: 1 } }).run({ query: 'q', context: 'hello world' })
console.log(result.status, result.answer)
try {
  await createRlm({ model: 'openai:gpt-4o-mini' }).run({ query: 'q', context: 'x' })
  console.log('the model id ran')
} catch (e) {
  console.log(e.code, e.message)
}
`

/** Size of a directory in MiB and the number of packages npm installed in it. */
export function installSize(project) {
  const kib = Number(
    execFileSync('du', ['-sk', join(project, 'node_modules')], { encoding: 'utf8' }).split('\t')[0],
  )
  const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8'))
  return { mib: Math.round(kib / 102.4) / 10, packages: Object.keys(lock.packages).length }
}

/**
 * `tarballOf(name)` gives the packed tarball of a workspace package; `engineManifest` is
 * packages/engine/package.json. Returns the install's size.
 */
export function checkEngineOnly({ work, tarballOf, engineManifest, env, run, fail }) {
  const project = join(work, 'engine-only')
  mkdirSync(project)
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'rlm-engine-only', private: true, type: 'module' }),
  )
  const own = Object.keys(engineManifest.dependencies).filter((name) => name.startsWith('@rlm/'))
  const tarballs = [engineManifest.name, ...own].map(tarballOf)
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: project,
  })
  if (install.status !== 0) fail(`npm install of the engine alone failed:\n${install.stderr}`)
  const present = VENDOR_SDKS.filter((name) => existsSync(join(project, 'node_modules', name)))
  if (present.length > 0) fail(`the engine alone installed ${present.join(', ')}`)

  writeFileSync(join(project, 'spec-model.mjs'), SPEC_MODEL_SNIPPET)
  const r = run(process.execPath, ['spec-model.mjs'], { cwd: project, env })
  const [answer = '', refusal = ''] = r.stdout.trim().split('\n')
  if (r.status !== 0 || answer !== 'final spec model: hello') {
    fail(`the engine alone should answer with a spec model; exit ${r.status}:\n${r.stdout}\n${r.stderr}`)
  }
  if (!refusal.startsWith('E_CONFIG') || !refusal.includes('npm i @rlm/providers')) {
    fail(`a model id without @rlm/providers should reject with E_CONFIG naming the install; got:\n${refusal}`)
  }
  console.log(
    `engine alone (${tarballs.length} tarballs, no vendor SDK): ${answer}; a model id: ${refusal.slice(0, 90)}...`,
  )
  return installSize(project)
}
