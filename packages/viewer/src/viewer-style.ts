// The viewer page's stylesheet (inlined: the page makes no network requests).

export const VIEWER_CSS = `
:root { --bg:#fff; --fg:#1d2430; --muted:#667085; --line:#e4e7ec; --accent:#2563eb; --ok:#15803d; --bad:#b42318; --warn:#b54708; --code:#f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --bg:#0f1419; --fg:#e6e8eb; --muted:#98a2b3; --line:#2a3140; --accent:#60a5fa; --ok:#4ade80; --bad:#f87171; --warn:#fbbf24; --code:#161b22; } }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, Segoe UI, sans-serif; background:var(--bg); color:var(--fg); }
header { padding:12px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:16px; margin:0 0 4px; }
.muted { color:var(--muted); }
.stats { display:flex; flex-wrap:wrap; gap:6px 16px; margin-top:6px; }
.stat b { font-variant-numeric: tabular-nums; }
main { display:grid; grid-template-columns: minmax(260px, 30%) 1fr; height: calc(100vh - 120px); min-height: 400px; }
#tree { border-right:1px solid var(--line); overflow:auto; padding:8px 0; }
#detail { overflow:auto; padding:12px 16px; }
.tnode { display:flex; align-items:center; gap:4px; padding:3px 8px; cursor:pointer; white-space:nowrap; }
.tnode:hover { background:var(--code); }
.tnode.selected { background:color-mix(in srgb, var(--accent) 18%, transparent); }
.toggle { width:18px; text-align:center; color:var(--muted); border:0; background:none; cursor:pointer; font:inherit; padding:0; }
.badge { font-size:11px; padding:0 6px; border-radius:8px; border:1px solid var(--line); }
.final { color:var(--ok); } .error, .incomplete { color:var(--bad); } .budget_exhausted, .running { color:var(--warn); }
pre { background:var(--code); padding:8px; border-radius:6px; overflow:auto; max-height:420px; white-space:pre-wrap; word-break:break-word; margin:4px 0 8px; font:12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
details { border:1px solid var(--line); border-radius:6px; margin:6px 0; }
details > summary { cursor:pointer; padding:6px 10px; }
details > .body { padding:0 10px 8px; }
h2 { font-size:15px; margin:16px 0 6px; }
h3 { font-size:13px; margin:10px 0 2px; color:var(--muted); }
.vlist { position:relative; overflow:auto; height:320px; border:1px solid var(--line); border-radius:6px; }
.vrow { position:absolute; left:0; right:0; height:28px; padding:4px 10px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; cursor:pointer; border-bottom:1px solid var(--line); font-size:12px; }
.vrow:hover { background:var(--code); } .vrow.selected { background:color-mix(in srgb, var(--accent) 18%, transparent); }
input[type=search] { width:100%; padding:5px 8px; margin:4px 0; border:1px solid var(--line); border-radius:6px; background:var(--bg); color:var(--fg); }
select { margin-left:8px; }
#problems { padding:0 16px; } #problems:empty { display:none; }
.limit { padding:2px 0; } #viewer-error { margin:8px 16px; padding:8px; border:1px solid var(--bad); border-radius:6px; }
.note.error b { color:var(--bad); }
`
