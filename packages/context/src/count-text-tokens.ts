// Exact token count of one string (a prompt, not a context): used where an estimate is not enough,
// e.g. deciding whether a prompt near a model's window still fits.
import { DEFAULT_ENCODING, encodingForModel, getEncoder, type TokenEncodingName } from './token-encoding.ts'

/** Tokens of `text` under `encoding` (default: the one `model` uses, else o200k_base). */
export function countTextTokens(
  text: string,
  options: { encoding?: TokenEncodingName; model?: string } = {},
): number {
  const name = options.encoding ?? (options.model ? encodingForModel(options.model) : DEFAULT_ENCODING)
  // Special-token text in a prompt is plain text to the provider, so count it as ordinary text.
  return getEncoder(name).encode_ordinary(text).length
}
