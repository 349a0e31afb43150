import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived at a scripted server: the exact bytes, and the same as text. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body: string | object;
  contentType?: string;
}

/**
 * A stand-in provider for a client's wire tests: it answers `"<METHOD> <path>"` from a script (a
 * list is answered in order, its last answer repeated; anything unscripted gets 599) and records
 * the exact bytes it receives. A real socket, so the client's own HTTP stack is what is tested.
 */
export async function startScriptedServer(
  script: Record<string, ScriptedAnswer | ScriptedAnswer[]>,
  basePath = '',
): Promise<{ baseUrl: string; recorded: RecordedRequest[]; server: Server }> {
  const recorded: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      recorded.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: raw.toString('utf8') });
      const scripted = script[`${req.method} ${req.url}`];
      const answers = Array.isArray(scripted) ? scripted : scripted ? [scripted] : [];
      const answer = answers.length > 1 ? answers.shift()! : (answers[0] ?? { status: 599, body: 'unscripted' });
      const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' }).end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`, recorded, server };
}
