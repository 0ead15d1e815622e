// What the CLI tells a person to do about an error: a hint for the error's code (else for its
// exit code), and the library's advice reworded in the CLI's terms — a message from a package
// may name a library option (`timeoutMs`, `options.providers`) that has a flag here instead.

import { EXIT } from '@rlm/errors'

/** Advice for a code, given unless the message already names the flag (`flag`). */
const BY_CODE: Record<string, { hint: string; flag: string }> = {
  E_PROVIDER_RATE_LIMIT: {
    hint: 'the provider is rate-limiting this key: wait a minute and retry, or lower --concurrency (default 16) so fewer calls run at once.',
    flag: '--concurrency',
  },
  E_PROVIDER_TIMEOUT: {
    hint: 'raise --request-timeout (default 120s; RLM_REQUEST_TIMEOUT) if the model is slow, or check the server (`rlm doctor`).',
    flag: '--request-timeout',
  },
}

const BY_EXIT: Record<number, string> = {
  [EXIT.usage]: 'check the command line, rlm.config.json and RLM_* variables (`rlm config`, `rlm --help`).',
  [EXIT.provider]: 'check the model id, key and server (`rlm doctor`), then retry.',
  [EXIT.budget]: 'raise the budget (--budget-tokens, --budget-usd, --timeout, --max-iterations).',
  [EXIT.internal]: 'this is a bug or a sandbox limit; rerun with --verbose and report it with the trace.',
  [EXIT.interrupted]: 'the run was interrupted.',
}

/** Library advice → the same advice for the command line. */
const CLI_WORDING: Array<[RegExp, string]> = [
  [/\braise timeoutMs\b/g, 'raise --request-timeout'],
  [/ or pass apiKey in the provider settings\b/g, ' (or put it in .env)'],
  [/\bcheck the apiKey in the provider settings\b/g, 'check RLM_API_KEY (the key sent to --base-url)'],
  [
    /\bor configure an alias in options\.providers\b/g,
    'and pass --model <package>:<model>, or name a provider module file: --model ./my-provider.mjs:<model>',
  ],
]

const SAYS_WHAT_TO_DO =
  /\b(pass|set|see|use|install|add|check|start|raise|give|run|choose|remove|rename|wait|lower|is .+ running)\b/i

export function inCliTerms(message: string): string {
  let out = message
  for (const [pattern, replacement] of CLI_WORDING) out = out.replace(pattern, replacement)
  return out
}

/** The " To fix: ..." sentence, or '' when the message already says what to do. */
export function hintFor(code: string, exitCode: number, message: string): string {
  const specific = BY_CODE[code]
  if (specific && !message.includes(specific.flag)) return ` To fix: ${specific.hint}`
  if (SAYS_WHAT_TO_DO.test(message)) return ''
  return ` To fix: ${BY_EXIT[exitCode] ?? BY_EXIT[EXIT.internal]}`
}
