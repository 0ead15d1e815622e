// A careless server's error answer: it repeats the credentials it was sent, in the message, as a
// header line and as the bare key. For tests that prove a key never leaves the host through any
// output (answer, result, trace, events, logs), whatever the server says.
import type { ReceivedRequest, StatusFault } from './loopback-server.ts'

const header = (request: ReceivedRequest, name: string): string =>
  [request.headers[name]].flat().filter(Boolean).join(', ')

/** An error reply (default HTTP 400) that echoes the request's Authorization and x-api-key values. */
export function echoCredentials(request: ReceivedRequest, status = 400): StatusFault {
  const authorization = header(request, 'authorization')
  const apiKey = header(request, 'x-api-key')
  const bare = authorization.replace(/^Bearer\s+/i, '') || apiKey
  return {
    status,
    message: `Incorrect API key provided: ${bare}. You sent Authorization: ${authorization}; x-api-key: ${apiKey}; key=${bare}`,
  }
}
