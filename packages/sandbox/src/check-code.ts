// Static checks and the REPL rewrite: parse a cell with acorn, reject what the sandbox cannot offer
// with advice, and turn top-level let/const/class into var so cells can re-declare names.
import { type Node, parse } from 'acorn'

export interface CodeProblem {
  code: 'E_SYNTAX' | 'E_FORBIDDEN'
  message: string
  line: number
  column: number
}

export type CheckResult = { ok: true; code: string } | { ok: false; problem: CodeProblem }

const forbiddenNames: Record<string, string> = {
  require:
    'require() is not available: the sandbox has no modules. Use the globals and functions it provides.',
  process:
    'process is not available: the sandbox has no host access. Use the globals and functions it provides.',
  eval: 'eval is not available: write the code directly in the cell instead.',
  Function: 'Function() is not available: define functions with `function` or arrow syntax instead.',
  fetch: 'fetch is not available: the sandbox has no network. Use the host functions it provides.',
  XMLHttpRequest: 'XMLHttpRequest is not available: the sandbox has no network.',
  WebSocket: 'WebSocket is not available: the sandbox has no network.',
  importScripts: 'importScripts is not available: the sandbox has no modules.',
  Deno: 'Deno is not available: the sandbox has no host access.',
  Bun: 'Bun is not available: the sandbox has no host access.',
  __dirname: '__dirname is not available: the sandbox has no file system.',
  __filename: '__filename is not available: the sandbox has no file system.',
}

const globalObjectNames = new Set(['globalThis', 'self', 'window', 'global'])
const constructorAdvice =
  'Reaching constructors through `.constructor` chains is not allowed: call functions directly instead.'

type AnyNode = Node & Record<string, unknown>

/** Parses, checks and rewrites one cell. Never throws. */
export function checkCode(source: string): CheckResult {
  let program: AnyNode
  try {
    // acorn types a Program as a bare Node (type, start, end); the checks read each node's other
    // fields by name, as ESTree defines them.
    program = parse(source, {
      ecmaVersion: 2023,
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowHashBang: true,
      locations: true,
    }) as unknown as AnyNode
  } catch (error) {
    return { ok: false, problem: syntaxProblem(error) }
  }
  const problem = findForbidden(program, declaredNames(program))
  if (problem) return { ok: false, problem }
  return { ok: true, code: rewriteTopLevel(source, program) }
}

/** Results for the last few sources checked with `checkCodeMemo` (checking is pure). */
const memo = new Map<string, CheckResult>()
const MEMO_SIZE = 4

/**
 * `checkCode` for code checked again and again: a prelude, installed by every sandbox made with it
 * (parsing the engine's prelude with acorn took longer than the rest of a recycled worker's setup).
 */
export function checkCodeMemo(source: string): CheckResult {
  const known = memo.get(source)
  if (known) return known
  const result = checkCode(source)
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string)
  memo.set(source, result)
  return result
}

function syntaxProblem(error: unknown): CodeProblem {
  const e = error as { message?: string; loc?: { line: number; column: number } }
  const message = String(e.message ?? error)
  const line = e.loc?.line ?? 1
  const column = (e.loc?.column ?? 0) + 1
  if (/'import' and 'export' may appear only|import\.meta|Cannot use keyword 'import'/.test(message)) {
    return {
      code: 'E_FORBIDDEN',
      message: `import/export is not available (line ${line}): the sandbox has no modules. Use the globals and functions it provides.`,
      line,
      column,
    }
  }
  return { code: 'E_SYNTAX', message: `SyntaxError: ${message}`, line, column }
}

function at(node: AnyNode, code: CodeProblem['code'], message: string): CodeProblem {
  const loc = node.loc as { start: { line: number; column: number } } | undefined
  const line = loc?.start.line ?? 1
  const column = (loc?.start.column ?? 0) + 1
  return { code, message: `${message} (line ${line})`, line, column }
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = []
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue
    const value = node[key]
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') out.push(item)
    } else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') {
      out.push(value as AnyNode)
    }
  }
  return out
}

/** Names the cell declares itself (so `const fetch = ...` is the cell's own business). */
function declaredNames(program: AnyNode): Set<string> {
  const names = new Set<string>()
  const addPattern = (p: AnyNode | null | undefined): void => {
    if (!p) return
    if (p.type === 'Identifier') names.add(p.name as string)
    else for (const c of children(p)) if (c.type !== 'MemberExpression') addPattern(c)
  }
  const stack: AnyNode[] = [program]
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode
    if (node.type === 'VariableDeclarator') addPattern(node.id as AnyNode)
    if (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') {
      addPattern(node.id as AnyNode)
    }
    if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    ) {
      for (const p of node.params as AnyNode[]) addPattern(p)
    }
    if (node.type === 'CatchClause') addPattern(node.param as AnyNode | null)
    stack.push(...children(node))
  }
  return names
}

