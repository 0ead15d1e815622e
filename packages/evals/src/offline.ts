// @rlm/evals/offline: the scripted models of `runEval({ offline: true })`, for checking an RLM
// pipeline's mechanics (search, chunking, fan-out, recursion) at any size without a model.

export { createOfflineReaderModel, type OfflineReaderOptions } from './offline/reader-model.ts'
export { createOfflineStrategyModel } from './offline/strategy-model.ts'
export { answerFromText } from './offline/text-reader.ts'
