// Creates nodes (root and children) and runs a query on one: the sandbox is started in the
// background with the guest API, so the first model request never waits for it.

import { isRlmError, RlmError } from '@rlm/errors'
import type { Sandbox, SandboxFactory } from '@rlm/sandbox'
import { z } from 'zod'
import { loadTextContext, prewarmContextWorker } from './context-loading.ts'
import type { ContextSource } from './context-source.ts'
import { wholeText } from './context-source.ts'
import { buildHostFunctions, DEFAULT_SEARCH_LIMIT } from './guest-host-functions.ts'
import { buildPrelude } from './guest-prelude.ts'
import { rootModelWindow, subModelWindow } from './model-window.ts'
import { pushUser, runNodeLoop } from './node-loop.ts'
import type { RunOutcome } from './node-outcome.ts'
import { type NodeState, newRecord } from './node-state.ts'
import { buildQueryMessage, buildSystemPrompt } from './prompt/system-prompt.ts'
import { nodeSeed } from './run-determinism.ts'
import type { RunScope } from './run-scope.ts'
import type { ChildRunner } from './sub-calls.ts'

type SandboxModule = typeof import('@rlm/sandbox')

/** The heap a sandbox starts with, charged to the run's memory budget when it is created. */
const SANDBOX_START_BYTES = 16 * 2 ** 20

let sandboxModule: Promise<SandboxModule> | undefined
function loadSandbox(): Promise<SandboxModule> {
  sandboxModule ??= import('@rlm/sandbox')
  return sandboxModule
}

/** The warm pool size this process last asked for, so runs do not re-request the same pool. */
let warmPool = { count: 0, memoryLimitBytes: 0 }

/**
 * Spares for as many children as can start at once, so a child's sandbox costs a message, not a
 * boot; one more for the root's sandbox, which gives its worker back too when the run ends, so
 * runs one after another (root and children) start no threads.
 */
function prewarmForChildren(m: SandboxModule, cfg: RunScope['config']): void {
  const children = cfg.prewarmSandboxes ?? (cfg.maxDepth > 1 ? Math.min(cfg.concurrency, 8) : 0)
  if (children === 0) return
  const count = children + 1
  if (warmPool.count >= count && warmPool.memoryLimitBytes === cfg.memoryLimitBytes) return
  warmPool = { count, memoryLimitBytes: cfg.memoryLimitBytes }
  m.prewarmSandbox({ count, memoryLimitBytes: cfg.memoryLimitBytes }).catch(() => {
    warmPool = { count: 0, memoryLimitBytes: 0 } // children then boot their own sandboxes
  })
}

/**
 * Starts @rlm/sandbox's pool (its module, the QuickJS compile and one warm worker) as soon as an
 * rlm is created, so a process's first run takes a warm sandbox instead of booting one after its
 * first model reply. Spares never keep the process alive; `prewarmSandboxes: 0` or a custom
 * sandbox factory leaves the pool alone.
 */
export function prewarmRootSandbox(cfg: RunScope['config']): void {
  if (cfg.sandbox || cfg.prewarmSandboxes === 0 || warmPool.count > 0) return
  warmPool = { count: 1, memoryLimitBytes: cfg.memoryLimitBytes }
  loadSandbox()
    .then((m) => m.prewarmSandbox({ count: 1, memoryLimitBytes: cfg.memoryLimitBytes }))
    .catch(() => {
      warmPool = { count: 0, memoryLimitBytes: 0 } // the first run boots its own sandbox
    })
}

export function createNode(
  scope: RunScope,
  id: string,
  depth: number,
  ctx: ContextSource,
  query: string,
  signal: AbortSignal = scope.callSignal,
): NodeState {
  const node: NodeState = {
    id,
    depth,
    ctx,
    contextInline: ctx.length <= scope.config.contextInlineLimit,
    scope,
    sandbox: undefined,
    startSandbox: undefined,
    messages: [],
    record: newRecord(id, depth, query),
    signal,
    cellSignal: signal,
    final: undefined,
    childSeq: 0,
    subSeq: 0,
    lastInputTokens: 0,
    lastHistoryChars: 0,
  }
  node.startSandbox = () => {
    node.startSandbox = undefined
    node.sandbox = startSandbox(node)
  }
  return node
}

