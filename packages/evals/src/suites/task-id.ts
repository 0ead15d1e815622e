// Task ids are derivable without generating the task, so a resumed run can skip finished
// tasks before paying for a 400 MB context.
import { formatSize } from '../size.ts'
import type { SuiteName } from '../task.ts'

export function taskId(suite: SuiteName, size: number, seed: number, index: number): string {
  return `${suite}-${formatSize(size)}-s${seed}-${index}`
}
