// Custom tools (config.tools) called from the guest: arguments checked against the tool's schema,
// each call reported as a tool_end event, and, in a replay, a tool that is not replay-safe answered
// from the recording instead of running again (its side effects happened once already).

import { createHash } from 'node:crypto'
import { errorFields, RlmError } from '@rlm/errors'
import type { NodeState } from './node-state.ts'

/** Identity of a call for replay: the tool's name and its arguments as JSON. */
export function hashToolCall(name: string, args: unknown): string {
  return createHash('sha1')
    .update(`${name}\n${JSON.stringify(args ?? null)}`)
    .digest('hex')
}

export async function callTool(node: NodeState, toolName: string, args: unknown): Promise<unknown> {
  const tools = node.scope.config.tools
  const def = Object.hasOwn(tools, toolName) ? tools[toolName] : undefined
  if (!def) throw new RlmError('E_ARGUMENT', `No tool named ${toolName}.`)
  let input: unknown = args
  if (def.parameters) {
    const r = def.parameters.safeParse(args)
    if (!r.success) {
      const issue = r.error.issues[0]
      throw new RlmError(
        'E_TOOL_ARGS',
        `${toolName}: bad arguments${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
      )
    }
    input = r.data
  }
  const replaySafe = def.replaySafe === true
  const argsHash = hashToolCall(toolName, input)
  const started = performance.now()
  const end = (fields: { result?: unknown; error?: { code: string; message: string } }): void => {
    node.scope.emit(node, {
      type: 'tool_end',
      name: toolName,
      argsHash,
      replaySafe,
      durationMs: performance.now() - started,
      // A replay-safe tool runs again on replay: its result need not be kept.
      ...(fields.error ? { error: fields.error } : !replaySafe && { result: fields.result }),
    })
  }
  try {
    const replay = node.scope.replay
    const result =
      replay?.toolResult && !replaySafe
        ? replay.toolResult(toolName, argsHash)
        : ((await def.execute(input)) ?? null)
    end({ result })
    return result
  } catch (cause) {
    end({ error: errorFields(cause) })
    throw cause
  }
}
