// Finds functions a reader cannot hold in their head: every function, method, constructor,
// accessor and arrow body in packages/*/src and apps/*/src (tests excepted) over MAX_LINES lines,
// unless the line just above it says why: `// long-function: <reason>`.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

export const MAX_LINES = 80
const REASON = /^\s*\/\/ long-function: \S/

/** The long functions of one source text that carry no reason, with their first line (1-based). */
export function longFunctions(fileName, text, max = MAX_LINES) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)
  const lines = text.split('\n')
  const found = []
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const last = source.getLineAndCharacterOfPosition(node.end).line
      const length = last - first + 1
      if (length > max && !REASON.test(lines[first - 1] ?? ''))
        found.push({ name: nameOf(node, source), line: first + 1, length })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function nameOf(node, source) {
  if (node.name) return node.name.getText(source)
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const parent = node.parent
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
  )
    return parent.name.getText(source)
  return '(anonymous)'
}

function* sourceFiles(dir) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !/\.(test|d)\.[cm]?tsx?$/.test(entry.name)) yield path
  }
}

/** Every long function without a reason in the workspace's package and app sources. */
export function workspaceLongFunctions(root, max = MAX_LINES) {
  const found = []
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue
      for (const file of sourceFiles(join(root, group, pkg.name, 'src'))) {
        for (const fn of longFunctions(file, readFileSync(file, 'utf8'), max))
          found.push({ ...fn, file: relative(root, file) })
      }
    }
  }
  return found
}
