import { describe, expect, it } from 'vitest'
import { extractNumbers, normalizeAnswer, scoreAnswer } from './scoring.ts'
import type { Expected } from './task.ts'

const task = (expected: Expected) => ({ expected })

describe('scoreAnswer', () => {
  it('accepts text answers up to case, whitespace, quotes, markdown, punctuation and lead-ins', () => {
    const t = task({ kind: 'text', value: 'Ljubljana' })
    for (const ok of [
      'Ljubljana',
      ' ljubljana ',
      '"Ljubljana"',
      "'Ljubljana.'",
      '**Ljubljana**',
      '`Ljubljana`',
      'The answer is Ljubljana.',
      'Answer: LJUBLJANA',
      'Final answer: "Ljubljana"!',
      'The company is headquartered in... it is Ljubljana',
    ]) {
      expect(scoreAnswer(t, ok), ok).toBe(1)
    }
    for (const bad of ['Lisbon', 'Ljubljana or Lisbon', 'Ljubljana, Lisbon', '', 'NOT FOUND']) {
      expect(scoreAnswer(t, bad), bad).toBe(0)
    }
    expect(scoreAnswer(t, null)).toBe(0)
    expect(scoreAnswer(t, undefined)).toBe(0)
  })

  it('accepts a short sentence whose last clause is the answer', () => {
    const t = task({ kind: 'text', value: '5675-7701' })
    expect(scoreAnswer(t, 'The access code for the Lavender Ocelot vault is 5675-7701.')).toBe(1)
    expect(scoreAnswer(t, 'The access code is 5675-7702.')).toBe(0)
  })

  it('accepts aliases such as a ./-prefixed path', () => {
    const t = task({ kind: 'text', value: 'src/a/b.ts', aliases: ['./src/a/b.ts'] })
    expect(scoreAnswer(t, './src/a/b.ts')).toBe(1)
    expect(scoreAnswer(t, '`src/a/b.ts`')).toBe(1)
    expect(scoreAnswer(t, 'src/a/c.ts')).toBe(0)
  })

  it('compares numbers after removing thousands separators, and rejects several different numbers', () => {
    const t = task({ kind: 'number', value: 1234 })
    for (const ok of [
      '1234',
      '1,234',
      '1 234',
      '1_234',
      '1234.0',
      'There are 1,234 tickets.',
      'The answer is **1234**',
    ]) {
      expect(scoreAnswer(t, ok), ok).toBe(1)
    }
    for (const bad of ['1235', '12,34', '1234 or 1235', 'about a thousand', '1.234']) {
      expect(scoreAnswer(t, bad), bad).toBe(0)
    }
  })

  it('scores unordered lists in any order and format, but not with missing or extra items', () => {
    const t = task({ kind: 'list', values: ['billing', 'refund', 'login'], ordered: false })
    for (const ok of [
      'billing, refund, login',
      'login, billing and refund',
      'Refund; Login; Billing',
      '["login", "refund", "billing"]',
      '1. billing\n2. refund\n3. login',
      '- billing\n- login\n- refund',
      'The answer is: billing, refund, login.',
    ]) {
      expect(scoreAnswer(t, ok), ok).toBe(1)
    }
    for (const bad of ['billing, refund', 'billing, refund, login, outage', 'billing, refund, outage']) {
      expect(scoreAnswer(t, bad), bad).toBe(0)
    }
  })

  it('scores ordered lists only in order', () => {
    const t = task({ kind: 'list', values: ['a1', 'b2'], ordered: true })
    expect(scoreAnswer(t, 'A1, B2')).toBe(1)
    expect(scoreAnswer(t, 'b2, a1')).toBe(0)
  })

  it('accepts a multiple-choice letter in its usual forms, or the option itself', () => {
    const t = task({ kind: 'choice', letter: 'C', option: 'loadPendingInvoice' })
    for (const ok of [
      'C',
      'c',
      '(C)',
      'C)',
      'C.',
      'Option C',
      'The answer is C.',
      'C) loadPendingInvoice',
      'loadPendingInvoice',
    ]) {
      expect(scoreAnswer(t, ok), ok).toBe(1)
    }
    for (const bad of ['B', 'C) saveOrder', 'A, C', 'loadPendingInvoiceBatch']) {
      expect(scoreAnswer(t, bad), bad).toBe(0)
    }
  })
})

describe('normalizeAnswer and extractNumbers', () => {
  it('normalizes full-width characters and nested wrappers', () => {
    expect(normalizeAnswer('  “**ＡＢＣ**”. ')).toBe('abc')
  })

  it('finds grouped and plain numbers', () => {
    expect(extractNumbers('1,234 and 56 and 7 890 123')).toEqual([1234, 56, 7890123])
  })
})
