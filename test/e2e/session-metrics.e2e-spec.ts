import request from 'supertest';
import { Clock } from '../../src/clock';
import type { JobContext } from '../../src/jobs/job-registry';
import { ReconcileSessionsJob } from '../../src/jobs/reconcile-sessions.job';
import { customSpayonSession, useSpayonSuite, waitForStatus } from '../support/spayon';

/** What an operator reads at /metrics about sessions and provider calls, after real sessions over the Spayon simulator. */
describe('session and provider metrics', () => {
  const suite = useSpayonSuite();
  const metrics = async () => (await request(suite.app.url).get('/metrics').expect(200)).text;
  const sample = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  const create = () => suite.app.api().post('/v1/sessions', customSpayonSession);

  it('counts sessions created by provider and status, and finished by provider, status and lateness', async () => {
    const before = await metrics();
    const paid = (await create().expect(201)).body;
    const declined = (await create().expect(201)).body;
    const cancelled = (await create().expect(201)).body;
    suite.simulator.faults.set({ errorRate: 1 });
    await create().expect(502);
    suite.simulator.faults.reset();

    suite.simulator.pay(paid.provider_session_id);
    suite.simulator.decline(declined.provider_session_id, '05');
    await suite.app.api().post(`/v1/sessions/${cancelled.id}/cancel`).expect(200);
    await waitForStatus(suite.app, paid.id, 'succeeded');
    await waitForStatus(suite.app, declined.id, 'failed');
    // Spayon keeps its page payable after a local cancel: the late payment counts again, as late.
    suite.simulator.pay(cancelled.provider_session_id);
    await waitForStatus(suite.app, cancelled.id, 'succeeded');

    const after = await metrics();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('paymux_sessions_created_total{provider="spayon",status="open"}')).toBe(3);
    expect(delta('paymux_sessions_created_total{provider="spayon",status="failed"}')).toBe(1);
    expect(delta('paymux_sessions_finished_total{provider="spayon",status="succeeded",late="false"}')).toBe(1);
    expect(delta('paymux_sessions_finished_total{provider="spayon",status="failed",late="false"}')).toBe(2);
    expect(delta('paymux_sessions_finished_total{provider="spayon",status="cancelled",late="false"}')).toBe(1);
    expect(delta('paymux_sessions_finished_total{provider="spayon",status="succeeded",late="true"}')).toBe(1);
    expect(after).toContain('# HELP paymux_sessions_finished_total');
  });

  it("puts the scheduled jobs' provider calls in the provider latency histogram", async () => {
    const session = (await create().expect(201)).body;
    const series = 'paymux_provider_request_duration_seconds_count{provider="spayon",operation="fetch_status",outcome="ok"}';
    const before = sample(await metrics(), series);
    // Quiet for longer than RECONCILE_AFTER_SECONDS (300 by default): the reconcile job asks Spayon.
    suite.app.paymux.app.get(Clock).advance(400_000);
    const context: JobContext = { signal: new AbortController().signal, instanceId: 'test' };
    const result = await suite.app.paymux.app.get(ReconcileSessionsJob).run(context);
    expect(result.examined).toBeGreaterThanOrEqual(1);
    expect(sample(await metrics(), series)).toBeGreaterThan(before);
    expect((await suite.app.api().get(`/v1/sessions/${session.id}`).expect(200)).body.status).toBe('open');
  });
});