function propertyName(member: AnyNode): string | undefined {
  const prop = member.property as AnyNode
  if (!member.computed && prop.type === 'Identifier') return prop.name as string
  if (prop.type === 'Literal' && typeof prop.value === 'string') return prop.value
  return undefined
}

function isFunctionLike(node: AnyNode): boolean {
  return (
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ClassExpression'
  )
}

function findForbidden(program: AnyNode, declared: Set<string>): CodeProblem | undefined {
  type Entry = { node: AnyNode; parent?: AnyNode; grandparent?: AnyNode }
  const stack: Entry[] = [{ node: program }]
  while (stack.length > 0) {
    const { node, parent, grandparent } = stack.pop() as Entry
    if (node.type === 'ImportExpression') {
      return at(node, 'E_FORBIDDEN', 'import() is not available: the sandbox has no modules')
    }
    if (node.type === 'Identifier' && isReference(node, parent)) {
      const name = node.name as string
      const advice = forbiddenNames[name]
      // `Function` is only an escape when called; `x instanceof Function` and
      // `Function.prototype` are ordinary code.
      // `typeof process` only asks whether the name exists (it does not, in the guest).
      const probed = parent?.type === 'UnaryExpression' && parent.operator === 'typeof'
      const flagged = probed ? false : name === 'Function' ? callsFunction(node, parent, grandparent) : true
      if (advice && flagged && !declared.has(name)) return at(node, 'E_FORBIDDEN', advice)
    }
    if (node.type === 'MemberExpression') {
      const name = propertyName(node)
      const object = node.object as AnyNode
      if (name && object.type === 'Identifier' && globalObjectNames.has(object.name as string)) {
        const advice = forbiddenNames[name]
        if (advice) return at(node, 'E_FORBIDDEN', advice)
      }
      if (name === 'constructor') {
        const inner = object.type === 'MemberExpression' ? propertyName(object) : undefined
        // `x.constructor("code")` is the escape pattern; `.constructor.name`, `x.constructor ===
        // Object`, `new x.constructor()` are ordinary code (the runtime is safe either way).
        const compiles =
          (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
          parent.callee === node &&
          (parent.arguments as AnyNode[]).some(isStringy)
        if (inner === 'constructor' || isFunctionLike(object) || compiles) {
          return at(node, 'E_FORBIDDEN', constructorAdvice)
        }
        if (object.type === 'Identifier' && globalObjectNames.has(object.name as string)) {
          return at(node, 'E_FORBIDDEN', constructorAdvice)
        }
      }
    }
    for (const child of children(node)) stack.push({ node: child, parent: node, grandparent: parent })
  }
  return undefined
}

/** `Function(...)`, `new Function(...)`, `Function.call/apply/bind(...)`. */
function callsFunction(
  node: AnyNode,
  parent: AnyNode | undefined,
  grandparent: AnyNode | undefined,
): boolean {
  if (!parent) return false
  if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) {
    return true
  }
  if (parent.type === 'MemberExpression' && parent.object === node) {
    const name = propertyName(parent)
    return (
      (name === 'call' || name === 'apply' || name === 'bind') &&
      grandparent?.type === 'CallExpression' &&
      grandparent.callee === parent
    )
  }
  return false
}

/** A string literal, a template, or a `+` concatenation with one: code text being compiled. */
function isStringy(arg: AnyNode): boolean {
  if (arg.type === 'Literal') return typeof arg.value === 'string'
  if (arg.type === 'TemplateLiteral') return true
  if (arg.type === 'BinaryExpression' && arg.operator === '+') {
    return isStringy(arg.left as AnyNode) || isStringy(arg.right as AnyNode)
  }
  return false
}

/** True when an Identifier node reads a variable (not a property key or a label). */
function isReference(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return true
  if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return false
  if (
    (parent.type === 'Property' ||
      parent.type === 'MethodDefinition' ||
      parent.type === 'PropertyDefinition') &&
    parent.key === node &&
    !parent.computed
  ) {
    return parent.type === 'Property' && parent.shorthand === true
  }
  if (
    parent.type === 'LabeledStatement' ||
    parent.type === 'BreakStatement' ||
    parent.type === 'ContinueStatement'
  ) {
    return false
  }
  return true
}

/**
 * Top-level `let`/`const` become `var` (padded so columns stay put) and `class X {}` becomes
 * `var X = class X {};`: re-declaring works in a later cell and a failed cell cannot leave a
 * binding stuck in its temporal dead zone.
 */
function rewriteTopLevel(source: string, program: AnyNode): string {
  const edits: Array<{ start: number; end: number; text: string }> = []
  for (const statement of program.body as AnyNode[]) {
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      const kind = statement.kind as string
      edits.push({
        start: statement.start,
        end: statement.start + kind.length,
        text: 'var'.padEnd(kind.length),
      })
    } else if (statement.type === 'ClassDeclaration') {
      const name = (statement.id as AnyNode).name as string
      edits.push({ start: statement.start, end: statement.start, text: `var ${name} = ` })
      edits.push({ start: statement.end, end: statement.end, text: ';' })
    }
  }
  let out = source
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  return out
}