function startSandbox(node: NodeState): Promise<Sandbox> {
  const cfg = node.scope.config
  const sandbox = loadSandbox().then(async (m) => {
    // One budget for every sandbox of the run: children share what the root leaves.
    node.scope.memoryBudget ??= m.createMemoryBudget(cfg.limits.maxRunMemoryBytes)
    // config.sandbox plugs in another implementation; the default is @rlm/sandbox's QuickJS.
    const create: SandboxFactory = cfg.sandbox ?? m.createSandbox
    const { seed, clockStartMs } = node.scope.determinism
    const nodeSeedValue = nodeSeed(seed, node.id)
    const created = await create({
      ...(nodeSeedValue !== undefined && { seed: nodeSeedValue }),
      ...(clockStartMs !== undefined && { clockStartMs }),
      timeoutMs: cfg.executionTimeoutMs,
      memoryLimitBytes: cfg.memoryLimitBytes,
      memoryBudget: node.scope.memoryBudget,
      globals: node.contextInline ? { context: wholeText(node.ctx) } : {},
      functions: buildHostFunctions(node, runChild),
      prelude: buildPrelude({ contextInline: node.contextInline, toolNames: Object.keys(cfg.tools) }),
      onOutput: (chunk) => {
        const at = node.runningCell
        if (at) node.scope.emit(node, { type: 'cell_output', iteration: at.iteration, cell: at.cell, chunk })
      },
    })
    if (typeof created?.run !== 'function' || typeof created.dispose !== 'function') {
      throw new RlmError(
        'E_CONFIG',
        'config.sandbox resolved to no sandbox: it must resolve to an object with run() and dispose() (the Sandbox interface of @rlm/sandbox).',
      )
    }
    if (node.depth === 0 && node.ctx.searchAsync) prewarmContextWorker()
    return created
  })
  const started = sandbox.catch((cause) => {
    // The run's memory budget is full: E_MEMORY, which ends a child (see runChild), not E_SANDBOX.
    const code = isRlmError(cause) && cause.code === 'E_MEMORY' ? 'E_MEMORY' : 'E_SANDBOX'
    throw new RlmError(code, `The REPL sandbox could not start: ${(cause as Error)?.message ?? cause}`, {
      cause,
    })
  })
  started.catch(() => {}) // surfaced when the first cell awaits it
  return started
}

/** Runs one query on a node (a fresh one, or a session's node that keeps its history). */
export async function runQuery(node: NodeState, query: string): Promise<RunOutcome> {
  const scope = node.scope
  const cfg = scope.config
  const started = performance.now()
  const shape = node.ctx.describe()
  const headMessage = buildQueryMessage(query, shape)
  if (node.messages.length === 0) {
    const system = buildSystemPrompt({
      depth: node.depth,
      canRecurse: node.depth + 1 < cfg.maxDepth,
      maxIterations: cfg.maxIterations,
      outputLimit: cfg.outputLimit,
      contextInline: node.contextInline,
      tools: Object.entries(cfg.tools).map(([name, t]) => ({
        name,
        description: t.description,
        ...(t.parameters && { parameters: describeParameters(t.parameters) }),
      })),
      instructions: cfg.instructions,
      executionTimeoutMs: cfg.executionTimeoutMs,
      concurrency: cfg.concurrency,
      subWindowTokens: subModelWindow(scope),
      rootWindowTokens: rootModelWindow(scope),
      searchLimit: DEFAULT_SEARCH_LIMIT,
      maxSearchHits: cfg.limits.maxSearchHits,
    })
    node.messages.push({ role: 'system', content: system }, { role: 'user', content: headMessage })
  } else {
    pushUser(node, `Next query (the REPL keeps every variable from before): ${query}\n\nYour next action:`)
  }
  const outcome = await runNodeLoop(node, headMessage)
  node.record.status = outcome.status
  node.record.answer = outcome.answer
  if (outcome.budget) node.record.budget = outcome.budget
  node.record.durationMs = performance.now() - started
  return outcome
}

