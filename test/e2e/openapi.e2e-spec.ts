import { readFileSync } from 'node:fs';
import request from 'supertest';
import { OPENAPI_FILE, renderOpenApiFile } from '../../src/openapi-file';
import { startTestApp, TestApp } from '../support/app';

describe('OpenAPI document', () => {
  it('matches the committed openapi.json', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    const current = await renderOpenApiFile();
    if (current !== committed) {
      throw new Error('openapi.json is stale: the controllers or DTOs changed. Run `npm run openapi` and commit openapi.json.');
    }
  });

  describe('served by the app', () => {
    let app: TestApp;
    beforeAll(async () => (app = await startTestApp()));
    afterAll(() => app.close());

    it('serves the documentation UI at /docs, without an API key', async () => {
      const res = await request(app.url).get('/docs').redirects(1).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it('serves the document as JSON at /docs/openapi.json', async () => {
      const res = await request(app.url).get('/docs/openapi.json').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'paymux' } });
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/products/{id}', '/v1/customers']));
    });
  });
});
