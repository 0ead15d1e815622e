// Guest-side JavaScript evaluated once in a fresh context, before any user code: it captures the
// pristine builtins so converting guest values never runs guest getters, toJSON or redefined globals.

/**
 * Evaluates to a function `(rawPrint, rawRoom, rawCall, functionNames) => helpers`. The helpers object is
 * kept by the worker only; nothing here is reachable from guest globals except print/console and
 * the host-function wrappers.
 */
export const guestBootstrapSource = String.raw`(function (rawPrint, rawRoom, rawCall, functionNames) {
  'use strict';
  const G = globalThis;
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);
  const O = Object;
  const getOwnDesc = O.getOwnPropertyDescriptor;
  const defineProp = O.defineProperty;
  const getProto = O.getPrototypeOf;
  const ownKeys = Reflect.ownKeys;
  const apply = Reflect.apply;
  const isArray = Array.isArray;
  const hasOwn = uncurry(O.prototype.hasOwnProperty);
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const SetC = Set;
  const setHas = uncurry(Set.prototype.has);
  const setAdd = uncurry(Set.prototype.add);
  const setDelete = uncurry(Set.prototype.delete);
  const push = uncurry(Array.prototype.push);
  const join = uncurry(Array.prototype.join);
  const slice = uncurry(String.prototype.slice);
  const bigintToString = uncurry(BigInt.prototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const dateGetTime = uncurry(Date.prototype.getTime);
  const dateToISO = uncurry(Date.prototype.toISOString);
  const TypeErrorC = TypeError;
  const PromiseProto = Promise.prototype;
  const isFiniteN = Number.isFinite;
  const MAX_DEPTH = 200;
  const MAX_ARRAY = 10000000;

  function dataValue(obj, key) {
    const d = getOwnDesc(obj, key);
    if (d === undefined || !hasOwn(d, 'value')) return { __proto__: null, found: false, enumerable: false, value: undefined };
    return { __proto__: null, found: true, enumerable: d.enumerable === true, value: d.value };
  }

  function isDate(v) {
    try { dateGetTime(v); return true; } catch { return false; }
  }

  // JSON text for a guest value without running guest getters/toJSON. strict: throw TypeError on
  // anything that is not JSON-like; lenient: behave like JSON.stringify (BigInt as a string).
  function toJson(value, strict, what) {
    const seen = new SetC();
    function walk(v, depth, path) {
      if (v === null) return 'null';
      const t = typeof v;
      if (t === 'string') return jsonStringify(v);
      if (t === 'boolean') return v ? 'true' : 'false';
      if (t === 'number') {
        if (isFiniteN(v)) return jsonStringify(v);
        if (strict) throw new TypeErrorC(what + ': ' + path + ' is ' + jsonStringify(v) + '; pass finite numbers only');
        return 'null';
      }
      if (t === 'undefined' || t === 'function' || t === 'symbol') {
        if (strict && !(t === 'undefined' && depth > 0)) {
          throw new TypeErrorC(what + ': ' + path + ' is a ' + t + '; pass strings, numbers, booleans, null, arrays or plain objects');
        }
        return undefined;
      }
      if (t === 'bigint') {
        if (strict) throw new TypeErrorC(what + ': ' + path + ' is a BigInt; convert it with String() or Number() first');
        return jsonStringify(bigintToString(v));
      }
      if (depth >= MAX_DEPTH) throw new TypeErrorC(what + ': value nests deeper than ' + MAX_DEPTH + ' levels');
      if (setHas(seen, v)) {
        if (strict) throw new TypeErrorC(what + ': ' + path + ' contains a cycle');
        return '"[Circular]"';
      }
      if (isDate(v)) {
        try { return jsonStringify(dateToISO(v)); } catch { return 'null'; }
      }
      setAdd(seen, v);
      const parts = [];
      let out;
      if (isArray(v)) {
        const len = dataValue(v, 'length').value;
        if (typeof len !== 'number' || len > MAX_ARRAY) throw new TypeErrorC(what + ': ' + path + ' is an array too long to convert');
        for (let i = 0; i < len; i++) {
          const item = dataValue(v, '' + i);
          const s = item.found ? walk(item.value, depth + 1, path + '[' + i + ']') : 'null';
          push(parts, s === undefined ? 'null' : s);
        }
        out = '[' + join(parts, ',') + ']';
      } else {
        const keys = ownKeys(v);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          if (typeof key !== 'string') continue;
          const item = dataValue(v, key);
          if (!item.found || !item.enumerable) continue;
          const s = walk(item.value, depth + 1, path + '.' + key);
          if (s !== undefined) push(parts, jsonStringify(key) + ':' + s);
        }
        out = '{' + join(parts, ',') + '}';
      }
      setDelete(seen, v);
      return out;
    }
    return walk(value, 0, 'value');
  }

  function clip(s, n) { return s.length > n ? slice(s, 0, n) + '... [' + (s.length - n) + ' more characters]' : s; }

  function lookupData(obj, key) {
    let o = obj;
    for (let i = 0; i < 100 && o !== null && (typeof o === 'object' || typeof o === 'function'); i++) {
      const d = dataValue(o, key);
      if (d.found) return d.value;
      o = getProto(o);
    }
    return undefined;
  }

  function describe(v) {
    const t = typeof v;
    if (t === 'string') return v;
    if (t === 'symbol') return symbolToString(v);
    if (t === 'bigint') return bigintToString(v) + 'n';
    if (t === 'function') {
      const n = lookupData(v, 'name');
      return '[Function ' + (typeof n === 'string' && n ? n : '(anonymous)') + ']';
    }
    if (v === null || t !== 'object') return '' + v;
    // A promise prints as {} in JSON: say what happened and what to write instead.
    if (getProto(v) === PromiseProto) return '[Promise: not awaited yet; write await before the call, e.g. print(await llm_query(...))]';
    const name = lookupData(v, 'name');
    const message = lookupData(v, 'message');
    if (typeof message === 'string' && typeof name === 'string') return name + ': ' + message;
    try { const s = toJson(v, false, 'value'); return s === undefined ? 'undefined' : s; } catch { return '[object]'; }
  }

  // JSON text {name, message, stack} for a thrown value, read without guest getters.
  function describeError(e) {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      const name = lookupData(e, 'name');
      const message = lookupData(e, 'message');
      const stack = lookupData(e, 'stack');
      return jsonStringify({
        __proto__: null,
        name: typeof name === 'string' ? clip(name, 200) : 'Error',
        message: clip(typeof message === 'string' ? message : describe(e), 20000),
        stack: typeof stack === 'string' ? clip(stack, 20000) : '',
        isObject: true,
      });
    }
    return jsonStringify({ __proto__: null, name: 'Error', message: clip('Uncaught ' + describe(e), 20000), stack: '', isObject: false });
  }

  function format(args) {
    const parts = [];
    for (let i = 0; i < args.length; i++) push(parts, describe(args[i]));
    return join(parts, ' ');
  }

  function print() {
    const s = format(arguments);
    const room = rawRoom();
    rawPrint(s.length > room ? slice(s, 0, room) : s, s.length);
  }
  const consoleObj = {};
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
  for (let i = 0; i < methods.length; i++) defineProp(consoleObj, methods[i], { value: print, writable: true, configurable: true, enumerable: true });
  defineProp(G, 'print', { value: print, writable: true, configurable: true });
  defineProp(G, 'console', { value: consoleObj, writable: true, configurable: true });

  for (let i = 0; i < functionNames.length; i++) {
    const name = functionNames[i];
    const wrapper = {
      [name]: function () {
        const args = [];
        for (let j = 0; j < arguments.length; j++) push(args, arguments[j]);
        return rawCall(name, toJson(args, true, name + '() argument'));
      },
    }[name];
    defineProp(G, name, { value: wrapper, writable: true, configurable: true });
  }

  return {
    // Returns JSON text, undefined, or a number (the length) when the text exceeds maxLength.
    toJsonLenient: function (v, maxLength) {
      const s = toJson(v, false, 'value');
      return s !== undefined && s.length > maxLength ? s.length : s;
    },
    describeError: describeError,
    parseJson: function (s) { return jsonParse(s); },
  };
})`
