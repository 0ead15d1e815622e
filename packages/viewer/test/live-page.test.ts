import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { buildViewData, renderTraceHtml, type ViewData } from '../src/index.ts'
import { hostile } from './hostile-traces.ts'

interface LiveBoot {
  live: {
    events: unknown[]
    issues: unknown[]
    title: string
    limits: unknown
    eventsUrl: string
    eventTypes: string[]
  }
}

function scripts(html: string): { data: LiveBoot; fold: string } {
  const data = /<script type="application\/json" id="rlm-data">(.*?)<\/script>/s.exec(html)?.[1] as string
  const fold = /<script>(var rlmFold = .*?)<\/script>/s.exec(html)?.[1] as string
  return { data: JSON.parse(data) as LiveBoot, fold }
}

describe('the live page (eventsUrl)', () => {
  it('carries the fold as a self-contained script that folds exactly as the static page does', () => {
    for (const trace of [hostile.nullText(), hostile.deepChain(200), hostile.newerEngine()]) {
      const { data, fold } = scripts(renderTraceHtml(trace, { eventsUrl: '/events', title: 't' }))
      // a fresh context with nothing of this module in it: a function missing from the script fails here
      const { live } = data
      const view = runInNewContext(
        `${fold}
        var state = rlmFold.createFold(live.limits);
        live.events.forEach(function (e) { rlmFold.foldEvent(state, e); });
        live.issues.forEach(function (i) { rlmFold.foldIssue(state, i); });
        JSON.stringify(rlmFold.viewOf(state, live.title));`,
        { live },
      )
      expect(JSON.parse(view) as ViewData).toEqual(
        JSON.parse(JSON.stringify(buildViewData(trace, { title: 't' }))),
      )
    }
  })

  it('may connect to the events origin only; anything but http(s) or a relative path is E_USAGE', () => {
    const csp = (html: string) => /Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]
    expect(csp(renderTraceHtml(hostile.nullText()))).not.toContain('connect-src')
    expect(csp(renderTraceHtml('', { eventsUrl: '/v1/runs/1/events' }))).toContain("connect-src 'self';")
    expect(
      csp(renderTraceHtml('', { eventsUrl: 'http://127.0.0.1:8787/v1/runs/1/events?after=3' })),
    ).toContain('connect-src http://127.0.0.1:8787;')
    expect(() => renderTraceHtml('', { eventsUrl: 'javascript:alert(1)' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    )
  })
})
