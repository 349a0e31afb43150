import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReplayedAnswer } from './replayed-answer';
import { renderError } from './api-error';
import { recordFailure } from './logging';

/** The one global filter: every error leaves the API in API.md's shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<FastifyRequest>();
    const reply = context.getResponse<FastifyReply>();
    if (error instanceof ReplayedAnswer) {
      void reply.status(error.status).header('Idempotent-Replayed', 'true').type('application/json; charset=utf-8').send(error.body);
      return;
    }
    const rendered = renderError(error, String(request.id));
    // The request log line of a 5xx names its cause (provider errors, bugs), serialised safely.
    if (rendered.status >= 500 && error instanceof Error) recordFailure(request, error);
    if (rendered.unexpected) this.logger.error({ err: error, request_id: request.id }, 'unexpected error');
    void reply.status(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
  }
}