/** Starts a child RLM one level below `parent`, runs it, and disposes of its sandbox. */
export const runChild: ChildRunner = async (parent, id, query, text, signal) => {
  const scope = parent.scope
  assertMemoryForChild(scope)
  // Spares only once a run asks for children: a run that never does boots no extra threads. They
  // boot while the children's first model calls are in flight; a custom factory keeps no pool.
  if (!scope.config.sandbox)
    void loadSandbox().then(
      (m) => prewarmForChildren(m, scope.config),
      () => {},
    )
  const ctx = text === null ? parent.ctx : await loadTextContext(text)
  // A child whose sandbox cannot get memory ends with E_MEMORY at once, its model call aborted.
  const noMemory = new AbortController()
  const child = createNode(
    scope,
    id,
    parent.depth + 1,
    ctx,
    query,
    AbortSignal.any([signal, noMemory.signal]),
  )
  const start = child.startSandbox
  child.startSandbox = () => {
    start?.()
    child.sandbox?.catch((cause: unknown) => {
      if (isRlmError(cause) && cause.code === 'E_MEMORY') noMemory.abort(cause)
    })
  }
  // The spawning cell ended (or the run stopped): the child stops now, its sandbox closed even
  // in the middle of a cell, so nothing it started keeps running or billing.
  const stop = (): void => void disposeNode(child)
  signal.addEventListener('abort', stop, { once: true })
  scope.maxLevel = Math.max(scope.maxLevel, child.depth + 1)
  parent.record.children.push(child.record)
  scope.emit(child, { type: 'child_start', parentId: parent.id, query, contextLength: ctx.length })
  try {
    const outcome = await runQuery(child, query)
    scope.emit(child, {
      type: 'child_end',
      parentId: parent.id,
      status: outcome.status,
      answer: outcome.answer,
      ...(outcome.budget && { budget: outcome.budget }),
      usage: child.record.usage,
      durationMs: child.record.durationMs,
    })
    return outcome
  } finally {
    signal.removeEventListener('abort', stop)
    await disposeNode(child)
  }
}

/** Refuses a child before it costs a model call when the run's sandboxes hold all its memory. */
function assertMemoryForChild(scope: RunScope): void {
  const budget = scope.memoryBudget
  if (!budget || budget.usedBytes + SANDBOX_START_BYTES <= budget.limitBytes) return
  const mib = (n: number): string => `${Math.round(n / 2 ** 20).toLocaleString('en-US')} MiB`
  throw new RlmError(
    'E_MEMORY',
    `No memory for another child RLM: this run's sandboxes hold ${mib(budget.usedBytes)} of its ${mib(budget.limitBytes)} (limits.maxRunMemoryBytes). Await running children before starting more, keep less data in REPL variables, or raise limits.maxRunMemoryBytes.`,
    { details: { limit: 'maxRunMemoryBytes', usedBytes: budget.usedBytes, limitBytes: budget.limitBytes } },
  )
}

export async function disposeNode(node: NodeState): Promise<void> {
  node.startSandbox = undefined
  const sandbox = node.sandbox
  node.sandbox = undefined
  if (!sandbox) return
  try {
    await (await sandbox).dispose()
  } catch {
    // dispose never matters more than the answer
  }
}

function describeParameters(schema: z.ZodType): string | undefined {
  try {
    const { $schema: _, ...json } = z.toJSONSchema(schema) as Record<string, unknown>
    return JSON.stringify(json)
  } catch {
    // a schema that cannot be described is still usable
  }
  return undefined
}
