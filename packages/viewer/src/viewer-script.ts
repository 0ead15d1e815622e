// The viewer page's script (inlined). It reads the embedded view model, draws the recursion tree
// (iteratively: a deep tree cannot overflow the stack), renders a node's iterations only when
// opened and its sub-calls, context reads and the trace's problems through a virtual list, so
// 10,000 sub-calls cost a few dozen DOM rows. Text goes in via textContent only: model output is
// never parsed as HTML. Anything that still fails is shown as an error row, never a blank page.
// A live page folds the embedded events, then each event of its SSE stream, with the fold's own
// code (rlmFold), redrawing at most every 300 ms.

export const VIEWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var data, runIndex = 0, selected = null, expanded = new Map(), index = new Map();
  var liveStatus = null, openIterations = new Set(), shownSignature = null, issuesOpen = false;
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
  function num(n) { n = Number(n) || 0; return n >= 1e6 ? (n / 1e6).toFixed(2) + 'M' : n >= 1e4 ? Math.round(n / 1e3) + 'k' : n >= 1e3 ? (n / 1e3).toFixed(1) + 'k' : String(n); }
  function usd(u) { var c = Number(u.costUsd) || 0; var s = c === 0 ? '$0' : c < 0.01 ? '$' + c.toFixed(4) : '$' + c.toFixed(2); return u.unpricedCalls ? s + ' (+' + u.unpricedCalls + ' unpriced)' : s; }
  function ms(t) { t = Number(t) || 0; return t < 1000 ? Math.round(t) + 'ms' : t < 60000 ? (t / 1000).toFixed(1) + 's' : Math.floor(t / 60000) + 'm' + Math.round((t % 60000) / 1000) + 's'; }
  function tok(u) { return num(u.inputTokens) + ' in / ' + num(u.outputTokens) + ' out'; }
  function oneLine(s, n) { s = String(s == null ? '' : s).replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  function stat(label, value) { return el('span', { className: 'stat' }, [label + ' ', el('b', { text: value })]); }
  function run() { return data.runs[runIndex]; }
  function byId(id) { return index.get(id) || null; }
  function indexRun() { index = new Map(); if (run()) run().nodes.forEach(function (n) { index.set(n.id, n); }); }
  function limitRows(list) { return el('div', { className: 'limits' }, list.map(function (t) { return el('div', { className: 'limit error', text: t }); })); }

  function header() {
    var r = run(), h = document.getElementById('header');
    h.textContent = '';
    if (!r) {
      h.appendChild(el('h1', { text: data.title }));
      h.appendChild(liveStatus ? el('div', { className: 'muted', id: 'no-runs', text: 'Waiting for the first event (' + liveStatus + ')…' }) : el('div', { className: 'error', id: 'no-runs', text: 'This trace holds no valid rlm event: see the problems below.' }));
      return;
    }
    var title = el('h1', { text: 'rlm trace · ' + oneLine(r.query, 140) });
    if (data.runs.length > 1) {
      var sel = el('select', { id: 'run-select', onchange: function (ev) { runIndex = Number(ev.target.value); selected = null; render(); } });
      data.runs.forEach(function (x, i) { var o = el('option', { value: String(i), text: 'run ' + (i + 1) + ': ' + oneLine(x.query, 40) }); if (i === runIndex) o.selected = true; sel.appendChild(o); });
      title.appendChild(sel);
    }
    h.appendChild(title);
    h.appendChild(el('div', { className: 'stats' }, [
      el('span', { className: 'badge ' + r.status, id: 'run-status', text: r.status }),
      liveStatus ? el('span', { className: 'badge running', id: 'live-status', text: liveStatus }) : null,
      stat('model', r.model + (r.subModel && r.subModel !== r.model ? ' · sub ' + r.subModel : '')),
      stat('tokens', tok(r.usage)), stat('cost', usd(r.usage)), stat('time', ms(r.durationMs)),
      stat('sub-calls', String(r.subCalls)), stat('depth', String(r.maxDepthReached)),
      stat('context', num(r.context.length) + ' chars, ' + r.context.documents + ' docs'),
      r.error ? stat('error', r.error.code + ': ' + r.error.message) : null
    ]));
    h.appendChild(el('div', { className: 'muted', id: 'run-answer', text: 'answer: ' + oneLine(r.answer, 300) }));
    if (r.limits.length) h.appendChild(limitRows(r.limits));
  }

  function problems() {
    var p = document.getElementById('problems');
    p.textContent = '';
    if (data.limits.length) p.appendChild(limitRows(data.limits));
    if (!data.issueCount) return;
    var d = el('details', { id: 'issues' });
    d.open = issuesOpen || !data.runs.length;
    d.addEventListener('toggle', function () { issuesOpen = d.open; });
    d.appendChild(el('summary', { className: 'error', text: data.issueCount + ' problem(s) in the trace: lines the viewer could not use' }));
    d.appendChild(virtualList(data.issues, function (x) { return 'line ' + x.line + (x.type ? ' · ' + x.type : '') + (x.nodeId !== undefined ? ' · node ' + x.nodeId : '') + ' · ' + x.message; }, function () {}, 'issue-list').el);
    p.appendChild(d);
  }

  function tree() {
    var t = document.getElementById('tree');
    t.textContent = '';
    if (!run()) return;
    // Depth-first with an explicit stack: the order of a recursive walk, without its stack depth.
    var stack = run().roots.slice().reverse().map(byId).filter(Boolean);
    while (stack.length) {
      var n = stack.pop();
      var open = drawNode(t, n);
      if (open) for (var i = n.children.length - 1; i >= 0; i--) { var c = byId(n.children[i]); if (c) stack.push(c); }
    }
  }
  function drawNode(parent, n) {
    var open = expanded.has(n.id) ? expanded.get(n.id) : n.depth === 0;
    var u = n.total, bad = n.notes.some(function (x) { return x.invalid; });
    parent.appendChild(el('div', { className: 'tnode' + (selected === n.id ? ' selected' : ''), 'data-node-id': n.id, style: 'padding-left:' + (8 + Math.min(n.depth, 40) * 18) + 'px', onclick: function () { select(n.id); } }, [
      el('button', { className: 'toggle', 'aria-expanded': String(open), title: n.children.length ? 'expand / collapse' : '', text: n.children.length ? (open ? '▾' : '▸') : '·', onclick: function (ev) { ev.stopPropagation(); if (!n.children.length) return; expanded.set(n.id, !open); tree(); } }),
      el('span', { text: (n.id === '0' ? 'root' : 'child ' + oneLine(n.id, 40)) + ' ' }),
      el('span', { className: 'badge ' + n.status, text: n.status }),
      bad ? el('span', { className: 'badge error', text: 'invalid lines' }) : null,
      el('span', { className: 'muted', text: ' ' + n.iterations.length + ' it · ' + n.subCalls.length + ' sub · ' + num(u.inputTokens + u.outputTokens) + ' tok · ' + usd(u) + ' · ' + ms(n.durationMs) + ' · ' + oneLine(n.query, 60) })
    ]));
    return open;
  }

  function iteration(n, it) {
    var key = n.id + '/' + it.n, d = el('details', { className: 'iteration', 'data-iteration': String(it.n) });
    d.appendChild(el('summary', { text: 'Iteration ' + it.n + (it.final ? ' · FINAL' : '') + ' · ' + it.cells.length + ' cell(s) · ' + it.subCalls + ' sub-calls · ' + tok(it.usage) + ' · ' + ms(it.durationMs) }));
    var body = el('div', { className: 'body' });
    d.appendChild(body);
    d.addEventListener('toggle', function () {
      if (d.open) openIterations.add(key); else openIterations.delete(key);
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
    if (openIterations.has(key)) d.open = true;
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
    target.appendChild(el('div', { className: 'muted', text: 'sub-call ' + c.id + ' · iteration ' + c.iteration + ' · prompt ' + num(c.promptChars) + ' chars · ' + tok(c.usage) + ' · ' + usd(c.usage) + ' · ' + ms(c.durationMs) + (c.cached ? ' · cached' : '') + (c.status === 'running' ? ' · never finished' : c.status === 'cancelled' ? ' · cancelled' : '') }));
    target.appendChild(el('h3', { text: 'prompt' }));
    target.appendChild(el('pre', { className: 'prompt', text: c.prompt }));
    target.appendChild(el('h3', { text: c.error ? 'error ' + c.error.code : 'answer' }));
    target.appendChild(el('pre', { className: 'answer', text: c.error ? c.error.message : c.answer }));
  }

  function subCalls(d, n) {
    d.appendChild(el('h2', { text: 'Sub-calls (' + n.subCalls.length + ')' }));
    if (!n.subCalls.length) return;
    var pane = el('div', { id: 'subcall-detail' });
    var list = virtualList(n.subCalls, function (c) { return '#' + c.id + ' · it ' + c.iteration + ' · ' + ms(c.durationMs) + ' · ' + oneLine(c.prompt, 70) + ' → ' + oneLine(c.error ? c.error.code : c.status === 'cancelled' ? 'cancelled' : c.answer, 60); }, function (c) { subCallDetail(pane, c); }, 'subcalls');
    d.appendChild(el('input', { type: 'search', placeholder: 'filter prompts and answers', oninput: function (ev) { var q = ev.target.value.toLowerCase(); list.set(q ? n.subCalls.filter(function (c) { return c.prompt.toLowerCase().indexOf(q) >= 0 || c.answer.toLowerCase().indexOf(q) >= 0; }) : n.subCalls); } }));
    d.appendChild(list.el);
    d.appendChild(pane);
  }

  function detail() {
    var d = document.getElementById('detail');
    d.textContent = '';
    var n = byId(selected);
    if (!n) { d.appendChild(el('p', { className: 'muted', text: 'Select a node of the recursion tree.' })); return; }
    d.appendChild(el('h2', { text: (n.id === '0' ? 'Root' : 'Child ' + oneLine(n.id, 80)) + ' · depth ' + n.depth }));
    d.appendChild(el('div', { className: 'stats' }, [
      el('span', { className: 'badge ' + n.status, text: n.status + (n.budget ? ' (' + n.budget + ')' : '') }),
      stat('own tokens', tok(n.usage)), stat('own cost', usd(n.usage)), stat('with children', tok(n.total) + ' · ' + usd(n.total)), stat('time', ms(n.durationMs)),
      stat('iterations', String(n.iterations.length)), stat('sub-calls', String(n.subCalls.length)), stat('context reads', String(n.accesses.length))
    ]));
    d.appendChild(el('h3', { text: 'query' }));
    d.appendChild(el('pre', { text: n.query }));
    d.appendChild(el('h3', { text: 'answer' }));
    d.appendChild(el('pre', { className: 'node-answer', text: n.answer || '(none)' }));
    if (n.notes.length) {
      d.appendChild(el('h2', { text: 'Notes' }));
      var notes = el('div', { id: 'notes' });
      n.notes.forEach(function (x) { notes.appendChild(el('div', { className: 'note' + (x.invalid ? ' error' : '') }, [el('b', { text: x.kind + ': ' }), oneLine(x.text, 400)])); });
      d.appendChild(notes);
    }
    d.appendChild(el('h2', { text: 'Iterations' }));
    var its = el('div', { id: 'iterations' });
    n.iterations.forEach(function (it) { its.appendChild(iteration(n, it)); });
    d.appendChild(its);
    subCalls(d, n);
    d.appendChild(el('h2', { text: 'Context accesses (' + n.accesses.length + ')' }));
    if (n.accesses.length) {
      d.appendChild(virtualList(n.accesses, function (a) { return a.kind + (a.pattern !== undefined ? ' /' + a.pattern + '/' : '') + (a.start !== undefined ? ' [' + a.start + ', ' + a.end + ')' : '') + (a.results !== undefined ? ' → ' + a.results + ' results' : ''); }, function () {}, 'accesses').el);
    }
  }

  // Whatever fails while drawing is shown on the page, never left as a blank one.
  function guard(draw) {
    try { draw(); } catch (err) {
      var box = document.getElementById('viewer-error');
      box.textContent = 'The viewer could not draw part of this trace: ' + (err && err.message ? err.message : String(err));
      box.hidden = false;
    }
  }
  // What the detail pane shows of a node: a live redraw leaves the pane alone while it is unchanged.
  function signature(n) { return n ? [n.id, n.status, n.answer.length, n.iterations.length, n.subCalls.length, n.notes.length, n.accesses.length, n.subCalls.filter(function (c) { return c.status === 'running'; }).length].join('|') : ''; }
  function render() {
    indexRun();
    if (selected === null && run()) selected = (byId('0') || run().nodes[0] || {}).id || null;
    guard(header); guard(problems); guard(tree);
    var sig = runIndex + '#' + signature(byId(selected));
    if (sig !== shownSignature) { shownSignature = sig; guard(detail); }
  }
  function select(id) { selected = id; shownSignature = null; guard(render); }

  function follow(live) {
    var F = window.rlmFold, state = F.createFold(live.limits), line = live.events.length + live.issues.length, pending = false;
    live.events.forEach(function (e) { F.foldEvent(state, e); });
    live.issues.forEach(function (i) { F.foldIssue(state, i); });
    function redraw() { data = F.viewOf(state, live.title); render(); }
    liveStatus = 'live: connecting';
    redraw();
    var source = new EventSource(live.eventsUrl);
    function onEvent(m) {
      line++;
      var e = null;
      try {
        e = JSON.parse(m.data);
        if (!e || typeof e.type !== 'string' || typeof e.runId !== 'string' || typeof e.nodeId !== 'string' || typeof e.depth !== 'number' || typeof e.timestamp !== 'number') throw new Error('not an rlm event');
        if (live.eventTypes.indexOf(e.type) < 0) F.foldIssue(state, { line: line, kind: 'unknown_type', message: 'event type "' + e.type + '" is not known to this version', type: e.type, runId: e.runId, nodeId: e.nodeId });
        else F.foldEvent(state, e);
        liveStatus = 'live';
        if (e.type === 'run_end' && e.nodeId === '0') { source.close(); liveStatus = null; }
      } catch (err) {
        var where = e && typeof e.runId === 'string' && typeof e.nodeId === 'string' ? { type: String(e.type), runId: e.runId, nodeId: e.nodeId } : {};
        F.foldIssue(state, Object.assign({ line: line, kind: 'fields', message: 'live event: ' + (err && err.message ? err.message : String(err)) }, where));
      }
      if (!pending) { pending = true; setTimeout(function () { pending = false; guard(redraw); }, 300); }
    }
    source.onmessage = onEvent;
    live.eventTypes.forEach(function (t) { source.addEventListener(t, onEvent); });
    source.onopen = function () { if (liveStatus) { liveStatus = 'live'; guard(header); } };
    source.onerror = function () { if (liveStatus) { liveStatus = source.readyState === 2 ? 'live: connection closed' : 'live: reconnecting'; guard(header); } };
  }

  guard(function () {
    var boot = JSON.parse(document.getElementById('rlm-data').textContent);
    if (boot.live) follow(boot.live);
    else { data = boot.view; render(); }
  });
  document.body.setAttribute('data-ready', 'true');
})();
`
