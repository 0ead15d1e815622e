// The language-model spec lives in @rlm/spec (no dependencies), so code that only calls models,
// such as the engine, needs no vendor SDK; re-exported here unchanged for `@rlm/providers` users.
export * from '@rlm/spec'
