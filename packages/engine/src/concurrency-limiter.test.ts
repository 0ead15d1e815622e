import { describe, expect, it } from 'vitest'
import { createConcurrencyLimiter } from './concurrency-limiter.ts'

const tick = () => new Promise((r) => setTimeout(r, 1))

describe('createConcurrencyLimiter', () => {
  it('never runs more than the limit at once and runs every task in FIFO order', async () => {
    const limiter = createConcurrencyLimiter(3)
    let live = 0
    let peak = 0
    const order: number[] = []
    const tasks = Array.from({ length: 20 }, (_, i) =>
      limiter.run(async () => {
        order.push(i)
        live++
        peak = Math.max(peak, live)
        await tick()
        live--
        return i * 2
      }),
    )
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
    expect(peak).toBe(3)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(limiter.active).toBe(0)
  })

  it('releases the slot when a task throws', async () => {
    const limiter = createConcurrencyLimiter(1)
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await limiter.run(async () => 'ok')).toBe('ok')
  })

  it('drops a waiting task whose signal aborts, without losing the slot', async () => {
    const limiter = createConcurrencyLimiter(1)
    let release!: () => void
    const first = limiter.run(() => new Promise<void>((r) => (release = r)))
    const ac = new AbortController()
    const waiting = limiter.run(async () => 'never', ac.signal)
    ac.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'E_ABORTED' })
    release()
    await first
    expect(await limiter.run(async () => 'next')).toBe('next')
    expect(limiter.pending).toBe(0)
  })
})
