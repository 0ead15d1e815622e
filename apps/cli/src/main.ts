// Entry point of the rlm command (started by bin/rlm.js, or tooling/scripts/rlm-workspace.mjs in
// the repository): run, then exit with the command's code even when worker threads or keep-alive
// sockets would hold the process open.

import { runCli } from './cli.ts'

const code = await runCli(process.argv.slice(2))
process.exit(code)
