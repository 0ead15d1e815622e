// Where the roots come from: the server's own list when it has one; otherwise the folders the
// client advertises as MCP roots; otherwise none, and every path argument is refused. The client
// is asked within the first tool call that needs them (a request related to that call reaches the
// client over stdio and over Streamable HTTP alike), and again after it says its list changed.

import { realpath } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { type ListRootsResult, RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import type { RootSet } from './root-paths.ts'

/** Sends roots/list to the client as part of the current call. */
export type AskRoots = () => Promise<ListRootsResult>

export interface RootsSource {
  /** The roots to check a path against now. */
  current(ask: AskRoots): Promise<RootSet>
}

const NONE: RootSet = { dirs: [], origin: 'none' }

export function fixedRoots(dirs: readonly string[]): RootsSource {
  const set: RootSet = { dirs, origin: 'server' }
  return { current: async () => set }
}

/** Real paths of the client's file:// roots that exist; other schemes and missing folders are left out. */
async function realRoots(uris: readonly string[]): Promise<string[]> {
  const dirs = await Promise.all(
    uris.map(async (uri) => {
      if (!uri.startsWith('file://')) return undefined
      try {
        return await realpath(fileURLToPath(uri))
      } catch {
        return undefined
      }
    }),
  )
  return [...new Set(dirs.filter((d): d is string => d !== undefined))]
}

/** Follows the client's MCP roots (cached until roots/list_changed); register before connecting. */
export function clientRoots(server: Server): RootsSource {
  let cached: Promise<RootSet> | undefined
  server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    cached = undefined
  })
  return {
    current(ask) {
      if (!server.getClientCapabilities()?.roots) return Promise.resolve(NONE)
      cached ??= ask().then(
        async (r) => ({ dirs: await realRoots(r.roots.map((root) => root.uri)), origin: 'client' as const }),
        () => {
          cached = undefined // ask again on the next call
          return NONE
        },
      )
      return cached
    },
  }
}
