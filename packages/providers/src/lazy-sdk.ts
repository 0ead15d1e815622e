// Loads a vendor SDK on first use (one dynamic import, cached), so `import '@rlm/providers'`
// stays cheap and a run that only talks to Ollama never loads the Anthropic or Groq SDK.
import { RlmError } from '@rlm/errors'

/**
 * Returns a loader for one SDK. `load` must hold the literal `import('<pkg>')` so bundlers still
 * see the dependency. A failed load is not cached: the next call tries again.
 */
export function lazySdk<T>(packageName: string, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined
      throw new RlmError(
        'E_CONFIG',
        `Cannot load the '${packageName}' SDK (${(err as Error)?.message ?? err}): it is a dependency of @rlm/providers; reinstall it (npm install ${packageName}).`,
        { cause: err, details: { package: packageName } },
      )
    })
    return pending
  }
}
