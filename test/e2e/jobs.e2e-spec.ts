import { Clock } from '../../src/clock';
import { JobRegistry } from '../../src/jobs/job-registry';
import { JobRun } from '../../src/jobs/job-run.entity';
import { JobRunner } from '../../src/jobs/job-runner';
import { JobState } from '../../src/jobs/job-state.entity';
import { JobStates } from '../../src/jobs/job-states';
import { IdempotencyRecord } from '../../src/sessions/idempotency-record.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { waitFor } from '../support/wait';

const JOB_NAMES = ['expire-sessions', 'purge-idempotency-keys', 'reconcile-sessions'];

describe('Jobs API', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());
  afterEach(() => app.paymux.app.get(Clock).reset());
  const jobView = async (name: string) => (await app.api().get('/v1/jobs').expect(200)).body.data.find((job: { name: string }) => job.name === name);

  it('lists every job with its schedule, pause state, last run and next run', async () => {
    const res = await app.api().get('/v1/jobs').expect(200);
    expect(res.body).toMatchObject({ object: 'list', has_more: false });
    expect(res.body.data.map((job: { name: string }) => job.name)).toEqual(expect.arrayContaining(JOB_NAMES));
    expect(res.body.data.find((job: { name: string }) => job.name === 'expire-sessions')).toEqual({
      object: 'job', name: 'expire-sessions', interval_seconds: 30, enabled: false, paused: false, running: false,
      last_run: null, last_success_at: null, idle_runs: 0, last_idle_at: null, next_run_at: null,
    });
  });

  it('needs an API key', async () => {
    const request = (await import('supertest')).default;
    await request(app.url).get('/v1/jobs').expect(401);
  });

  it.each([
    ['get', '/v1/jobs/no-such-job/runs'],
    ['post', '/v1/jobs/no-such-job/run'],
    ['post', '/v1/jobs/no-such-job/pause'],
    ['post', '/v1/jobs/no-such-job/resume'],
  ] as const)('answers 404 in the API error shape for an unknown job (%s %s)', async (method, path) => {
    const res = await app.api()[method](path).expect(404);
    expect(res.body).toEqual(apiError('not_found_error', { code: 'resource_missing', message: "No such job: 'no-such-job'" }));
  });

  it('pauses a job for every instance; pausing it again answers 200 and changes nothing; resume undoes it', async () => {
    const first = await app.api().post('/v1/jobs/reconcile-sessions/pause').expect(200);
    expect(first.body).toMatchObject({ name: 'reconcile-sessions', paused: true, next_run_at: null });
    const stored = await app.em().findOneOrFail(JobState, { job: 'reconcile-sessions' });
    app.paymux.app.get(Clock).advance(5000);
    const second = await app.api().post('/v1/jobs/reconcile-sessions/pause').expect(200);
    expect(second.body).toEqual(first.body);
    expect((await app.em().findOneOrFail(JobState, { job: 'reconcile-sessions' })).updatedAt).toEqual(stored.updatedAt);

    const resumed = await app.api().post('/v1/jobs/reconcile-sessions/resume').expect(200);
    expect(resumed.body).toMatchObject({ name: 'reconcile-sessions', paused: false });
    await app.api().post('/v1/jobs/reconcile-sessions/resume').expect(200);
    expect((await app.em().findOneOrFail(JobState, { job: 'reconcile-sessions' })).paused).toBe(false);
  });

  it("records nothing for a paused job's scheduled tick, and runs it again once resumed", async () => {
    const job = app.paymux.app.get(JobRegistry).get('purge-idempotency-keys')!;
    const runner = app.paymux.app.get(JobRunner);
    await app.api().post('/v1/jobs/purge-idempotency-keys/pause').expect(200);
    const before = await app.em().count(JobRun, { job: job.name });
    expect(await runner.runScheduled(job)).toBeNull();
    expect(await app.em().count(JobRun, { job: job.name })).toBe(before);
    expect((await jobView('purge-idempotency-keys')).idle_runs).toBe(0);
    await app.api().post('/v1/jobs/purge-idempotency-keys/resume').expect(200);
    expect((await runner.runScheduled(job))?.status).toBe('succeeded');
    // Nothing to purge: the run is counted on the job, not kept as a run.
    expect(await app.em().count(JobRun, { job: job.name })).toBe(before);
    expect(await jobView('purge-idempotency-keys')).toMatchObject({ idle_runs: 1, last_idle_at: expect.any(String) });
  });

  it('keeps a scheduled run that did work or failed as a run, and counts the idle ones on the job', async () => {
    let outcome: 'idle' | 'work' | 'fail' = 'idle';
    const job = {
      name: 'test-sometimes-busy',
      run: async () => {
        if (outcome === 'fail') throw new Error('the busy job broke');
        return outcome === 'work' ? { examined: 2, changed: 2 } : { examined: 0, changed: 0 };
      },
    };
    app.paymux.app.get(JobRegistry).register(job);
    await app.paymux.app.get(JobStates).ensure([job.name]);
    const runner = app.paymux.app.get(JobRunner);
    for (let i = 0; i < 3; i++) await runner.runScheduled(job);
    outcome = 'work';
    await runner.runScheduled(job);
    outcome = 'fail';
    await runner.runScheduled(job);
    outcome = 'idle';
    await runner.runScheduled(job);
    const runs = await app.api().get(`/v1/jobs/${job.name}/runs`).expect(200);
    expect(runs.body.data.map((run: { status: string; changed: number }) => [run.status, run.changed])).toEqual([['failed', 0], ['succeeded', 2]]);
    expect(await jobView(job.name)).toMatchObject({ idle_runs: 4, last_idle_at: expect.any(String), last_run: { status: 'failed' } });
  });

  it('prunes job runs older than JOB_RUNS_RETENTION_DAYS and keeps younger ones', async () => {
    const now = Date.now();
    const day = 24 * 3600 * 1000;
    const em = app.em();
    const old = Object.assign(new JobRun(), { job: 'expire-sessions', instanceId: 'gone', startedAt: new Date(now - 15 * day), finishedAt: new Date(now - 15 * day), status: 'succeeded' });
    const crashed = Object.assign(new JobRun(), { job: 'expire-sessions', instanceId: 'killed', startedAt: new Date(now - 20 * day), status: 'running' });
    const young = Object.assign(new JobRun(), { job: 'expire-sessions', instanceId: 'here', startedAt: new Date(now - 13 * day), finishedAt: new Date(now - 13 * day), status: 'succeeded' });
    await em.persistAndFlush([old, crashed, young]);
    const res = await app.api().post('/v1/jobs/prune-job-runs/run').expect(200);
    expect(res.body).toMatchObject({ status: 'succeeded', changed: 2 });
    const left = await app.em().find(JobRun, { id: { $in: [old.id, crashed.id, young.id] } });
    expect(left.map((run) => run.id)).toEqual([young.id]);
    const jobs = await app.api().get('/v1/jobs').expect(200);
    expect(jobs.body.data.map((job: { name: string }) => job.name)).toContain('prune-job-runs');
  });

  it('runs a job now, answers the finished run, and shows it as the last run', async () => {
    const res = await app.api().post('/v1/jobs/expire-sessions/run').expect(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^run_/), object: 'job_run', job: 'expire-sessions', instance_id: expect.any(String),
      started_at: expect.any(String), finished_at: expect.any(String), status: 'succeeded', examined: 0, changed: 0, error: null,
    });
    const jobs = await app.api().get('/v1/jobs').expect(200);
    const job = jobs.body.data.find((j: { name: string }) => j.name === 'expire-sessions');
    expect(job.last_run).toEqual(res.body);
    expect(job.last_success_at).toBe(res.body.finished_at);
  });

  it('pages through runs newest first with limit and starting_after', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await app.api().post('/v1/jobs/reconcile-sessions/run').expect(200)).body.id);
    const newestFirst = [...ids].reverse();
    const page1 = await app.api().get('/v1/jobs/reconcile-sessions/runs?limit=2').expect(200);
    expect(page1.body).toMatchObject({ object: 'list', has_more: true });
    expect(page1.body.data.map((run: { id: string }) => run.id)).toEqual(newestFirst.slice(0, 2));
    const page2 = await app.api().get(`/v1/jobs/reconcile-sessions/runs?limit=2&starting_after=${newestFirst[1]}`).expect(200);
    expect(page2.body.data.map((run: { id: string }) => run.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await app.api().get(`/v1/jobs/reconcile-sessions/runs?limit=2&starting_after=${newestFirst[3]}`).expect(200);
    expect(page3.body).toMatchObject({ has_more: false });
    expect(page3.body.data.map((run: { id: string }) => run.id)).toEqual(newestFirst.slice(4));
    await app.api().get('/v1/jobs/reconcile-sessions/runs?limit=0').expect(400);
    await app.api().get('/v1/jobs/reconcile-sessions/runs?page=2').expect(400);
  });

  it('records a job that throws as failed with its error, and the next run proceeds', async () => {
    let calls = 0;
    app.paymux.app.get(JobRegistry).register({
      name: 'test-flaky',
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('the flaky job broke');
        return { examined: 3, changed: 1 };
      },
    });
    const failed = await app.api().post('/v1/jobs/test-flaky/run').expect(200);
    expect(failed.body).toMatchObject({ status: 'failed', error: 'the flaky job broke', finished_at: expect.any(String) });
    const next = await app.api().post('/v1/jobs/test-flaky/run').expect(200);
    expect(next.body).toMatchObject({ status: 'succeeded', examined: 3, changed: 1, error: null });
    const runs = await app.api().get('/v1/jobs/test-flaky/runs').expect(200);
    expect(runs.body.data.map((run: { status: string }) => run.status)).toEqual(['succeeded', 'failed']);
    const metrics = await app.api().get('/metrics').expect(200);
    expect(metrics.text).toContain('paymux_job_runs_total{job="test-flaky",status="failed"} 1');
    expect(metrics.text).toContain('paymux_job_runs_total{job="test-flaky",status="succeeded"} 1');
    expect(metrics.text).toMatch(/paymux_job_duration_seconds_count\{job="test-flaky"\} 2/);
    expect(metrics.text).toMatch(/paymux_job_last_success_timestamp_seconds\{job="test-flaky"\} \d+/);
  });

  it('answers 409 for a run-now while the job is already running in this instance', async () => {
    let release: (() => void) | undefined;
    app.paymux.app.get(JobRegistry).register({
      name: 'test-slow',
      run: () => new Promise((resolve) => (release = () => resolve({ examined: 0, changed: 0 }))),
    });
    const first = app.api().post('/v1/jobs/test-slow/run').then((res) => res);
    // Running, and inside the job itself (the runner records the run before it calls the job).
    await waitFor(async () => app.paymux.app.get(JobRunner).isRunning('test-slow') && release !== undefined);
    const res = await app.api().post('/v1/jobs/test-slow/run').expect(409);
    expect(res.body).toEqual(apiError('conflict_error', { code: 'job_running' }));
    release!();
    expect((await first).status).toBe(200);
  });

  it('purges idempotency records older than 24 hours and keeps younger ones', async () => {
    const now = app.paymux.app.get(Clock).now().getTime();
    const record = (key: string, ageMs: number) => Object.assign(new IdempotencyRecord(), {
      apiKeyId: 'key_purge', key, fingerprint: 'fp', state: 'completed', responseStatus: 201, responseBody: '{}',
      lockedUntil: new Date(now - ageMs), createdAt: new Date(now - ageMs),
    });
    const em = app.em();
    await em.persistAndFlush([record('old-1', 25 * 3600_000), record('old-2', 24 * 3600_000 + 1000), record('young', 23 * 3600_000)]);
    const res = await app.api().post('/v1/jobs/purge-idempotency-keys/run').expect(200);
    expect(res.body).toMatchObject({ status: 'succeeded', changed: 2 });
    expect((await app.em().find(IdempotencyRecord, { apiKeyId: 'key_purge' })).map((r) => r.key)).toEqual(['young']);
  });
});

