import { extractCodeBlocks } from '../src/code-blocks.ts'

console.log(
  JSON.stringify(extractCodeBlocks('```js\nconst s = "```"\nconst t = `a ``` b`\nprint(s + t)\n```')),
)
console.log(JSON.stringify(extractCodeBlocks('```js\nconst t = `a\n```\nb ${"}"} c`\nprint(t)\n```\nafter')))
