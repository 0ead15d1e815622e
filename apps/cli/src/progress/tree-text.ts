// The recursion tree of a finished run as indented text for the terminal: each node with its
// status, iterations, sub-calls, tokens, cost and time, and what each iteration did.

import type { RecursionNode } from '@rlm/engine'
import type { Style } from '../term-style.ts'
import { formatCount, formatMs, formatUsd, plural } from './figures.ts'

const oneLine = (s: string, n: number): string => {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > n ? `${t.slice(0, n - 1)}…` : t
}

export function renderTree(root: RecursionNode, style: Style): string {
  const out: string[] = []
  const walk = (node: RecursionNode, prefix: string, last: boolean, isRoot: boolean): void => {
    const u = node.usage
    const status = style.paint(
      node.status === 'final' ? 'green' : node.status === 'error' ? 'red' : 'yellow',
      node.status,
    )
    const head = `${isRoot ? 'root' : `child ${node.id}`} ${status} · ${plural(node.iterations.length, 'iteration')} · ${plural(node.subCalls.length, 'sub-call')} · ${formatCount(u.inputTokens + u.outputTokens)} tok · ${formatUsd(u.costUsd, u.unpricedCalls)} · ${formatMs(node.durationMs)}`
    out.push(`${prefix}${isRoot ? '' : last ? '└─ ' : '├─ '}${head}`)
    const inner = isRoot ? '' : `${prefix}${last ? '   ' : '│  '}`
    if (!isRoot) out.push(`${inner}${style.paint('dim', `query: ${oneLine(node.query, 90)}`)}`)
    const items: Array<{ text?: string; child?: RecursionNode }> = []
    for (const it of node.iterations) {
      const firstCode =
        it.code[0]?.split('\n').find((l) => l.trim() && !l.trim().startsWith('//')) ?? '(no code)'
      items.push({
        text: `iteration ${it.index}: ${oneLine(firstCode, 70)}${it.final ? style.paint('green', ' → FINAL') : ''}`,
      })
    }
    if (node.subCalls.length)
      items.push({
        text: `${node.subCalls.length} llm_query sub-calls (${formatMs(Math.max(0, ...node.subCalls.map((s) => s.durationMs)))} slowest)`,
      })
    for (const child of node.children) items.push({ child })
    items.forEach((item, i) => {
      const isLast = i === items.length - 1
      if (item.child) walk(item.child, inner, isLast, false)
      else out.push(`${inner}${isLast ? '└─ ' : '├─ '}${item.text}`)
    })
    if (!isRoot || node.answer)
      out.push(`${inner}${style.paint('dim', `answer: ${oneLine(node.answer || '(none)', 100)}`)}`)
  }
  walk(root, '', true, true)
  return out.join('\n')
}
