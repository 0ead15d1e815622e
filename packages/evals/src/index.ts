// @rlm/evals: long-context task generators with exact scoring, and a resumable runner that
// compares an RLM with a direct model call, online or offline (a scripted mechanics check).

export { type SizeSummary, summarize } from './aggregate.ts'
export {
  contextBudgetChars,
  DEFAULT_CONTEXT_WINDOW,
  type DirectOptions,
  type DirectOutcome,
  runDirect,
  truncateContext,
} from './direct-baseline.ts'
export type { EvalEvent, EvalHooks } from './eval-events.ts'
export {
  type EvalEngineSettings,
  type EvalOptions,
  type EvalOptionsInput,
  evalOptionsSchema,
  parseEvalOptions,
} from './eval-options.ts'
export { ACCURACY_NOTE, type EvalReport, MECHANICS_NOTE } from './eval-report.ts'
export { formatTable } from './format-table.ts'
export { renderAccuracyChart, renderHtmlReport } from './html-report.ts'
export { createOfflineReaderModel, type OfflineReaderOptions } from './offline/reader-model.ts'
export { createOfflineStrategyModel } from './offline/strategy-model.ts'
export { answerFromText } from './offline/text-reader.ts'
export { createRng, type Rng } from './prng.ts'
export { parseQuestionPrompt, questionPrompt, renderDocuments } from './question-prompt.ts'
export { appendResult, type ReadResults, readResultsFile } from './results-file.ts'
export type { RlmTaskOutcome, RlmTaskRunner } from './rlm-task-runner.ts'
export { runEval } from './run-eval.ts'
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
export { METHODS, type Method, resultKey, type TaskResult, taskResultSchema } from './task-result.ts'
