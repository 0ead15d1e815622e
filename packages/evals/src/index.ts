// @rlm/evals: long-context task generators with exact scoring, and a resumable runner that
// compares an RLM with a direct model call, online or offline (a scripted mechanics check).
export { createRng, type Rng } from './prng.ts'
export { extractNumbers, normalizeAnswer, scoreAnswer, scoreExpected } from './scoring.ts'
export { formatSize, MAX_SIZE, MIN_SIZE, parseSize, parseSizes } from './size.ts'
export { generateCodeQa } from './suites/code-qa.ts'
export { generateTask, isSuiteName, parseSuites, SUITES, type SuiteInfo } from './suites/generate-task.ts'
export { generateMultiHop } from './suites/multi-hop.ts'
export { generateOolong } from './suites/oolong.ts'
export { DEFAULT_DEPTHS, generateSniah } from './suites/s-niah.ts'
export { taskId } from './suites/task-id.ts'
export {
  CHARS_PER_TOKEN,
  type EvalDocument,
  type EvalTask,
  type Expected,
  type GenerateOptions,
  SUITE_NAMES,
  type SuiteName,
} from './task.ts'
