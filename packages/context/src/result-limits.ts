// The result budgets' numbers, apart from the zod schemas that default to them: the search and
// chunk workers import these, and loading zod there cost each worker ~12 MiB of RSS.

/** Default result budget of one search: 64 Mi characters of hit text and snippets. */
export const DEFAULT_MAX_RESULT_CHARS = 64 * 2 ** 20
/** What one hit's object costs beyond its strings, counted against maxResultChars. */
export const HIT_OVERHEAD_CHARS = 64
export const DEFAULT_MAX_CHUNKS = 100_000
