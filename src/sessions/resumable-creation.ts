import type { IdempotencyClaim } from './idempotency.interceptor';
import type { IdempotencyService } from './idempotency.service';
import type { CreateContext } from './sessions.service';

/**
 * Session creation under an Idempotency-Key survives a crash of its process: the claim records
 * the session's id before the session is stored and the provider called, and the client's retry —
 * which takes the claim over once its lease lapses — resumes that session (or stores it under that id, if the crash came first; the provider call
 * repeats with the same idempotency key) instead of creating a second one for the same order.
 */
export function resumable(idempotency: IdempotencyService, claim: IdempotencyClaim | undefined): Pick<CreateContext, 'resumeSessionId' | 'sessionIdChosen'> {
  if (!claim) return {};
  return {
    resumeSessionId: claim.sessionId,
    sessionIdChosen: (sessionId) => idempotency.attachSession(claim.recordId, sessionId),
  };
}
