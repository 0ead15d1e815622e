// Guest code: these functions run inside the sandbox, not in Node. The host never calls them; it
// sends their source text (Function.prototype.toString) into the sandbox as part of the prelude
// (see ../guest-prelude.ts). That is the simplest way to ship them as text that works the same
// from TypeScript source (vitest, node --conditions=@rlm/source, type stripping) and from the
// built dist: every TypeScript transform only erases types, so what toString returns is the same
// JavaScript. The rules that follow from it:
// - no imports and no reference to anything outside each function: only its parameters and the
//   guest realm's own globals (Object, Proxy, JSON, ...) exist when it runs;
// - only erasable TypeScript (types, `as`), no enums or parameter properties;
// - ./tsconfig.json checks this folder with no Node types, so a Node API here is a type error.

/** The guest's global object, as far as these functions touch it. */
export type GuestGlobal = Record<string, unknown> & typeof globalThis

type GuestFunction = (...args: unknown[]) => unknown

/** The core every other guest function builds on (and the spliced snippets use by name). */
export interface GuestCore {
  host: Record<string, GuestFunction>
  def: (name: string, value: unknown) => void
  relabel: (e: unknown) => unknown
  serialize: (v: unknown) => string
  isContext: (x: unknown) => x is { __rlmContext: true; toString(): string }
}

/**
 * Takes the host functions (`__rlm_<name>`) off the global object into `host`, each rethrowing
 * host errors relabelled with their code, and returns the helpers the rest of the API uses. The
 * host enforces every limit (depth, budgets), so nothing in the guest is trusted. Guest code: see
 * the file comment.
 */
export function installGuestCore(G: GuestGlobal, hostNames: readonly string[]): GuestCore {
  const host: Record<string, GuestFunction> = {}
  // A host error carries its stable code as err.code; naming it "Error [E_CODE]" (as Node does)
  // keeps the code in the message an uncaught error prints.
  const relabel = (e: unknown): unknown => {
    const err = e as { code?: unknown; name?: unknown } | null
    if (err && typeof err.code === 'string' && err.name === 'Error') {
      try {
        err.name = `Error [${err.code}]`
      } catch {}
    }
    return e
  }
  const P = Promise
  const rethrow = (e: unknown): never => {
    throw relabel(e)
  }
  const wrap =
    (f: GuestFunction): GuestFunction =>
    (...args) => {
      let r: unknown
      try {
        r = f.apply(undefined, args)
      } catch (e) {
        throw relabel(e)
      }
      return r instanceof P ? r.then(undefined, rethrow) : r
    }
  for (const n of hostNames) {
    host[n] = wrap(G[`__rlm_${n}`] as GuestFunction)
    delete G[`__rlm_${n}`]
  }
  const def = (name: string, value: unknown): void => {
    Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false })
  }
  const isContext = (x: unknown): x is { __rlmContext: true; toString(): string } =>
    x !== null && typeof x === 'object' && (x as { __rlmContext?: unknown }).__rlmContext === true
  const serialize = (v: unknown): string => {
    if (typeof v === 'string') return v
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return String(v)
    if (typeof v === 'bigint') return v.toString()
    try {
      const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))
      return s === undefined ? String(v) : s
    } catch {
      return String(v)
    }
  }
  return { host, def, relabel, serialize, isContext }
}

/** FINAL, FINAL_VAR, the `answer` object and Python's True/False/None. Guest code: see the file comment. */
export function installAnswer(G: GuestGlobal, core: GuestCore, answerState: string): void {
  const { host, def, serialize, isContext } = core
  def('FINAL', function FINAL(value: unknown) {
    host.final?.(serialize(isContext(value) ? value.toString() : value))
    return undefined
  })
  // The answer object (the official implementation's convention): the run ends after the cell
  // that leaves answer.ready === true, with answer.content serialised as FINAL does. Setting it,
  // or a field of the predefined one, tells the host to look after each cell from then on, so
  // runs that never use it pay nothing.
  let answerValue: unknown = new Proxy(
    { content: '', ready: false },
    {
      set: (t: Record<string | symbol, unknown>, k, v) => {
        t[k] = v
        host.answer_touched?.()
        return true
      },
    },
  )
  Object.defineProperty(G, 'answer', {
    get: () => answerValue,
    set: (v: unknown) => {
      answerValue = v
      host.answer_touched?.()
    },
    configurable: true,
    enumerable: false,
  })
  Object.defineProperty(G, answerState, {
    value: () => {
      const a = G.answer as { ready?: unknown; content?: unknown } | null
      if (a === null || typeof a !== 'object' || a.ready !== true) return null
      const c = a.content
      return serialize(isContext(c) ? c.toString() : c)
    },
  })
  // Python's constants, so answer["ready"] = True means what it says.
  def('True', true)
  def('False', false)
  def('None', null)
  def('FINAL_VAR', function FINAL_VAR(name: unknown) {
    const final = G.FINAL as GuestFunction
    if (typeof name !== 'string') return final(name)
    if (!(name in G)) {
      throw new ReferenceError(
        `FINAL_VAR: no variable named "${name}". Pass the name in quotes, e.g. FINAL_VAR("answer"), or call FINAL(value) with the value itself.`,
      )
    }
    return final(G[name])
  })
}

