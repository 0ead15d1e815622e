// Colour for one output stream: only on a TTY, never when NO_COLOR is set (https://no-color.org),
// through Node's own styleText.

import { styleText } from 'node:util'

type Format = Parameters<typeof styleText>[0]

export interface Style {
  readonly color: boolean
  paint(format: Format, text: string): string
}

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  return stream.isTTY === true
}

export function createStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const color = colorEnabled(stream, env)
  return {
    color,
    paint: (format, text) => (color ? styleText(format, text, { validateStream: false }) : text),
  }
}
