import { serializeError } from './logging';

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
