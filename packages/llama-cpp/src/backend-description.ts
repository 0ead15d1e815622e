// One line on where a llama.cpp model runs — the binary, CPU or which GPU, how many layers
// are offloaded, the context — for `rlm doctor` and logs.
import type { ChatWrapper, Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'

export async function describeBackend(
  llama: Llama,
  model: LlamaModel,
  context: LlamaContext,
  chatWrapper: ChatWrapper,
): Promise<string> {
  const binary = llama.buildType === 'prebuilt' ? 'prebuilt binary' : 'local build'
  let where: string
  if (llama.gpu === false) {
    where = `CPU (${llama.cpuMathCores} math cores)`
  } else {
    const devices = await llama.getGpuDeviceNames().catch(() => [])
    const names = devices.length ? ` ${devices.join(', ')}` : ''
    where = `GPU ${llama.gpu}${names}, ${model.gpuLayers} layers offloaded`
  }
  const sequences = context.totalSequences
  return `llama.cpp ${binary} on ${where}; context ${context.contextSize} tokens × ${sequences} sequence${sequences === 1 ? '' : 's'}; chat template ${chatWrapper.wrapperName}`
}
