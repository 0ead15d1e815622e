// What a tool call answers: a success with structured content and the text an agent reads, or a
// tool error (isError) that carries rlm's stable code — in the text, so an agent sees it, and in
// `_meta["rlm/error"]`, so a program can branch on it. Everything passes the one redaction point.

import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js'
import { isRlmError, redactSecrets, redactValue, secretRedactor } from '@rlm/errors'

/** The `_meta` key of a tool error's `{ code, message }`. */
export const ERROR_META_KEY = 'rlm/error'

export interface ToolError {
  code: string
  message: string
}

/** A finished call: `structured` must match the tool's output schema. */
export interface ToolSuccess {
  structured: Record<string, unknown>
  /** Text blocks, in order, for agents that read only `content`. */
  text: string[]
  links?: ResourceLink[]
  /** A run that ended in an error still returns its structured result, marked as an error. */
  error?: ToolError
}

export function successResult(outcome: ToolSuccess): CallToolResult {
  const redact = secretRedactor()
  const result: CallToolResult = {
    content: [
      ...outcome.text.map((text) => ({ type: 'text' as const, text: redact(text) })),
      ...(outcome.links ?? []),
    ],
    structuredContent: redactValue(outcome.structured, redact),
  }
  if (outcome.error) {
    result.isError = true
    result._meta = { [ERROR_META_KEY]: redactValue(outcome.error, redact) }
  }
  return result
}

/** Any thrown value as a tool error; values that are not RlmError are E_INTERNAL. */
export function errorResult(err: unknown): CallToolResult {
  const error = toolErrorOf(err)
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    _meta: { [ERROR_META_KEY]: error },
  }
}

export function toolErrorOf(err: unknown): ToolError {
  if (isRlmError(err)) return { code: err.code, message: redactSecrets(err.message) }
  const message = err instanceof Error ? err.message : String(err)
  return {
    code: 'E_INTERNAL',
    message: redactSecrets(
      `rlm's MCP server failed: ${message}. This is a bug in rlm; retry, and report it with the server's stderr if it persists.`,
    ),
  }
}
