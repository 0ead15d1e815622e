// GET /v1/runs/:id/view: the @rlm/viewer page of a run. While the run goes, the page holds the
// events so far and follows the rest on the run's events stream; once it ended, a static page.

import { renderTraceHtml } from '@rlm/viewer'
import type { ManagedRun } from './managed-run.ts'

export function liveViewPage(run: ManagedRun, token: string | undefined): string {
  const events = run.eventsAfter(0).map(([, e]) => e)
  const title = `rlm ${run.id}`
  if (run.ended) return renderTraceHtml(events, { title })
  // EventSource cannot send an Authorization header: a page opened with ?token= passes it on.
  const auth = token ? `&token=${encodeURIComponent(token)}` : ''
  return renderTraceHtml(events, {
    title,
    eventsUrl: `/v1/runs/${run.id}/events?after=${events.length}${auth}`,
  })
}
