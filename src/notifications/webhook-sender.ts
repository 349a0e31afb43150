import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { Destination } from './destination-policy';

/** Only this much of an answer is read and kept; the socket is closed after it. */
export const ANSWER_SNIPPET_BYTES = 1024;

export interface WebhookPost {
  destination: Destination;
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookAnswer {
  /** Null when no status line arrived (refused, reset, timed out, TLS failure). */
  statusCode: number | null;
  /** The answer's first 1 kB, as text. */
  snippet: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * One POST to a merchant, bounded in every direction a hostile or broken receiver could stretch
 * it: one overall deadline covers connect, TLS, sending, the status line and the answer (so a
 * slow-loris answer cannot hold the worker); at most 1 kB of the answer is read before the socket
 * is destroyed (so a huge answer costs nothing); redirects are not followed (Node's client never
 * follows them; a 3xx is just a status that is not 2xx). The connection goes to the already
 * checked address while Host and TLS SNI/certificate checks use the URL's name.
 */
@Injectable()
export class WebhookSender {
  post(post: WebhookPost): Promise<WebhookAnswer> {
    const { url, address } = post.destination;
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[|\]$/g, '');

    return new Promise<WebhookAnswer>((resolve) => {
      let settled = false;
      let statusCode: number | null = null;
      const chunks: Buffer[] = [];
      let received = 0;

      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outgoing.destroy();
        const snippet = chunks.length > 0 || statusCode !== null ? Buffer.concat(chunks).subarray(0, ANSWER_SNIPPET_BYTES).toString('utf8') : null;
        resolve({ statusCode, snippet, error, durationMs: elapsed() });
      };

      const outgoing = (secure ? httpsRequest : httpRequest)({
        host: address.address,
        family: address.family,
        port: url.port ? Number(url.port) : secure ? 443 : 80,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...post.headers, host: url.host, 'content-length': String(post.body.length), connection: 'close' },
        agent: false,
        ...(secure && isIP(hostname) === 0 ? { servername: hostname } : {}),
      });
      const deadline = setTimeout(() => finish(`no complete answer within ${post.timeoutMs} ms`), post.timeoutMs);

      outgoing.on('response', (answer) => {
        statusCode = answer.statusCode ?? null;
        answer.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (received >= ANSWER_SNIPPET_BYTES) finish(null);
        });
        answer.on('end', () => finish(null));
        answer.on('aborted', () => finish('the connection closed during the answer'));
        answer.on('error', (error) => finish(describe(error)));
      });
      outgoing.on('error', (error) => finish(describe(error)));
      outgoing.end(post.body);
    });
  }
}

function describe(error: Error & { code?: string }): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
