// GBNF grammars that steer the random tiny model in the tests.

/** A reply that is one code block calling FINAL with a lowercase word, then the end of the reply. */
export const FINAL_BLOCK = 'root ::= "```js\\nFINAL(\\"" [a-z]{3,8} "\\")\\n```"'

/** "ab" forever: the reply never completes, so only maxOutputTokens, a stop or an abort end it. */
export const ENDLESS = 'root ::= "ab" root'

/** A fixed reply with a stop sequence inside it. */
export const WITH_STOP = 'root ::= "hello END world"'