/** search, chunks, lines, describe, documents; returns `source`, which reads a pattern argument. Guest code: see the file comment. */
export function installContextReaders(G: GuestGlobal, core: GuestCore) {
  const { host, def } = core
  const source = (pattern: unknown): { pattern: string; flags: string } =>
    pattern instanceof RegExp
      ? { pattern: pattern.source, flags: pattern.flags }
      : { pattern: String(pattern), flags: '' }
  def('search', function search(pattern: unknown, options: unknown) {
    const p = source(pattern)
    const o: Record<string, unknown> = Object.assign({}, options || {})
    if (p.flags.indexOf('i') >= 0 && o.ignoreCase === undefined) o.ignoreCase = true
    return host.search?.(p.pattern, o)
  })
  def('chunks', function chunks(options: unknown) {
    return host.chunks?.(options || {})
  })
  def('lines', function lines(from: unknown, to: unknown) {
    return host.lines?.(from, to === undefined ? from : to)
  })
  def('describe', function describe() {
    return host.describe?.()
  })
  Object.defineProperty(G, 'documents', {
    get: () => host.documents?.(),
    configurable: true,
    enumerable: false,
  })
  return source
}

/**
 * llm_query, llm_query_batched, rlm_query, rlm_query_batched, is_error; returns the argument
 * readers the aliases reuse. Guest code: see the file comment.
 */
export function installQueries(G: GuestGlobal, core: GuestCore) {
  const { host, def, isContext } = core
  const isError = (s: unknown): boolean =>
    typeof s === 'string' && (s.indexOf('[llm_query error') === 0 || s.indexOf('[rlm_query error') === 0)
  def('is_error', function is_error(s: unknown) {
    return isError(s)
  })
  // Call arguments cross as they are, except the context itself, which crosses as a marker:
  // the host reads it, so rlm_query(q, context) never copies the text through the bridge.
  const CTX = G.context
  const WHOLE = () => ({ __rlm: 'context' })
  // In a text position (a second argument, a context/text/range field), the context string is meant as it.
  const textArg = (x: unknown): unknown =>
    (typeof x === 'string' && x === CTX) || isContext(x) ? WHOLE() : x
  const itemArg = (x: unknown): unknown => {
    if (isContext(x)) return WHOLE()
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x
    const item = x as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(item)) {
      out[k] = k === 'context' || k === 'text' || k === 'range' ? textArg(item[k]) : item[k]
    }
    return out
  }
  const firstArg = (x: unknown): unknown => (Array.isArray(x) ? x.map(itemArg) : itemArg(x))
  const secondArg = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(textArg)
    return x !== null && typeof x === 'object' && !isContext(x) ? itemArg(x) : textArg(x)
  }
  def('llm_query', function llm_query(prompt: unknown, options: unknown) {
    return host.llm_query?.(firstArg(prompt), secondArg(options))
  })
  def('llm_query_batched', function llm_query_batched(prompts: unknown, options: unknown) {
    return host.llm_query_batched?.(firstArg(prompts), secondArg(options))
  })
  def('rlm_query', function rlm_query(query: unknown, text: unknown) {
    return host.rlm_query?.(firstArg(query), secondArg(text))
  })
  def('rlm_query_batched', function rlm_query_batched(queries: unknown, texts: unknown) {
    return host.rlm_query_batched?.(firstArg(queries), secondArg(texts))
  })
  return { firstArg, secondArg, isError }
}

/**
 * Defines SHOW_VARS, which lists the variables the model made: every global not present when it
 * is installed (so it runs last, after every other guest definition). Guest code: see the file
 * comment.
 */
export function installShowVars(G: GuestGlobal, def: GuestCore['def']): void {
  const builtin: Record<string, true> = Object.create(null)
  for (const n of Object.getOwnPropertyNames(G)) builtin[n] = true
  def('SHOW_VARS', function SHOW_VARS() {
    const out: string[] = []
    for (const n of Object.getOwnPropertyNames(G)) {
      if (builtin[n] || n === 'context') continue
      let v: unknown
      try {
        v = G[n]
      } catch {
        continue
      }
      const t = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v
      const size =
        typeof v === 'string'
          ? `${v.length} chars`
          : Array.isArray(v)
            ? `${v.length} items`
            : t === 'object'
              ? `${Object.keys(v as object).length} keys`
              : String(v).slice(0, 40)
      out.push(`${n}: ${t} (${size})`)
    }
    const text = out.length ? out.join('\n') : '(no variables yet)'
    ;(G.print as GuestFunction)(text)
    return undefined
  })
}
