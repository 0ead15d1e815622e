import { packageProject } from '@rlm/vitest-config'

export default packageProject('@rlm/llama-cpp')
