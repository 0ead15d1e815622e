// Guest code: these functions run inside QuickJS, not in Node. The host never calls them; it sends
// their source text (Function.prototype.toString) into the sandbox as the bootstrap (see
// ../guest-bootstrap.ts), evaluated once in a fresh context before any other guest code. That is
// the simplest way to ship them as text that works the same from TypeScript source (vitest,
// node --conditions=@rlm/source, type stripping) and from the built dist: every TypeScript
// transform only erases types, so what toString returns is the same JavaScript. The rules:
// - no imports and no reference to anything outside each function: only its parameters and the
//   guest realm's own globals exist when it runs, and only captureBuiltins reads a global;
// - every other function reaches a builtin through the captures, never through a global or a
//   prototype method the guest could have replaced by the time it runs (a security boundary:
//   converting a guest value never runs guest getters, toJSON or redefined globals);
// - only erasable TypeScript (types, `as`), and no syntax a transform could lower into a helper
//   (object spread, decorators);
// - ./tsconfig.json checks this folder with no Node types, so a Node API here is a type error.
// The bootstrap wraps them in one strict-mode function, so each runs in strict mode.

type Uncurried = <This, Args extends unknown[], Result>(
  method: (this: This, ...args: Args) => Result,
) => (self: This, ...args: Args) => Result

/** The guest's builtins as captureBuiltins read them. */
export type GuestBuiltins = ReturnType<typeof captureBuiltins>

/** An own data property read without running a getter: `found` is false for accessors and absent keys. */
export interface DataProperty {
  found: boolean
  enumerable: boolean
  value: unknown
}

/** What createPropertyReads returns. */
export type PropertyReads = ReturnType<typeof createPropertyReads>

/** JSON text for a guest value; see createToJson. */
export type ToJson = (value: unknown, strict: boolean, what: string) => string | undefined

/**
 * Reads the pristine builtins, first thing in a fresh context, in this order; every other guest
 * function reaches builtins only through what this returns. Guest code: see the file comment.
 */
export function captureBuiltins() {
  const G = globalThis
  const uncurry = Function.prototype.bind.bind(Function.prototype.call) as Uncurried
  const O = Object
  const getOwnDesc = O.getOwnPropertyDescriptor
  const defineProp = O.defineProperty
  const getProto = O.getPrototypeOf
  const ownKeys = Reflect.ownKeys
  const apply = Reflect.apply
  const isArray = Array.isArray
  const hasOwn = uncurry(O.prototype.hasOwnProperty)
  const jsonStringify = JSON.stringify
  const jsonParse = JSON.parse
  const SetC = Set
  const setHas = uncurry(Set.prototype.has)
  const setAdd = uncurry(Set.prototype.add)
  const setDelete = uncurry(Set.prototype.delete)
  const push = uncurry(Array.prototype.push)
  const join = uncurry(Array.prototype.join)
  const slice = uncurry(String.prototype.slice)
  const bigintToString = uncurry(BigInt.prototype.toString)
  const symbolToString = uncurry(Symbol.prototype.toString)
  const dateGetTime = uncurry(Date.prototype.getTime)
  const dateToISO = uncurry(Date.prototype.toISOString)
  const TypeErrorC = TypeError
  const PromiseProto = Promise.prototype
  const isFiniteN = Number.isFinite
  return {
    __proto__: null,
    G,
    getOwnDesc,
    defineProp,
    getProto,
    ownKeys,
    apply,
    isArray,
    hasOwn,
    jsonStringify,
    jsonParse,
    SetC,
    setHas,
    setAdd,
    setDelete,
    push,
    join,
    slice,
    bigintToString,
    symbolToString,
    dateGetTime,
    dateToISO,
    TypeErrorC,
    PromiseProto,
    isFiniteN,
  }
}

/**
 * Reads that never run guest code: an own data property, whether a value is a Date, and a data
 * property looked up along at most 100 prototypes. Guest code: see the file comment.
 */
export function createPropertyReads(b: GuestBuiltins) {
  const { getOwnDesc, hasOwn, getProto, dateGetTime } = b
  function dataValue(obj: object, key: PropertyKey): DataProperty {
    const d = getOwnDesc(obj, key)
    if (d === undefined || !hasOwn(d, 'value')) {
      return { __proto__: null, found: false, enumerable: false, value: undefined } as DataProperty
    }
    return { __proto__: null, found: true, enumerable: d.enumerable === true, value: d.value } as DataProperty
  }
  // Date.prototype.getTime throws on anything but a real Date, whatever its prototype says.
  function isDate(v: unknown): boolean {
    try {
      dateGetTime(v as Date)
      return true
    } catch {
      return false
    }
  }
  function lookupData(obj: unknown, key: PropertyKey): unknown {
    let o = obj
    for (let i = 0; i < 100 && o !== null && (typeof o === 'object' || typeof o === 'function'); i++) {
      const d = dataValue(o as object, key)
      if (d.found) return d.value
      o = getProto(o)
    }
    return undefined
  }
  return { __proto__: null, dataValue, isDate, lookupData }
}

