// The traces of this session's rlm_ask runs, offered as MCP resources (`rlm://traces/<name>`, JSONL).
// Only traces this server wrote can be read through it: a URI names a run, never a file path.

import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ReadResourceResult, Resource, ResourceLink } from '@modelcontextprotocol/sdk/types.js'
import { RlmError } from '@rlm/errors'

export const TRACE_URI_PREFIX = 'rlm://traces/'
export const TRACE_MIME_TYPE = 'application/x-ndjson'
/** Resources listed at most (newest first); older runs' traces stay readable by URI. */
const LISTED = 100

interface TraceEntry {
  uri: string
  path: string
  query: string
  startedAt: number
}

export interface TraceResources {
  /** Remembers a run's trace file; returns its URI. */
  add(path: string, query: string): string
  /** Drops a trace whose run never started. */
  forget(uri: string): void
  list(): Resource[]
  link(uri: string): ResourceLink
  read(uri: string): Promise<ReadResourceResult>
}

function describe(e: TraceEntry): Resource {
  const query = e.query.length > 120 ? `${e.query.slice(0, 119)}…` : e.query
  return {
    uri: e.uri,
    name: basename(e.path),
    title: `rlm trace: ${query}`,
    description: `JSONL trace of the rlm_ask run started ${new Date(e.startedAt).toISOString()} (every event; open it with \`rlm view\`). File: ${e.path}`,
    mimeType: TRACE_MIME_TYPE,
  }
}

export function createTraceResources(): TraceResources {
  const entries = new Map<string, TraceEntry>()
  return {
    add(path, query) {
      const uri = `${TRACE_URI_PREFIX}${basename(path, '.jsonl')}`
      entries.set(uri, { uri, path, query, startedAt: Date.now() })
      return uri
    },
    forget(uri) {
      entries.delete(uri)
    },
    list() {
      return [...entries.values()].reverse().slice(0, LISTED).map(describe)
    },
    link(uri) {
      const entry = entries.get(uri)
      if (!entry) throw new Error(`no trace ${uri}`)
      return { type: 'resource_link', ...describe(entry) }
    },
    async read(uri) {
      const entry = entries.get(uri)
      if (!entry) {
        throw new RlmError(
          'E_TRACE',
          `No trace ${uri} in this session: trace URIs come from rlm_ask results and resources/list.`,
        )
      }
      let text: string
      try {
        text = await readFile(entry.path, 'utf8')
      } catch (cause) {
        throw new RlmError(
          'E_TRACE',
          `The trace file ${entry.path} of ${uri} cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): it may have been deleted or pruned.`,
          { cause },
        )
      }
      return { contents: [{ uri, mimeType: TRACE_MIME_TYPE, text }] }
    },
  }
}
