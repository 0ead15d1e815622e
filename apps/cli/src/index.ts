// @rlm/cli: the `rlm` command. The package is mostly its bin; these exports let other tools run it
// in-process and map error codes to its exit codes (the trace viewer is @rlm/viewer).

export { EXIT, type ExitCode, exitCodeFor } from '@rlm/errors'
export { runCli } from './cli.ts'
export { type CliConfig, type CliConfigInput, cliConfigSchema } from './config/config-schema.ts'