/**
 * Returns toJson: JSON text for a guest value without running guest getters/toJSON. strict: throw
 * TypeError on anything that is not JSON-like; lenient: behave like JSON.stringify (BigInt as a
 * string). Guest code: see the file comment.
 */
// long-function: holds walk, one recursive function on purpose (see there)
export function createToJson(b: GuestBuiltins, reads: PropertyReads): ToJson {
  const { jsonStringify, isFiniteN, TypeErrorC, bigintToString, SetC, setHas, setAdd, setDelete } = b
  const { isArray, ownKeys, push, join, dateToISO } = b
  const { dataValue, isDate } = reads
  const MAX_DEPTH = 200
  const MAX_ARRAY = 10000000
  // long-function: holds walk, one recursive function on purpose (see there)
  return function toJson(value, strict, what) {
    const seen = new SetC<unknown>()
    // One recursive function on purpose: a helper per nesting level would spend more of the guest's
    // stack, so a deep value could overflow it before the MAX_DEPTH error.
    function walk(v: unknown, depth: number, path: string): string | undefined {
      if (v === null) return 'null'
      const t = typeof v
      if (t === 'string') return jsonStringify(v)
      if (t === 'boolean') return v ? 'true' : 'false'
      if (t === 'number') {
        if (isFiniteN(v)) return jsonStringify(v)
        if (strict) {
          throw new TypeErrorC(what + ': ' + path + ' is ' + jsonStringify(v) + '; pass finite numbers only')
        }
        return 'null'
      }
      if (t === 'undefined' || t === 'function' || t === 'symbol') {
        if (strict && !(t === 'undefined' && depth > 0)) {
          throw new TypeErrorC(
            what +
              ': ' +
              path +
              ' is a ' +
              t +
              '; pass strings, numbers, booleans, null, arrays or plain objects',
          )
        }
        return undefined
      }
      if (t === 'bigint') {
        if (strict) {
          throw new TypeErrorC(
            what + ': ' + path + ' is a BigInt; convert it with String() or Number() first',
          )
        }
        return jsonStringify(bigintToString(v as bigint))
      }
      if (depth >= MAX_DEPTH)
        throw new TypeErrorC(what + ': value nests deeper than ' + MAX_DEPTH + ' levels')
      if (setHas(seen, v)) {
        if (strict) throw new TypeErrorC(what + ': ' + path + ' contains a cycle')
        return '"[Circular]"'
      }
      if (isDate(v)) {
        try {
          return jsonStringify(dateToISO(v as Date))
        } catch {
          return 'null'
        }
      }
      setAdd(seen, v)
      const parts: string[] = []
      let out: string
      if (isArray(v)) {
        const len = dataValue(v, 'length').value
        if (typeof len !== 'number' || len > MAX_ARRAY) {
          throw new TypeErrorC(what + ': ' + path + ' is an array too long to convert')
        }
        for (let i = 0; i < len; i++) {
          const item = dataValue(v, '' + i)
          const s = item.found ? walk(item.value, depth + 1, path + '[' + i + ']') : 'null'
          push(parts, s === undefined ? 'null' : s)
        }
        out = '[' + join(parts, ',') + ']'
      } else {
        const keys = ownKeys(v as object)
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]
          if (typeof key !== 'string') continue
          const item = dataValue(v as object, key)
          if (!item.found || !item.enumerable) continue
          const s = walk(item.value, depth + 1, path + '.' + key)
          if (s !== undefined) push(parts, jsonStringify(key) + ':' + s)
        }
        out = '{' + join(parts, ',') + '}'
      }
      setDelete(seen, v)
      return out
    }
    return walk(value, 0, 'value')
  }
}

/**
 * describe (one value as print shows it), describeError (JSON text {name, message, stack,
 * isObject} for a thrown value) and format (print's arguments as one line), all read without
 * guest getters. Guest code: see the file comment.
 */
