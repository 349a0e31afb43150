import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, finalize, from, mergeMap, Observable, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../api-keys/api-key.guard';
import { renderError } from '../http/api-error';
import { checkIdempotencyKey, IDEMPOTENCY_LEASE_MS, IdempotencyService, ReplayedAnswer, requestFingerprint } from './idempotency.service';

/** What a handler learns of its request's claim (POST /v1/sessions records and resumes a session through it). */
export interface IdempotencyClaim {
  recordId: number;
  /** The session a previous owner of this key stored before it died; null on a first run. */
  sessionId: string | null;
}

export type ClaimedRequest = { idempotencyClaim?: IdempotencyClaim };

/**
 * `Idempotency-Key` on any authenticated POST: claim the key, run the handler once, store its
 * complete answer (success or error) and replay it for retries. Unexpected errors (500) are not
 * stored, so a retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & ClaimedRequest & { rawBody?: Buffer }>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || !request.apiKey || header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    checkIdempotencyKey(key);
    const fingerprint = requestFingerprint(request.method, request.url, withoutCardData(request.rawBody, request.body));
    const successStatus: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.idempotency.start(request.apiKey.id, key, fingerprint)).pipe(
      mergeMap((start) => {
        if (start.kind === 'replay') return throwError(() => new ReplayedAnswer(start.status, start.body));
        request.idempotencyClaim = { recordId: start.recordId, sessionId: start.sessionId };
        // A renewal that fails (database busy) only lets the lease run down; the next one may succeed.
        const heartbeat = setInterval(() => void this.idempotency.renew(start.recordId).catch(() => undefined), IDEMPOTENCY_LEASE_MS / 3);
        heartbeat.unref();
        return next.handle().pipe(
          mergeMap(async (answer) => {
            await this.idempotency.complete(start.recordId, successStatus, JSON.stringify(answer));
            return answer;
          }),
          catchError((error: unknown) => {
            const rendered = renderError(error, String(request.id));
            const settle = rendered.unexpected
              ? this.idempotency.release(start.recordId)
              : this.idempotency.complete(start.recordId, rendered.status, JSON.stringify(rendered.body));
            return from(settle).pipe(mergeMap(() => throwError(() => error)));
          }),
          finalize(() => clearInterval(heartbeat)),
        );
      }),
    );
  }
}

/**
 * Card data must not be kept in any form (an unkeyed hash of a card number counts), so a request
 * carrying `payment_details` is fingerprinted without it.
 */
function withoutCardData(rawBody: Buffer | undefined, body: unknown): Buffer | undefined {
  if (!body || typeof body !== 'object' || !('payment_details' in body)) return rawBody;
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  delete rest.payment_details;
  return Buffer.from(JSON.stringify(rest));
}
