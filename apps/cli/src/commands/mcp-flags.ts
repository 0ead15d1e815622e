// The flags of `rlm mcp` (commander only, so `rlm --help` stays light); the engine flags are added
// by program.ts like every other command's.

import type { Command } from 'commander'

export const DEFAULT_MCP_PORT = 8788

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

export function mcpFlags(cmd: Command): Command {
  return cmd
    .description(
      'serve rlm to coding agents over MCP (stdio, or --http): rlm_ask, context_search, context_describe',
    )
    .option(
      '--root <dir>',
      'a folder the tools may read (repeatable; default: the roots the client shares, else none)',
      collect,
      [],
    )
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .option('--host <host>', 'with --http: address to listen on (default 127.0.0.1; any other needs a token)')
    .option('--port <n>', `with --http: port to listen on (default ${DEFAULT_MCP_PORT}; 0 picks a free one)`)
    .option('--token <token>', 'with --http: bearer token clients must send (better: RLM_MCP_TOKEN)')
    .option(
      '--ignore <glob>',
      'leave matching paths out of folders (.gitignore syntax, repeatable)',
      collect,
      [],
    )
    .option('--no-default-ignores', 'also read node_modules, .git, dist, build and the like')
    .option('--no-trace', 'write no trace files (rlm_ask then returns no trace)')
    .option('--max-concurrent-runs <n>', 'rlm_ask runs in progress at once; more wait (default 4)')
}
