// A raw JSON-RPC POST to an MCP HTTP endpoint with chosen headers — Host included, which fetch
// does not let a caller set — for checks of who may connect.

import { request } from 'node:http'

/** An `initialize` request, the one a client without a session may send. */
export const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'rlm-conformance', version: '1' },
  },
})

export function postMcp(
  url: string,
  headers: Record<string, string>,
  body: string = INITIALIZE_BODY,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (d: string) => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
