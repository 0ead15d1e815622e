// The flags of `rlm submit`, `rlm worker` and `rlm jobs` (commander only, so `rlm --help` stays
// light); program.ts adds queueFlags to each, and the engine flags to submit, like `rlm run`.

import { type Command, Option } from 'commander'
import { SEED_HELP } from '../run/seed-flag.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** Where the queue lives: every submitter and worker of one queue gives the same. */
export function queueFlags(cmd: Command): Command {
  return cmd
    .option('--redis <url>', "the queue's Redis, e.g. redis://10.0.0.5:6379 (default RLM_REDIS_URL)")
    .option('--queue-name <name>', 'queue name, the same for submitters and workers (default rlm-runs)')
}

export function submitFlags(cmd: Command): Command {
  return cmd
    .description('queue <query> as a durable job for `rlm worker`s (prints the job id; --wait follows it)')
    .argument('[query]', 'the question or task (or --query-file)')
    .option('--query-file <path>', 'read the query from a file, or - for stdin')
    .option(
      '-c, --context <path|url|->',
      'a file or folder every worker reads at the same path (repeatable), an http(s) URL, or - for stdin sent inline',
      collect,
      [],
    )
    .option('--seed <n>', `${SEED_HELP} (default: from the job id)`)
    .option('--wait', 'follow the job live and print its answer (exit codes as rlm run)')
    .addOption(
      new Option('--json', 'print one JSON document on stdout (the id, or with --wait the job)').conflicts(
        'events',
      ),
    )
    .option('--events', 'with --wait: stream the job events as NDJSON on stdout')
    .addOption(new Option('-q, --quiet', 'no progress on stderr').conflicts('verbose'))
    .option('-v, --verbose', 'with --wait: also show each reply, code cell and output on stderr')
}

export function workerFlags(cmd: Command): Command {
  return cmd
    .description('take queued runs until SIGTERM or Ctrl-C (the first lets the current jobs finish)')
    .option('--concurrency <n>', 'jobs this process runs at once (default 1)')
    .option(
      '--rate-limit <provider=limit/window>',
      'one limit for every worker, e.g. openai=500/1m (requests) or openai=2000000tok/1m (repeatable)',
      collect,
      [],
    )
    .option('--max-sub-calls <n>', 'sub-calls in flight across every worker of the queue')
    .option(
      '--trace-dir <dir>',
      "write each job's trace to <dir>/<job id>.jsonl (shared storage: any machine can rlm view it)",
    )
    .option(
      '--url-allow <prefix>',
      'a URL prefix a job context may start with (repeatable; default none)',
      collect,
      [],
    )
    .option('--lock-duration <duration>', "a dead worker's job goes to another after this (default 30s)")
    .option('--stalled-interval <duration>', 'how often workers look for stalled jobs (default 30s)')
    .option('--offline', "also run the eval's offline: models (rlm eval --queue --offline), no network")
    .option('-q, --quiet', 'no lines on stderr')
}

export function jobsFlags(cmd: Command): Command {
  return cmd
    .description('list the queued jobs, show one, cancel one (the whole run tree), or retry a failed one')
    .argument('[action]', 'list (default), show, cancel or retry')
    .argument('[id]', 'the job id (show, cancel, retry)')
    .option(
      '--state <states>',
      'list: waiting, delayed, active, completed, failed, cancelled (comma-separated)',
    )
    .option('--limit <n>', 'list: at most this many jobs, newest first (default 20)')
    .option(
      '--follow',
      'show: follow the job live until it ends, then print its answer (exit codes as rlm run)',
    )
    .addOption(new Option('-q, --quiet', 'with --follow: no progress on stderr').conflicts('verbose'))
    .option('-v, --verbose', 'with --follow: also show each reply, code cell and output on stderr')
    .option('--json', 'print one JSON document')
}
