// Turns what a client asked for (model name, query, text, files, settings) into a run the manager
// can start: the model from the served set, settings within the caps, files within the context
// roots, the engine config validated now (a bad one is a 400, not a failed run later) and the
// context loaded only when the run starts.

import { type ContextInput, createRlm } from '@rlm/engine'
import { resolveContextPaths } from './context-paths.ts'
import type { RunRequest } from './run-manager.ts'
import { type RunSettingsRequest, settleRunSettings } from './run-settings.ts'
import type { ServerState } from './server-state.ts'

export interface RunAsk {
  kind: 'chat' | 'run'
  model: string | undefined
  query: string
  /** Inline context: the text itself, or named documents. */
  text?: string | undefined
  documents?: Array<{ name: string; text: string }> | undefined
  contextPaths: readonly string[]
  settings: RunSettingsRequest
}

/** `prefix` says where the settings sit in the body ("rlm." for the chat extension) for errors. */
export async function prepareRun(state: ServerState, ask: RunAsk, prefix = ''): Promise<RunRequest> {
  const served = state.models.resolve(ask.model)
  const settled = settleRunSettings(ask.settings, state.caps, prefix)
  const paths = await resolveContextPaths(ask.contextPaths, state.roots, `${prefix}context_paths`)
  const rlm = createRlm({
    ...state.engine,
    ...settled,
    budget: { ...state.engine.budget, ...settled.budget },
    model: served.model,
    ...(state.models.subModel !== undefined && { subModel: state.models.subModel }),
  })
  const documents = [
    ...(ask.text !== undefined ? [{ name: 'context', text: ask.text }] : []),
    ...(ask.documents ?? []),
  ]
  return {
    kind: ask.kind,
    model: served.name,
    query: ask.query,
    rlm,
    context: () => loadRunContext(documents, paths),
  }
}

async function loadRunContext(
  documents: Array<{ name: string; text: string }>,
  paths: string[],
): Promise<ContextInput | undefined> {
  if (paths.length === 0) {
    if (documents.length === 0) return undefined
    return documents.length === 1 && documents[0]?.name === 'context' ? documents[0].text : { documents }
  }
  const { loadContext } = await import('@rlm/context')
  // One folder: documents named relative to it; several paths: named by their paths on the server.
  const input = paths.length === 1 ? { path: paths[0] as string } : { paths }
  const files = await loadContext(input, { followSymlinks: false })
  if (documents.length === 0) return files
  // Text sent in the request and files from the root become one context, documents side by side.
  const fromFiles = files.documents.map((d) => ({ name: d.name, text: files.slice(d.start, d.end) }))
  return { documents: [...documents, ...fromFiles] }
}
