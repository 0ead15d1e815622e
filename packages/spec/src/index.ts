// @rlm/spec: the language-model contract as plain types and one constant. Providers implement it,
// the engine calls it; neither needs the other (nor any vendor SDK) to agree on it.
export * from './spec.ts'
