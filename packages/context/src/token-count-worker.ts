// Worker: counts tokens of its byte ranges straight from the shared buffer (no copy of the text).
import { parentPort, workerData } from 'node:worker_threads'
import { countRangesSync } from './token-count.ts'
import { freeEncoders, type TokenEncodingName } from './token-encoding.ts'

const data = workerData as {
  buffer: SharedArrayBuffer
  offset: number
  length: number
  ranges: number[]
  encoding: TokenEncodingName
}
const bytes = new Uint8Array(data.buffer, data.offset, data.length)
const count = countRangesSync(bytes, data.ranges, data.encoding)
freeEncoders()
parentPort?.postMessage(count)
