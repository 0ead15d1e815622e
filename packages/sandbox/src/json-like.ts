// Host-side check that a value is JSON-like data (what may cross into the guest), without copying:
// strings, finite numbers, booleans, null, arrays and plain objects with data properties.

const MAX_DEPTH = 200

/** Returns undefined when `value` is JSON-like, else a sentence naming the first offending path. */
export function findNonJsonLike(value: unknown, path = 'value'): string | undefined {
  const seen = new Set<object>()
  function walk(v: unknown, p: string, depth: number): string | undefined {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${p} is ${v}, not a finite number`
    if (v === undefined) return undefined // dropped like JSON.stringify does
    if (typeof v !== 'object') return `${p} is a ${typeof v}`
    if (depth >= MAX_DEPTH) return `${p} nests deeper than ${MAX_DEPTH} levels`
    if (seen.has(v)) return `${p} is part of a cycle`
    if (Array.isArray(v)) {
      seen.add(v)
      for (let i = 0; i < v.length; i++) {
        const problem = walk(v[i], `${p}[${i}]`, depth + 1)
        if (problem) return problem
      }
      seen.delete(v)
      return undefined
    }
    const proto = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) return `${p} is not a plain object`
    seen.add(v)
    for (const key of Object.keys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key)
      if (!descriptor || !('value' in descriptor)) return `${p}.${key} is a getter`
      const problem = walk(descriptor.value, `${p}.${key}`, depth + 1)
      if (problem) return problem
    }
    seen.delete(v)
    return undefined
  }
  return walk(value, path, 0)
}
