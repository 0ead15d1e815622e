// The command tree of `rlm`: names, flags and help text only. Every action imports its command
// module on demand, so `rlm --help` loads nothing but commander.

import { readFileSync } from 'node:fs'
import { Command, Option } from 'commander'
import { mcpFlags } from './commands/mcp-flags.ts'
import { jobsFlags, queueFlags, submitFlags, workerFlags } from './commands/queue-flags.ts'
import { SEED_HELP } from './run/seed-flag.ts'

export type Action = (opts: Record<string, unknown>, args: string[], program: Command) => Promise<number>

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

// Kept in step with @rlm/context's DEFAULT_IGNORES (a test compares them); `rlm --help` loads
// nothing but commander.
export const DEFAULT_IGNORES_TEXT =
  'node_modules, .git, dist, build, out, coverage, .next, .turbo, target and __pycache__'

export function cliVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version
  } catch {
    return '0.0.0'
  }
}

/**
 * Flags shared by `run`, `demo --live`, `eval` and `serve`: model, limits, budgets, cache. `serve`
 * takes several root models (`--model` repeatable) and holds every run to the limits (caps).
 */
function engineFlags(cmd: Command, serve = false): Command {
  const model =
    'root model, e.g. openai:gpt-4o-mini, ollama:qwen2.5, openai-compatible:<model>, llama-cpp:<file.gguf>'
  return (
    serve
      ? cmd.option(
          '--model <id>',
          `${model} (repeatable: the first is "rlm", each is "rlm:<id>")`,
          collect,
          [],
        )
      : cmd.option('--model <id>', model)
  )
    .option('--sub-model <id>', 'model for llm_query sub-calls (default: the root model)')
    .option('--base-url <url>', 'server for openai-compatible:/ollama: ids (and the root provider)')
    .option('--max-depth <n>', 'recursion levels, 1 = no child RLMs (default 2)')
    .option('--max-iterations <n>', 'turns per node (default 30)')
    .option('--concurrency <n>', 'sub-calls in flight at once (default 16)')
    .option('--budget-tokens <n>', 'stop after this many tokens over the whole run')
    .option('--budget-usd <usd>', 'stop after this cost in USD')
    .option('--timeout <duration>', 'wall-time limit of the run, e.g. 90s, 5m')
    .option('--request-timeout <duration>', 'longest wait for one model request, e.g. 30s (default 120s)')
    .option('--cache', 'cache model responses on disk (repeat runs are free)')
    .option('--no-cache', 'do not cache model responses')
    .option(
      '--cache-dir <dir>',
      'where the response cache lives (default $XDG_CACHE_HOME/rlm or ~/.cache/rlm; implies --cache)',
    )
}

function serveCommand(program: Command): Command {
  return engineFlags(
    program
      .command('serve')
      .description(
        'serve rlm over HTTP: OpenAI-compatible chat completions, a runs API with live events, the viewer (caps: the run limits below)',
      )
      .option('--host <host>', 'interface to listen on (default 127.0.0.1; any other needs a token)')
      .option('--port <n>', 'port to listen on, 0 for a free one (default 8787)')
      .option(
        '--context-root <dir>',
        'folder whose files clients may name in context_paths (repeatable)',
        collect,
        [],
      )
      .option('--token <token>', 'bearer token every request must carry (default RLM_SERVER_TOKEN)')
      .option('--max-concurrent-runs <n>', 'runs in progress at once (default 4)')
      .option('--max-queue <n>', 'runs waiting beyond those; more get 429 with Retry-After (default 64)')
      .option('--max-body-bytes <n>', 'largest request body (default 33554432, 32 MiB)')
      .option(
        '--shutdown-grace <duration>',
        'on SIGTERM, how long runs may finish before they are cancelled (default 30s)',
      )
      .option(
        '--no-trace',
        'write no trace files (default: one per run under .rlm/traces, or RLM_TRACE_DIR)',
      ),
    true,
  )
}

function outputFlags(cmd: Command): Command {
  return cmd
    .option('--trace <file>', 'write the JSONL trace here (default .rlm/traces/<time>.jsonl, mode 0600)')
    .option('--no-trace', 'write no trace file')
    .addOption(
      new Option('--json', 'print the whole result as one JSON document on stdout').conflicts('events'),
    )
    .option('--events', 'stream every event as NDJSON on stdout')
    .addOption(new Option('-q, --quiet', 'no progress on stderr').conflicts('verbose'))
    .option('-v, --verbose', 'also show each reply, code cell and output on stderr')
}

export function buildProgram(load: (name: string) => Promise<Action>): Command {
  const program = rootProgram()
  const bind = (cmd: Command, name: string): Command =>
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command
      const args = params.slice(0, -2).flat() as string[]
      const action = await load(name)
      command.setOptionValue('__exitCode', await action(command.optsWithGlobals(), args, program))
    })

  bind(declareRun(program), 'run')
  bind(declareDemo(program), 'demo')
  bind(declareView(program), 'view')
  bind(declareDoctor(program), 'doctor')
  bind(declareConfig(program), 'config')
  bind(serveCommand(program), 'serve')
  bind(declareEval(program), 'eval')
  bind(engineFlags(mcpFlags(program.command('mcp'))), 'mcp')
  bind(engineFlags(queueFlags(submitFlags(program.command('submit')))), 'submit')
  bind(queueFlags(workerFlags(program.command('worker'))), 'worker')
  bind(queueFlags(jobsFlags(program.command('jobs'))), 'jobs')
  return program
}

