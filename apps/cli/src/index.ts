// @rlm/cli: the `rlm` command. The package is mostly its bin; these exports let other tools run it
// in-process, map error codes to its exit codes, and build the trace viewer.

export { runCli } from './cli.ts'
export { type CliConfig, type CliConfigInput, cliConfigSchema } from './config/config-schema.ts'
export { EXIT, type ExitCode, exitCodeFor } from './exit-codes.ts'
export { buildViewerHtml } from './viewer/viewer-html.ts'
