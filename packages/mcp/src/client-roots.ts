// Where the roots come from: the server's own list when it has one; otherwise the folders the
// client advertises as MCP roots (asked for once the session is initialized, and again whenever
// the client says its list changed); otherwise none, and every path argument is refused.

import { realpath } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import type { RootSet } from './root-paths.ts'

export interface RootsSource {
  /** The roots to check a path against now (waits for a roots request in flight). */
  current(): Promise<RootSet>
}

const NONE: RootSet = { dirs: [], origin: 'none' }
/** How long to wait for the client's roots before treating it as having none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000

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

/** Follows the client's MCP roots; call before the server connects. */
export function clientRoots(server: Server): RootsSource {
  let latest: Promise<RootSet> = Promise.resolve(NONE)
  const refresh = (): void => {
    if (!server.getClientCapabilities()?.roots) {
      latest = Promise.resolve(NONE)
      return
    }
    latest = server
      .listRoots(undefined, { timeout: LIST_ROOTS_TIMEOUT_MS })
      .then(async (r) => ({
        dirs: await realRoots(r.roots.map((root) => root.uri)),
        origin: 'client' as const,
      }))
      .catch(() => NONE)
  }
  const previous = server.oninitialized
  server.oninitialized = () => {
    previous?.()
    refresh()
  }
  server.setNotificationHandler(RootsListChangedNotificationSchema, async () => refresh())
  return { current: () => latest }
}
