// @rlm/evals: long-context task generators with exact scoring, and a resumable runner that
// compares an RLM with a direct model call, online or offline (a scripted mechanics check).
// The public surface is what a user calls: the runner and its outputs, the suites, task generation
// and scoring, the results file. The offline models are `@rlm/evals/offline`; everything else
// (the direct baseline, prompts, per-suite generators, the PRNG) is internal.

export type { EvalEvent, EvalHooks } from './eval-events.ts'
export type { EvalEngineSettings, EvalOptions, EvalOptionsInput } from './eval-options.ts'
export type { EvalReport } from './eval-report.ts'
export { formatTable } from './format-table.ts'
export { renderHtmlReport } from './html-report.ts'
export { type ReadResults, readResultsFile } from './results-file.ts'
export type { RlmTaskOutcome, RlmTaskRunner } from './rlm-task-runner.ts'
export { runEval } from './run-eval.ts'
export { scoreAnswer } from './scoring.ts'
export { formatSize, parseSizes } from './size.ts'
export { generateTask, parseSuites, SUITES, type SuiteInfo } from './suites/generate-task.ts'
export {
  type EvalDocument,
  type EvalTask,
  type Expected,
  type GenerateOptions,
  SUITE_NAMES,
  type SuiteName,
} from './task.ts'
export type { TaskResult } from './task-result.ts'
