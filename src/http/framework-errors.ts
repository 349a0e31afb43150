import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { renderError } from './api-error';

/**
 * Errors Fastify raises before a route's handler runs (body parsing, content type, a URL that
 * cannot be decoded or is too long, oversized headers) answered in API.md's shape with an
 * X-Request-Id, like every other answer. Framework messages are replaced: they echo the path.
 */
const MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'The request URL is too long',
  FST_ERR_ASYNC_CONSTRAINT: 'The request could not be routed',
};

/** The little of Fastify's request and reply used here (Nest's adapter carries its own copy of Fastify's types). */
interface FrameworkError {
  code?: string;
  statusCode?: number;
  message: string;
}
interface ErrorRequest {
  id: unknown;
}
interface ErrorReply {
  header(name: string, value: string): ErrorReply;
  headers(values: Record<string, string>): ErrorReply;
  status(code: number): ErrorReply;
  send(body: unknown): unknown;
}

export function sendFrameworkError(error: FrameworkError, request: ErrorRequest, fastifyReply: unknown): void {
  const reply = fastifyReply as ErrorReply;
  const rendered = renderError(error, String(request.id));
  const message = error.code ? MESSAGES[error.code] : undefined;
  if (message && rendered.status < 500) rendered.body.error.message = message;
  void reply.header('x-request-id', String(request.id)).status(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
}

/**
 * Errors Node's HTTP parser raises before there is a request (431 headers too large, a request
 * line it cannot parse): written to the socket in the API's shape.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are larger than the limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'The request was not received in time']
        : [400, 'Bad Request', 'request_malformed', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { type: 'invalid_request_error', code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