/** The `rlm` command itself: version, global flags and the help epilogue (exit codes, first steps). */
function rootProgram(): Command {
  return new Command('rlm')
    .description(
      'Recursive Language Models: answer questions about contexts far larger than any model window.',
    )
    .version(cliVersion(), '-V, --version')
    .option('--config <path>', 'config file (default ./rlm.config.json)')
    .option(
      '--trust-config',
      'let rlm.config.json and .env here choose servers, model code and the cache directory',
    )
    .option(
      '--log-level <level>',
      'log silent, error, warn, info, debug or trace lines (on stderr, or in --log-file)',
    )
    .option(
      '--log-file <file>',
      'write JSON log lines to this file, rotated at 10 MiB (level info by default)',
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 answer, 2 usage/config error, 3 provider error, 4 budget exhausted (partial answer
printed), 5 sandbox/internal error, 130 interrupted.

Start with:  rlm demo           (offline, no key needed)
Then:        rlm run "question" --context notes.txt --model openai:gpt-4o-mini`,
    )
}

function declareRun(program: Command): Command {
  return outputFlags(
    engineFlags(
      program
        .command('run')
        .description('answer <query> about the context (answer on stdout)')
        .argument('[query]', 'the question or task (or --query-file)')
        .option('--seed <n>', SEED_HELP)
        .option(
          '--query-file <path>',
          'read the query from a file, or - for stdin (for queries too large for argv)',
        )
        .option(
          '-c, --context <path>',
          'a file, a directory, or - for stdin (repeatable; default: stdin when it is a pipe or a file)',
          collect,
          [],
        )
        .option(
          '--ignore <glob>',
          'leave matching paths out of directories (.gitignore syntax, repeatable)',
          collect,
          [],
        )
        .option('--no-default-ignores', `also load ${DEFAULT_IGNORES_TEXT} folders`)
        .option('--follow-symlinks', 'load file symlinks that point outside the --context directory')
        .option(
          '--first-byte-timeout <duration>',
          'longest wait for the first byte of stdin or a FIFO given as --context (default 5s)',
        ),
    ),
  )
}

function declareDemo(program: Command): Command {
  return outputFlags(
    engineFlags(
      program
        .command('demo')
        .description('offline demo: a scripted model reads a 1.5M-token haystack (no key needed)')
        .option('--live', 'use the configured real model (--model / RLM_MODEL) on the same data')
        .option('--tokens <n>', 'size of the generated haystack in (estimated) tokens (default 1,530,000)')
        .option('--no-view', 'do not write the HTML viewer'),
    ),
  )
}

function declareView(program: Command): Command {
  return program
    .command('view')
    .description('write a self-contained HTML viewer for a trace')
    .argument('<trace>', 'a JSONL trace written by rlm run / rlm demo')
    .option('-o, --output <file>', 'where to write the HTML (default: the trace path with .html)')
    .option('--open', 'open it in the default browser')
}

function declareDoctor(program: Command): Command {
  return engineFlags(
    program
      .command('doctor')
      .description(
        'check what run would do with the same flags: config, model ids, keys (never shown), a one-token request to the server, trace and cache folders',
      )
      .option('--json', 'print the checks as JSON'),
  )
}

function declareConfig(program: Command): Command {
  return program
    .command('config')
    .description('print the resolved config (secrets masked) and where each value came from')
    .option('--json', 'print JSON (the default; kept for symmetry)')
}

function declareEval(program: Command): Command {
  return engineFlags(
    queueFlags(program.command('eval'))
      .description('run a long-context eval suite (RLM vs a direct call), table on stdout')
      .requiredOption('--suite <names>', 'suite(s), comma-separated: s-niah, oolong, multi-hop, code-qa')
      .option('--sizes <list>', 'context sizes in tokens, e.g. 8k,128k', '8k')
      .option('--tasks <n>', 'tasks per suite and size', '3')
      .option('--seed <n>', 'task generator seed', '1')
      .option('--baseline <kind>', 'direct: also run one plain model call per task', 'none')
      .option('--offline', 'scripted strategy model: a mechanics check, no network')
      .option('--results <file>', 'JSONL results file (resumes tasks already in it)')
      .option('--html <file>', 'also write an HTML report')
      .option('--json', 'print the report as JSON')
      .option('-q, --quiet', 'no progress on stderr')
      .option(
        '--queue',
        "spread the RLM tasks over the queue's workers (rlm worker; --redis or RLM_REDIS_URL)",
      )
      .option('--parallel <n>', 'with --queue: tasks queued at once (default 32)'),
  )
}
