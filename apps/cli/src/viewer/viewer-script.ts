// The viewer page's script (inlined). It reads the embedded JSON, draws the recursion tree, and
// renders a node's iterations only when opened and its sub-calls and context reads through a
// virtual list, so 10,000 sub-calls cost a few dozen DOM rows. Text goes in via textContent only:
// model output is never parsed as HTML.

export const VIEWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rlm-data').textContent);
  var runIndex = 0, selected = null, expanded = {};
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function num(n) { return n >= 1e6 ? (n / 1e6).toFixed(2) + 'M' : n >= 1e4 ? Math.round(n / 1e3) + 'k' : n >= 1e3 ? (n / 1e3).toFixed(1) + 'k' : String(n); }
  function usd(u) { var s = u.costUsd === 0 ? '$0' : u.costUsd < 0.01 ? '$' + u.costUsd.toFixed(4) : '$' + u.costUsd.toFixed(2); return u.unpricedCalls ? s + ' (+' + u.unpricedCalls + ' unpriced)' : s; }
  function ms(t) { return t < 1000 ? Math.round(t) + 'ms' : t < 60000 ? (t / 1000).toFixed(1) + 's' : Math.floor(t / 60000) + 'm' + Math.round((t % 60000) / 1000) + 's'; }
  function tok(u) { return num(u.inputTokens) + ' in / ' + num(u.outputTokens) + ' out'; }
  function oneLine(s, n) { s = String(s || '').replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  function stat(label, value) { return el('span', { className: 'stat' }, [label + ' ', el('b', { text: value })]); }
  function run() { return data.runs[runIndex]; }
  function byId(id) { var ns = run().nodes; for (var i = 0; i < ns.length; i++) if (ns[i].id === id) return ns[i]; return null; }
  function total(n) {
    var t = { inputTokens: n.usage.inputTokens, outputTokens: n.usage.outputTokens, costUsd: n.usage.costUsd, calls: n.usage.calls, unpricedCalls: n.usage.unpricedCalls };
    n.children.forEach(function (id) { var c = byId(id); if (!c) return; var u = total(c); t.inputTokens += u.inputTokens; t.outputTokens += u.outputTokens; t.costUsd += u.costUsd; t.calls += u.calls; t.unpricedCalls += u.unpricedCalls; });
    return t;
  }

  function header() {
    var r = run(), h = document.getElementById('header');
    h.textContent = '';
    var title = el('h1', { text: 'rlm trace · ' + oneLine(r.query, 140) });
    if (data.runs.length > 1) {
      var sel = el('select', { id: 'run-select', onchange: function (ev) { runIndex = Number(ev.target.value); selected = null; render(); } });
      data.runs.forEach(function (x, i) { var o = el('option', { value: String(i), text: 'run ' + (i + 1) + ': ' + oneLine(x.query, 40) }); if (i === runIndex) o.selected = true; sel.appendChild(o); });
      title.appendChild(sel);
    }
    h.appendChild(title);
    h.appendChild(el('div', { className: 'stats' }, [
      el('span', { className: 'badge ' + r.status, id: 'run-status', text: r.status }),
      stat('model', r.model + (r.subModel && r.subModel !== r.model ? ' · sub ' + r.subModel : '')),
      stat('tokens', tok(r.usage)), stat('cost', usd(r.usage)), stat('time', ms(r.durationMs)),
      stat('sub-calls', String(r.subCalls)), stat('depth', String(r.maxDepthReached)),
      stat('context', num(r.context.length) + ' chars, ' + r.context.documents + ' docs'),
      r.error ? stat('error', r.error.code + ': ' + r.error.message) : null,
      data.badLines ? stat('unreadable lines', String(data.badLines)) : null
    ]));
    h.appendChild(el('div', { className: 'muted', id: 'run-answer', text: 'answer: ' + oneLine(r.answer, 300) }));
  }

  function tree() {
    var t = document.getElementById('tree');
    t.textContent = '';
    var root = byId('0') || run().nodes[0];
    if (root) drawNode(t, root);
  }
  function drawNode(parent, n) {
    var open = expanded[n.id] !== undefined ? expanded[n.id] : n.depth === 0;
    var u = total(n);
    var row = el('div', { className: 'tnode' + (selected === n.id ? ' selected' : ''), 'data-node-id': n.id, style: 'padding-left:' + (8 + n.depth * 18) + 'px', onclick: function () { select(n.id); } }, [
      el('button', { className: 'toggle', 'aria-expanded': String(open), title: n.children.length ? 'expand / collapse' : '', text: n.children.length ? (open ? '▾' : '▸') : '·', onclick: function (ev) { ev.stopPropagation(); if (!n.children.length) return; expanded[n.id] = !open; tree(); } }),
      el('span', { text: (n.depth === 0 ? 'root' : 'child ' + n.id) + ' ' }),
      el('span', { className: 'badge ' + n.status, text: n.status }),
      el('span', { className: 'muted', text: ' ' + n.iterations.length + ' it · ' + n.subCalls.length + ' sub · ' + num(u.inputTokens + u.outputTokens) + ' tok · ' + usd(u) + ' · ' + ms(n.durationMs) + ' · ' + oneLine(n.query, 60) })
    ]);
    parent.appendChild(row);
    if (open) n.children.forEach(function (id) { var c = byId(id); if (c) drawNode(parent, c); });
  }
  function select(id) { selected = id; tree(); detail(); }

  function iteration(it) {
    var d = el('details', { className: 'iteration', 'data-iteration': String(it.n) });
    d.appendChild(el('summary', { text: 'Iteration ' + it.n + (it.final ? ' · FINAL' : '') + ' · ' + it.cells.length + ' cell(s) · ' + it.subCalls + ' sub-calls · ' + tok(it.usage) + ' · ' + ms(it.durationMs) }));
    var body = el('div', { className: 'body' });
    d.appendChild(body);
    d.addEventListener('toggle', function () {
      if (!d.open || body.childNodes.length) return;
      body.appendChild(el('h3', { text: 'model reply' }));
      body.appendChild(el('pre', { className: 'reply', text: it.reply || '(empty)' }));
      it.cells.forEach(function (c, i) {
        body.appendChild(el('h3', { text: 'code cell ' + (i + 1) + (c.ok ? '' : ' · failed ' + (c.error ? c.error.code : '')) + ' · ' + ms(c.durationMs) }));
        body.appendChild(el('pre', { className: 'code', text: c.code }));
        body.appendChild(el('h3', { text: 'output' }));
        body.appendChild(el('pre', { className: 'output' + (c.ok ? '' : ' error'), text: c.output || (c.error ? c.error.message : '(no output)') }));
      });
    });
    return d;
  }

  // A fixed-height list that only creates the rows in view.
  function virtualList(items, label, onPick, id) {
    var ROW = 28, box = el('div', { className: 'vlist', id: id }), spacer = el('div', {}), picked = -1;
    box.appendChild(spacer);
    function draw() {
      spacer.style.height = items.length * ROW + 'px';
      var first = Math.max(0, Math.floor(box.scrollTop / ROW) - 5), last = Math.min(items.length, first + Math.ceil((box.clientHeight || 320) / ROW) + 10);
      Array.prototype.slice.call(box.querySelectorAll('.vrow')).forEach(function (r) { r.remove(); });
      for (var i = first; i < last; i++) (function (i) {
        box.appendChild(el('div', { className: 'vrow' + (i === picked ? ' selected' : ''), style: 'top:' + i * ROW + 'px', 'data-index': String(i), text: label(items[i], i), onclick: function () { picked = i; draw(); onPick(items[i]); } }));
      })(i);
    }
    var pending = false;
    box.addEventListener('scroll', function () { if (pending) return; pending = true; requestAnimationFrame(function () { pending = false; draw(); }); });
    setTimeout(draw, 0);
    return { el: box, set: function (next) { items = next; picked = -1; box.scrollTop = 0; draw(); } };
  }

  function subCallDetail(target, c) {
    target.textContent = '';
    target.appendChild(el('div', { className: 'muted', text: 'sub-call ' + c.id + ' · iteration ' + c.iteration + ' · prompt ' + num(c.promptChars) + ' chars · ' + tok(c.usage) + ' · ' + usd(c.usage) + ' · ' + ms(c.durationMs) + (c.cached ? ' · cached' : '') + (c.done ? '' : ' · never finished') }));
    target.appendChild(el('h3', { text: 'prompt' }));
    target.appendChild(el('pre', { className: 'prompt', text: c.prompt }));
    target.appendChild(el('h3', { text: c.error ? 'error ' + c.error.code : 'answer' }));
    target.appendChild(el('pre', { className: 'answer', text: c.error ? c.error.message : c.answer }));
  }

  function detail() {
    var d = document.getElementById('detail');
    d.textContent = '';
    var n = byId(selected);
    if (!n) { d.appendChild(el('p', { className: 'muted', text: 'Select a node of the recursion tree.' })); return; }
    var own = n.usage, all = total(n);
    d.appendChild(el('h2', { text: (n.depth === 0 ? 'Root' : 'Child ' + n.id) + ' · depth ' + n.depth }));
    d.appendChild(el('div', { className: 'stats' }, [
      el('span', { className: 'badge ' + n.status, text: n.status + (n.budget ? ' (' + n.budget + ')' : '') }),
      stat('own tokens', tok(own)), stat('own cost', usd(own)), stat('with children', tok(all) + ' · ' + usd(all)), stat('time', ms(n.durationMs)),
      stat('iterations', String(n.iterations.length)), stat('sub-calls', String(n.subCalls.length)), stat('context reads', String(n.accesses.length))
    ]));
    d.appendChild(el('h3', { text: 'query' }));
    d.appendChild(el('pre', { text: n.query }));
    d.appendChild(el('h3', { text: 'answer' }));
    d.appendChild(el('pre', { className: 'node-answer', text: n.answer || '(none)' }));
    if (n.events.length) {
      d.appendChild(el('h2', { text: 'Notes' }));
      n.events.forEach(function (x) { d.appendChild(el('div', {}, [el('b', { text: x.kind + ': ' }), oneLine(x.text, 400)])); });
    }
    d.appendChild(el('h2', { text: 'Iterations' }));
    var its = el('div', { id: 'iterations' });
    n.iterations.forEach(function (it) { its.appendChild(iteration(it)); });
    d.appendChild(its);
    d.appendChild(el('h2', { text: 'Sub-calls (' + n.subCalls.length + ')' }));
    if (n.subCalls.length) {
      var shown = n.subCalls, pane = el('div', { id: 'subcall-detail' });
      var list = virtualList(shown, function (c) { return '#' + c.id + ' · it ' + c.iteration + ' · ' + ms(c.durationMs) + ' · ' + oneLine(c.prompt, 70) + ' → ' + oneLine(c.error ? c.error.code : c.answer, 60); }, function (c) { subCallDetail(pane, c); }, 'subcalls');
      d.appendChild(el('input', { type: 'search', placeholder: 'filter prompts and answers', oninput: function (ev) { var q = ev.target.value.toLowerCase(); list.set(q ? n.subCalls.filter(function (c) { return c.prompt.toLowerCase().indexOf(q) >= 0 || c.answer.toLowerCase().indexOf(q) >= 0; }) : n.subCalls); } }));
      d.appendChild(list.el);
      d.appendChild(pane);
    }
    d.appendChild(el('h2', { text: 'Context accesses (' + n.accesses.length + ')' }));
    if (n.accesses.length) {
      d.appendChild(virtualList(n.accesses, function (a) { return a.kind + (a.pattern !== undefined ? ' /' + a.pattern + '/' : '') + (a.start !== undefined ? ' [' + a.start + ', ' + a.end + ')' : '') + (a.results !== undefined ? ' → ' + a.results + ' results' : ''); }, function () {}, 'accesses').el);
    }
  }

  function render() { header(); if (selected === null) selected = (byId('0') || run().nodes[0] || {}).id || null; tree(); detail(); }
  render();
  document.body.setAttribute('data-ready', 'true');
})();
`
