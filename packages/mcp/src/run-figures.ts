// How progress lines and result summaries write counts and money: "1 iteration", "2,335 tokens",
// "$0.0123 (+4 unpriced calls)" — a cost the providers did not price is said, never shown as $0.

const number = new Intl.NumberFormat('en-US')

export function countOf(n: number, unit: string): string {
  return `${number.format(n)} ${unit}${n === 1 ? '' : 's'}`
}

export function costText(usd: number, unpricedCalls: number): string {
  const money = usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`
  return unpricedCalls > 0 ? `${money} (+${countOf(unpricedCalls, 'unpriced call')})` : money
}