export function createDescribers(b: GuestBuiltins, reads: PropertyReads, toJson: ToJson) {
  const { lookupData } = reads
  const { slice, symbolToString, bigintToString, getProto, PromiseProto, jsonStringify, push, join } = b
  function clip(s: string, n: number): string {
    return s.length > n ? slice(s, 0, n) + '... [' + (s.length - n) + ' more characters]' : s
  }
  function describe(v: unknown): string {
    const t = typeof v
    if (t === 'string') return v as string
    if (t === 'symbol') return symbolToString(v as symbol)
    if (t === 'bigint') return bigintToString(v as bigint) + 'n'
    if (t === 'function') {
      const n = lookupData(v, 'name')
      return '[Function ' + (typeof n === 'string' && n ? n : '(anonymous)') + ']'
    }
    if (v === null || t !== 'object') return '' + (v as number | boolean | null | undefined)
    // A promise prints as {} in JSON: say what happened and what to write instead.
    if (getProto(v) === PromiseProto) {
      return '[Promise: not awaited yet; write await before the call, e.g. print(await llm_query(...))]'
    }
    const name = lookupData(v, 'name')
    const message = lookupData(v, 'message')
    if (typeof message === 'string' && typeof name === 'string') return name + ': ' + message
    try {
      const s = toJson(v, false, 'value')
      return s === undefined ? 'undefined' : s
    } catch {
      return '[object]'
    }
  }
  function describeError(e: unknown): string {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      const name = lookupData(e, 'name')
      const message = lookupData(e, 'message')
      const stack = lookupData(e, 'stack')
      return jsonStringify({
        __proto__: null,
        name: typeof name === 'string' ? clip(name, 200) : 'Error',
        message: clip(typeof message === 'string' ? message : describe(e), 20000),
        stack: typeof stack === 'string' ? clip(stack, 20000) : '',
        isObject: true,
      })
    }
    return jsonStringify({
      __proto__: null,
      name: 'Error',
      message: clip('Uncaught ' + describe(e), 20000),
      stack: '',
      isObject: false,
    })
  }
  function format(args: ArrayLike<unknown>): string {
    const parts: string[] = []
    for (let i = 0; i < args.length; i++) push(parts, describe(args[i]))
    return join(parts, ' ')
  }
  return { __proto__: null, describe, describeError, format }
}

/**
 * Defines the guest's print and console.log/info/warn/error/debug/trace: one line each, cut to
 * the room the host's output buffer has left, with the full length passed along. Guest code: see
 * the file comment.
 */
export function installPrint(
  b: GuestBuiltins,
  format: (args: ArrayLike<unknown>) => string,
  rawPrint: (text: string, fullLength: number) => void,
  rawRoom: () => number,
): void {
  const { G, slice, defineProp } = b
  function print() {
    // biome-ignore lint/complexity/noArguments: read in place, no array built per print
    const s = format(arguments)
    const room = rawRoom()
    rawPrint(s.length > room ? slice(s, 0, room) : s, s.length)
  }
  const consoleObj = {}
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace']
  for (let i = 0; i < methods.length; i++) {
    defineProp(consoleObj, methods[i] as string, {
      value: print,
      writable: true,
      configurable: true,
      enumerable: true,
    })
  }
  defineProp(G, 'print', { value: print, writable: true, configurable: true })
  defineProp(G, 'console', { value: consoleObj, writable: true, configurable: true })
}

/**
 * Defines one guest global per host function: it converts its arguments strictly to JSON text
 * and hands them to rawCall, which returns the result (or a promise of it). Guest code: see the
 * file comment.
 */
export function installHostFunctions(
  b: GuestBuiltins,
  toJson: ToJson,
  rawCall: (name: string, argsJson: string | undefined) => unknown,
  functionNames: readonly string[],
): void {
  const { G, push, defineProp } = b
  for (let i = 0; i < functionNames.length; i++) {
    const name = functionNames[i] as string
    // A computed key names the wrapper after the host function.
    const wrapper = {
      [name]: function () {
        const args: unknown[] = []
        // biome-ignore lint/complexity/noArguments: as the untyped bootstrap had it (a rest parameter would do the same)
        for (let j = 0; j < arguments.length; j++) push(args, arguments[j])
        return rawCall(name, toJson(args, true, name + '() argument'))
      },
    }[name]
    defineProp(G, name, { value: wrapper, writable: true, configurable: true })
  }
}

/**
 * The helpers the worker keeps (never reachable from guest globals): toJsonLenient returns JSON
 * text, undefined, or a number (the length) when the text exceeds maxLength. Guest code: see the
 * file comment.
 */
export function hostHelpers(b: GuestBuiltins, toJson: ToJson, describeError: (e: unknown) => string) {
  const { jsonParse } = b
  return {
    toJsonLenient: (v: unknown, maxLength: number): string | number | undefined => {
      const s = toJson(v, false, 'value')
      return s !== undefined && s.length > maxLength ? s.length : s
    },
    describeError: describeError,
    parseJson: (s: string): unknown => jsonParse(s),
  }
}
