import { packageProject } from '@rlm/vitest-config'

// The slow end-to-end files (`*.queue.test.ts`) are the `queue` set: `npx -y pnpm@10 run test:queue`.
export default packageProject('@rlm/queue')
