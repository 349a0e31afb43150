import { Writable } from 'node:stream';
import { AppLogger, createLogger, inRequestScope, logAnswer, recordFailure, serializeError } from './logging';

describe('error serialisation for logs', () => {
  it('keeps type, message, code and stack of an error', () => {
    const error = Object.assign(new Error('simulated failure'), { code: 'http_500' });
    expect(serializeError(error)).toEqual({ type: 'Error', message: 'simulated failure', code: 'http_500', stack: expect.stringContaining('simulated failure') });
  });

  it('reads errors that arrive as plain objects, instead of "[object Object]"', () => {
    expect(serializeError({ type: 'Error', message: 'failed with status code 502' })).toMatchObject({ message: 'failed with status code 502' });
  });

  it('never carries an HTTP client’s request config, headers or body', () => {
    const axiosLike = Object.assign(new Error('Request failed'), {
      config: { headers: { Authorization: 'Basic c2tfdGVzdF9zZWNyZXQ6' }, data: '{"client_secret":"shh"}' },
      response: { data: { number: '4242424242424242' } },
    });
    const logged = JSON.stringify(serializeError(axiosLike));
    expect(logged).not.toMatch(/Basic|client_secret|shh|4242/);
  });
});


/** A logger writing its JSON lines into an array. */
function recordingLogger(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { pino: createLogger({ logLevel: level as 'info' }, destination), lines };
}

describe('the logger', () => {
  it('puts the request id on every line logged while a request is handled, and on no other', async () => {
    const { pino, lines } = recordingLogger();
    const logger = new AppLogger(pino);
    await new Promise<void>((resolve) =>
      inRequestScope('req-1', () => {
        logger.log('inside', 'products');
        // After an await, as in a handler that reads the database.
        void Promise.resolve().then(() => {
          logger.warn({ sessionId: 'ses_1' }, 'later inside', 'sessions');
          resolve();
        });
      }),
    );
    logger.log('outside', 'jobs');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'inside', context: 'products', request_id: 'req-1' }),
      expect.objectContaining({ level: 40, msg: 'later inside', context: 'sessions', sessionId: 'ses_1', request_id: 'req-1' }),
      expect.objectContaining({ level: 30, msg: 'outside', context: 'jobs' }),
    ]);
    expect(lines[2]).not.toHaveProperty('request_id');
  });

  it('maps Nest’s calls: an Error becomes err, a stack trace passed to error becomes the error’s stack, levels are kept', () => {
    const { pino, lines } = recordingLogger('trace');
    const logger = new AppLogger(pino);
    logger.error(new Error('boom'), 'http');
    logger.error('Unhandled', 'Error: Unhandled\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    logger.debug('details');
    logger.verbose('more details');
    logger.fatal('down');
    expect(lines[0]).toMatchObject({ level: 50, context: 'http', err: { type: 'Error', message: 'boom' } });
    expect(lines[1]).toMatchObject({ level: 50, context: 'ExceptionsHandler', msg: 'Unhandled', err: { message: 'Unhandled', stack: expect.stringContaining('at somewhere') } });
    expect(lines.slice(2).map((line) => [line.level, line.msg])).toEqual([[20, 'details'], [10, 'more details'], [60, 'down']]);
  });

  it('builds nothing for a level that is off', () => {
    const { pino, lines } = recordingLogger('warn');
    const logger = new AppLogger(pino);
    logger.log('not written');
    logAnswer(pino, { id: 'req-2', method: 'GET', url: '/v1/products/1' }, { statusCode: 200, elapsedTime: 1.2 });
    expect(lines).toEqual([]);
  });

  it('logs each answer once, with its id, method, URL (query secrets censored), status and time; a 5xx at error level with its cause', () => {
    const { pino, lines } = recordingLogger();
    const request = { id: 'req-3', method: 'GET', url: '/v1/sessions?api_key=sk_live_secret&limit=2' };
    logAnswer(pino, request, { statusCode: 200, elapsedTime: 3.4 });
    const failed = { id: 'req-4', method: 'POST', url: '/v1/sessions' };
    recordFailure(failed, Object.assign(new Error('provider timed out'), { code: 'provider_timeout' }));
    logAnswer(pino, failed, { statusCode: 504, elapsedTime: 300 });
    logAnswer(pino, { id: 'req-5', method: 'GET', url: '/health' }, { statusCode: 200, elapsedTime: 0.1 });
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', request_id: 'req-3', req: { method: 'GET', url: '/v1/sessions?api_key=[redacted]&limit=2' }, res: { statusCode: 200 }, responseTime: 3 }),
      expect.objectContaining({ level: 50, msg: 'request errored', request_id: 'req-4', res: { statusCode: 504 }, err: expect.objectContaining({ message: 'provider timed out', code: 'provider_timeout' }) }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('sk_live_secret');
  });

  it('censors secrets in whatever is logged', () => {
    const { pino, lines } = recordingLogger();
    new AppLogger(pino).warn({ apiKey: 'pmx_secret', config: { clientSecret: 'shh' }, req: { headers: { authorization: 'Bearer pmx_secret' } } }, 'careless', 'api-keys');
    expect(JSON.stringify(lines)).not.toMatch(/pmx_secret|shh/);
    expect(lines[0]).toMatchObject({ apiKey: '[redacted]', config: { clientSecret: '[redacted]' }, req: { headers: { authorization: '[redacted]' } } });
  });
});