describe('Job health', () => {
  let app: TestApp;
  const everyHour = {
    JOBS_ENABLED: 'true',
    JOB_EXPIRE_SESSIONS_INTERVAL_SECONDS: '3600',
    JOB_RECONCILE_SESSIONS_INTERVAL_SECONDS: '3600',
    JOB_PURGE_IDEMPOTENCY_KEYS_INTERVAL_SECONDS: '3600',
    JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS: '3600',
    // The housekeeping jobs stay out of this test's way.
    JOBS_DISABLED: 'reconcile-sessions,reconcile-refunds,prune-job-runs,purge-admin-sessions',
  };
  beforeAll(async () => (app = await startTestApp(everyHour)));
  afterAll(() => app.close());

  it('is ready while jobs are fresh, not ready when a job has not succeeded for 3 intervals, except paused or disabled ones', async () => {
    const jobs = await app.api().get('/v1/jobs').expect(200);
    const expire = jobs.body.data.find((j: { name: string }) => j.name === 'expire-sessions');
    expect(expire).toMatchObject({ enabled: true, interval_seconds: 3600, next_run_at: expect.any(String) });
    expect(jobs.body.data.find((j: { name: string }) => j.name === 'reconcile-sessions')).toMatchObject({ enabled: false, next_run_at: null });
    await app.api().get('/health/ready').expect(200);

    app.paymux.app.get(Clock).advance(3 * 3600_000 + 1000);
    const stale = await app.api().get('/health/ready').expect(503);
    expect(stale.body).toMatchObject({
      status: 'error',
      details: {
        database: { status: 'up' },
        jobs: {
          status: 'down',
          'expire-sessions': { status: 'down', problem: expect.stringContaining('more than 3 intervals') },
          'purge-idempotency-keys': { status: 'down' },
          'deliver-notifications': { status: 'down' },
          'reconcile-sessions': { status: 'up' },
        },
      },
    });

    await app.api().post('/v1/jobs/expire-sessions/run').expect(200);
    await app.api().post('/v1/jobs/deliver-notifications/run').expect(200);
    await app.api().post('/v1/jobs/purge-idempotency-keys/pause').expect(200);
    await app.api().get('/health/ready').expect(200);
  });
});
