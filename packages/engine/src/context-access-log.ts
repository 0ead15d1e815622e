// Records one read of a node's context: kept in the run's access log and reported as an event.

import type { NodeState } from './node-state.ts'
import type { ContextAccess } from './result.ts'

export function recordAccess(node: NodeState, entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>): void {
  const access: ContextAccess = { ...entry, nodeId: node.id, timestamp: Date.now() }
  node.scope.contextAccess.push(access)
  node.scope.emit(node, { type: 'context_access', access })
}
