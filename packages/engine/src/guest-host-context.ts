// Guest source of the host-backed `context`: an object that answers every string method the
// prompt advertises exactly as a plain string would (results, lastIndex updates, errors), each
// through a host call, so a context too large to copy into the REPL reads like one. Spliced
// into the prelude where `host`, `def`, `source` and `relabel` are in scope.

/** String.prototype methods the host-backed form leaves out; they throw E_UNSUPPORTED. */
const UNSERVED = [
  'concat',
  'trim',
  'trimStart',
  'trimEnd',
  'trimLeft',
  'trimRight',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'padStart',
  'padEnd',
  'repeat',
  'normalize',
  'localeCompare',
  'isWellFormed',
  'toWellFormed',
]

export const HOST_CONTEXT = `var len = host.ctx_length();
  // ToIntegerOrInfinity, as String.prototype methods convert positions.
  var toInt = function (v) {
    var n = Number(v);
    if (n !== n) return 0;
    return n === Infinity || n === -Infinity ? n : Math.trunc(n);
  };
  var clamp = function (n, lo, hi) { return n < lo ? lo : n > hi ? hi : n; };
  var rel = function (v, d) {
    if (v === undefined) return d;
    var n = toInt(v);
    return n < 0 ? Math.max(len + n, 0) : Math.min(n, len);
  };
  var part = function (a, b) { return a >= b ? '' : host.ctx_slice(a, b); };
  var whole = function () { return host.ctx_slice(0, len); };
  var plain = function (v, name) {
    if (v instanceof RegExp) throw new TypeError('First argument to String.prototype.' + name + ' must not be a regular expression');
    return String(v);
  };
  var toRegExp = function (v, flags) { return v instanceof RegExp ? v : new RegExp(v === undefined ? undefined : String(v), flags); };
  var lastIndexOf = function (re) { var n = toInt(re.lastIndex); return n < 0 ? 0 : n; };
  var regexp = function (re) { return { source: re.source, flags: re.flags }; };
  // One exec result as a plain string's RegExp#exec gives it (without input).
  var execArray = function (m) {
    var arr = m.captures.map(function (c) { return c === null ? undefined : c; });
    arr.index = m.index;
    var groups;
    if (m.groups) {
      groups = Object.create(null);
      Object.keys(m.groups).forEach(function (k) { groups[k] = m.groups[k] === null ? undefined : m.groups[k]; });
    }
    arr.groups = groups;
    return arr;
  };
  var escapeRegExp = function (s) { return s.replace(/[\\\\^$.*+?()[\\]{}|\\/]/g, '\\\\$&'); };
  // GetSubstitution: $$, $&, $\`, $', $1-$99 and $<name> in a replacement string.
  var substitute = function (rep, m, groups) {
    var captures = m.captures;
    var out = '';
    for (var i = 0; i < rep.length; i++) {
      var c = rep[i];
      var n = rep[i + 1];
      if (c !== '$' || n === undefined) { out += c; continue; }
      if (n === '$') { out += '$'; i++; }
      else if (n === '&') { out += captures[0]; i++; }
      else if (n === '\`') { out += part(0, m.index); i++; }
      else if (n === "'") { out += part(m.end, len); i++; }
      else if (n >= '0' && n <= '9') {
        var d2 = rep[i + 2];
        var digits = d2 !== undefined && d2 >= '0' && d2 <= '9' ? n + d2 : n;
        if (digits.length === 2 && Number(digits) > captures.length - 1) digits = n;
        var k = Number(digits);
        out += k >= 1 && k < captures.length ? (captures[k] === null ? '' : captures[k]) : '$' + digits;
        i += digits.length;
      } else if (n === '<' && groups !== undefined) {
        var close = rep.indexOf('>', i + 2);
        if (close < 0) { out += c; continue; }
        var g = groups[rep.slice(i + 2, close)];
        out += g === undefined || g === null ? '' : String(g);
        i = close;
      } else out += c;
    }
    return out;
  };
  var replaceWith = function (pattern, replacement, all, name) {
    var re, global;
    if (pattern instanceof RegExp) {
      re = pattern;
      global = re.flags.indexOf('g') >= 0;
      if (all && !global) throw new TypeError('replaceAll must be called with a global RegExp');
    } else {
      re = new RegExp(escapeRegExp(String(pattern)), all ? 'g' : '');
      global = all;
    }
    var sticky = re.flags.indexOf('y') >= 0;
    var from = global || !sticky ? 0 : lastIndexOf(re);
    if (from > len) { re.lastIndex = 0; return whole(); }
    var plan = host.ctx_replace_plan(regexp(re), from, global ? null : 1);
    if (global || sticky) re.lastIndex = global || !plan.matches.length ? 0 : plan.matches[0].end;
    var out = plan.pieces[0];
    plan.matches.forEach(function (m, i) {
      var rep;
      if (typeof replacement === 'function') {
        var args = execArray(m);
        var call = args.slice();
        call.push(m.index, ctx);
        if (args.groups !== undefined) call.push(args.groups);
        rep = String(replacement.apply(undefined, call));
      } else rep = substitute(String(replacement), m, m.groups);
      out += rep + plan.pieces[i + 1];
    });
    return out;
  };
  var unserved = function (name) {
    return function () {
      var e = new Error('context.' + name + '() is not available on the host-backed context (' + len + ' characters, too large to copy into the REPL): call it on a part, e.g. context.slice(a, b).' + name + '(...), or on each chunk of chunks().');
      e.code = 'E_UNSUPPORTED';
      throw relabel(e);
    };
  };
  var methods = {
    __rlmContext: true,
    length: len,
    slice: function (a, b) { return part(rel(a, 0), rel(b, len)); },
    substring: function (a, b) {
      var s = clamp(toInt(a), 0, len), e = b === undefined ? len : clamp(toInt(b), 0, len);
      return part(Math.min(s, e), Math.max(s, e));
    },
    substr: function (a, n) {
      var s = rel(a, 0);
      var l = n === undefined ? len : toInt(n);
      return part(s, Math.min(len, s + Math.max(0, l)));
    },
    charAt: function (i) { var p = toInt(i); return p < 0 || p >= len ? '' : part(p, p + 1); },
    charCodeAt: function (i) { var p = toInt(i); return p < 0 || p >= len ? NaN : part(p, p + 1).charCodeAt(0); },
    codePointAt: function (i) { var p = toInt(i); return p < 0 || p >= len ? undefined : part(p, Math.min(len, p + 2)).codePointAt(0); },
    at: function (i) { var k = toInt(i); k = k >= 0 ? k : len + k; return k < 0 || k >= len ? undefined : part(k, k + 1); },
    indexOf: function (s, pos) { return host.ctx_index_of(String(s), clamp(toInt(pos), 0, len)); },
    lastIndexOf: function (s, pos) {
      s = String(s);
      var n = Number(pos);
      var start = clamp(n !== n ? Infinity : toInt(n), 0, len);
      return s === '' ? start : host.ctx_last_index_of(s, start);
    },
    includes: function (s, pos) { return host.ctx_index_of(plain(s, 'includes'), clamp(toInt(pos), 0, len)) >= 0; },
    startsWith: function (s, pos) {
      s = plain(s, 'startsWith');
      var p = clamp(toInt(pos), 0, len);
      return p + s.length <= len && part(p, p + s.length) === s;
    },
    endsWith: function (s, end) {
      s = plain(s, 'endsWith');
      var e = end === undefined ? len : clamp(toInt(end), 0, len);
      return e - s.length >= 0 && part(e - s.length, e) === s;
    },
    split: function (sep, limit) {
      var lim = limit === undefined ? 4294967295 : limit >>> 0;
      if (sep instanceof RegExp) {
        return host.ctx_split_regexp(regexp(sep), lim).map(function (p) { return p === null ? undefined : p; });
      }
      return host.ctx_split(sep === undefined ? null : String(sep), lim);
    },
    match: function (pattern) {
      var re = toRegExp(pattern);
      if (re.flags.indexOf('g') < 0) {
        var sticky = re.flags.indexOf('y') >= 0;
        var from = sticky ? lastIndexOf(re) : 0;
        var found = from > len ? [] : host.ctx_regexp(regexp(re), from, 1);
        if (sticky) re.lastIndex = found.length ? found[0].end : 0;
        return found.length ? execArray(found[0]) : null;
      }
      var all = host.ctx_regexp(regexp(re), 0, null);
      re.lastIndex = 0;
      return all.length ? all.map(function (m) { return m.captures[0]; }) : null;
    },
    matchAll: function (pattern) {
      var re = toRegExp(pattern, pattern instanceof RegExp ? undefined : 'g');
      if (re.flags.indexOf('g') < 0) throw new TypeError('String.prototype.matchAll called with a non-global RegExp argument');
      var from = lastIndexOf(re);
      return (from > len ? [] : host.ctx_regexp(regexp(re), from, null)).map(execArray)[Symbol.iterator]();
    },
    search: function (pattern) {
      var re = toRegExp(pattern);
      var found = host.ctx_regexp(regexp(re), 0, 1);
      return found.length ? found[0].index : -1;
    },
    replace: function (pattern, replacement) { return replaceWith(pattern, replacement, false); },
    replaceAll: function (pattern, replacement) { return replaceWith(pattern, replacement, true); },
    toString: function () { return whole(); },
    valueOf: function () { return whole(); },
    toJSON: function () { return '[context: ' + len + ' characters]'; },
  };
  // Iteration by code points, read in windows so no copy of the whole text is made.
  methods[Symbol.iterator] = function () {
    var at = 0, buf = '', i = 0;
    return {
      next: function () {
        if (i >= buf.length) {
          if (at >= len) return { done: true, value: undefined };
          var end = Math.min(len, at + 65536);
          buf = part(at, end);
          if (end < len && /[\\uD800-\\uDBFF]$/.test(buf)) { buf = buf.slice(0, -1); end--; }
          at = end;
          i = 0;
        }
        var cp = buf.codePointAt(i);
        var ch = String.fromCodePoint(cp);
        i += ch.length;
        return { done: false, value: ch };
      },
      [Symbol.iterator]: function () { return this; },
    };
  };
  ${JSON.stringify(UNSERVED)}.forEach(function (name) { methods[name] = unserved(name); });
  var target = Object.freeze(methods);
  // context[i] reads one character, as on a string.
  var ctx = new Proxy(target, {
    get: function (t, k) {
      if (typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k)) { var i = Number(k); return i < len ? part(i, i + 1) : undefined; }
      return t[k];
    },
  });
  def('context', ctx);`
