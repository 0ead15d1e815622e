// The guest side of the REPL API, run in the sandbox at creation and after any reset. It wraps
// the host functions (__rlm_*) in the names the paper's prompts use; the host enforces every
// limit (depth, budgets), so nothing here is trusted.

import { GUEST_ALIASES } from './guest-aliases.ts'
import { HOST_CONTEXT } from './guest-host-context.ts'

/** Guest function that reports a ready answer object: its serialised content, else null. */
export const ANSWER_STATE = '__rlm_answer_state'

export interface PreludeOptions {
  /** True: `context` is a guest string set as a global; false: build the host-backed object. */
  contextInline: boolean
  toolNames: string[]
}

export function buildPrelude(o: PreludeOptions): string {
  return `(function () {
  var G = globalThis;
  var host = {};
  // A host error carries its stable code as err.code; naming it "Error [E_CODE]" (as Node does)
  // keeps the code in the message an uncaught error prints.
  var relabel = function (e) {
    if (e && typeof e.code === 'string' && e.name === 'Error') {
      try { e.name = 'Error [' + e.code + ']'; } catch (_) {}
    }
    return e;
  };
  var P = Promise;
  var rethrow = function (e) { throw relabel(e); };
  var wrap = function (f) {
    return function () {
      var r;
      try { r = f.apply(undefined, arguments); } catch (e) { throw relabel(e); }
      return r instanceof P ? r.then(undefined, rethrow) : r;
    };
  };
  ${HOST_NAMES.map((n) => `host.${n} = wrap(G.__rlm_${n}); delete G.__rlm_${n};`).join('\n  ')}
  var def = function (name, value) {
    Object.defineProperty(G, name, { value: value, writable: true, configurable: true, enumerable: false });
  };
  var serialize = function (v) {
    if (typeof v === 'string') return v;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return String(v);
    if (typeof v === 'bigint') return v.toString();
    try {
      var s = JSON.stringify(v, function (k, x) { return typeof x === 'bigint' ? x.toString() : x; });
      return s === undefined ? String(v) : s;
    } catch (e) {
      return String(v);
    }
  };
  def('FINAL', function FINAL(value) {
    if (value && value.__rlmContext === true) value = value.toString();
    host.final(serialize(value));
    return undefined;
  });
  // The answer object (the official implementation's convention): the run ends after the cell
  // that leaves answer.ready === true, with answer.content serialised as FINAL does. Setting it,
  // or a field of the predefined one, tells the host to look after each cell from then on, so
  // runs that never use it pay nothing.
  var answerValue = new Proxy({ content: '', ready: false }, {
    set: function (t, k, v) { t[k] = v; host.answer_touched(); return true; },
  });
  Object.defineProperty(G, 'answer', {
    get: function () { return answerValue; },
    set: function (v) { answerValue = v; host.answer_touched(); },
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(G, '${ANSWER_STATE}', {
    value: function () {
      var a = G.answer;
      if (a === null || typeof a !== 'object' || a.ready !== true) return null;
      var c = a.content;
      return serialize(c && c.__rlmContext === true ? c.toString() : c);
    },
  });
  // Python's constants, so answer["ready"] = True means what it says.
  def('True', true);
  def('False', false);
  def('None', null);
  def('FINAL_VAR', function FINAL_VAR(name) {
    if (typeof name !== 'string') return G.FINAL(name);
    if (!(name in G)) {
      throw new ReferenceError('FINAL_VAR: no variable named "' + name + '". Pass the name in quotes, e.g. FINAL_VAR("answer"), or call FINAL(value) with the value itself.');
    }
    return G.FINAL(G[name]);
  });
  var source = function (pattern) {
    if (pattern instanceof RegExp) return { pattern: pattern.source, flags: pattern.flags };
    return { pattern: String(pattern), flags: '' };
  };
  def('search', function search(pattern, options) {
    var p = source(pattern);
    var o = Object.assign({}, options || {});
    if (p.flags.indexOf('i') >= 0 && o.ignoreCase === undefined) o.ignoreCase = true;
    return host.search(p.pattern, o);
  });
  def('chunks', function chunks(options) { return host.chunks(options || {}); });
  def('lines', function lines(from, to) { return host.lines(from, to === undefined ? from : to); });
  def('describe', function describe() { return host.describe(); });
  Object.defineProperty(G, 'documents', { get: function () { return host.documents(); }, configurable: true, enumerable: false });
  var isError = function (s) { return typeof s === 'string' && (s.indexOf('[llm_query error') === 0 || s.indexOf('[rlm_query error') === 0); };
  def('is_error', function is_error(s) { return isError(s); });
  // Call arguments cross as they are, except the context itself, which crosses as a marker:
  // the host reads it, so rlm_query(q, context) never copies the text through the bridge.
  var CTX = G.context;
  var WHOLE = function () { return { __rlm: 'context' }; };
  var isCtxObject = function (x) { return x !== null && typeof x === 'object' && x.__rlmContext === true; };
  // In a text position (a second argument, a context/text/range field), the context string is meant as it.
  var textArg = function (x) { return (typeof x === 'string' && x === CTX) || isCtxObject(x) ? WHOLE() : x; };
  var itemArg = function (x) {
    if (isCtxObject(x)) return WHOLE();
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    var out = {};
    Object.keys(x).forEach(function (k) {
      out[k] = k === 'context' || k === 'text' || k === 'range' ? textArg(x[k]) : x[k];
    });
    return out;
  };
  var firstArg = function (x) { return Array.isArray(x) ? x.map(itemArg) : itemArg(x); };
  var secondArg = function (x) {
    if (Array.isArray(x)) return x.map(textArg);
    return x !== null && typeof x === 'object' && !isCtxObject(x) ? itemArg(x) : textArg(x);
  };
  def('llm_query', function llm_query(prompt, options) { return host.llm_query(firstArg(prompt), secondArg(options)); });
  def('llm_query_batched', function llm_query_batched(prompts, options) {
    return host.llm_query_batched(firstArg(prompts), secondArg(options));
  });
  def('rlm_query', function rlm_query(query, text) { return host.rlm_query(firstArg(query), secondArg(text)); });
  def('rlm_query_batched', function rlm_query_batched(queries, texts) {
    return host.rlm_query_batched(firstArg(queries), secondArg(texts));
  });
  ${GUEST_ALIASES}
  ${o.toolNames.map(toolDef).join('\n  ')}
  ${o.contextInline ? '' : HOST_CONTEXT}
  var builtin = Object.create(null);
  Object.getOwnPropertyNames(G).forEach(function (n) { builtin[n] = true; });
  def('SHOW_VARS', function SHOW_VARS() {
    var out = [];
    Object.getOwnPropertyNames(G).forEach(function (n) {
      if (builtin[n] || n === 'context') return;
      var v;
      try { v = G[n]; } catch (e) { return; }
      var t = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
      var size = typeof v === 'string' ? v.length + ' chars' : Array.isArray(v) ? v.length + ' items' : t === 'object' ? Object.keys(v).length + ' keys' : String(v).slice(0, 40);
      out.push(n + ': ' + t + ' (' + size + ')');
    });
    var text = out.length ? out.join('\\n') : '(no variables yet)';
    print(text);
    return undefined;
  });
})();`
}

/** Host function names, without the __rlm_ prefix the sandbox exposes them under. */
export const HOST_NAMES = [
  'final',
  'answer_touched',
  'search',
  'chunks',
  'lines',
  'describe',
  'documents',
  'llm_query',
  'llm_query_batched',
  'rlm_query',
  'rlm_query_batched',
  'tool',
  'ctx_length',
  'ctx_slice',
  'ctx_index_of',
  'ctx_last_index_of',
  'ctx_split',
  'ctx_split_regexp',
  'ctx_regexp',
  'ctx_replace_plan',
  'context_tokens',
] as const

function toolDef(name: string): string {
  return `def(${JSON.stringify(name)}, function ${name}(args) { return host.tool(${JSON.stringify(name)}, args === undefined ? null : args); });`
}
