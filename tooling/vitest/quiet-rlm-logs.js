// Test setup: keeps the engine's default log lines (`rlm warn: budget maxTokens exhausted ...`,
// `rlm error: run failed: ...`) out of the test output. A library user sees them on stderr by
// default (packages/engine README, Logging); the tests end runs with budgets and errors on purpose,
// hundreds of times, and assert on results, not on those lines. A test that checks the lines spies
// on process.stderr.write itself, which replaces this filter while it runs.
// RLM_TEST_LOGS=1 shows them (e.g. to debug a failing test).

const RLM_LOG_LINE = /^rlm (error|warn|info|debug|trace): /
// A worker process runs many test files, each through this setup: the filter goes on once.
const INSTALLED = Symbol.for('rlm.quietTestLogs')

if (process.env.RLM_TEST_LOGS !== '1' && !process.stderr[INSTALLED]) {
  process.stderr[INSTALLED] = true
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = (chunk, ...rest) => {
    if (typeof chunk === 'string' && RLM_LOG_LINE.test(chunk)) {
      const done = rest.find((a) => typeof a === 'function')
      if (done) queueMicrotask(() => done())
      return true
    }
    return write(chunk, ...rest)
  }
}
