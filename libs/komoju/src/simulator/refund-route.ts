import type { Clock } from '@paymux/payments';
import type { SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { KOMOJU_IDEMPOTENCY_HEADER, KomojuErrorBody } from '../types';
import type { KomojuAccount } from './account';
import { IdempotencyStore } from './idempotency';

/** Test knobs of the refund call, beside the kit's (`faults`): refuse it, or answer it late. */
export interface KomojuRefundFaults {
  /** Refuse every refund with 422 and this `error.code` (e.g. `unprocessable_entity`); null: take them. */
  refuseWith: string | null;
  /** Take the refund, then answer only after this many ms (a client that gives up first never hears). */
  answerDelayMs: number;
}
const NO_REFUND_FAULTS: Readonly<KomojuRefundFaults> = Object.freeze({ refuseWith: null, answerDelayMs: 0 });

/**
 * `POST /payments/{id}/refund` (shared/providers/komoju.md, Payments): `amount`? (the whole rest
 * without it) and `description`?, with `X-KOMOJU-IDEMPOTENCY` honoured as on every POST; answers
 * the Payment. Knobs: `POST <base>/__komoju_refund_faults`.
 */
export class KomojuRefundRoute {
  faults: KomojuRefundFaults = { ...NO_REFUND_FAULTS };
  private readonly idempotency: IdempotencyStore;

  constructor(private readonly account: KomojuAccount, clock: Clock) {
    this.idempotency = new IdempotencyStore(() => clock.now().getTime());
  }

  setFaults(changes: Partial<KomojuRefundFaults>): void {
    this.faults = { ...this.faults, ...changes };
  }

  resetFaults(): void {
    this.faults = { ...NO_REFUND_FAULTS };
  }

  register(http: SimulatorHttp, apiPath: string, guarded: (req: SimRequest, handler: () => SimResponse) => SimResponse): void {
    http.route('POST', `${apiPath}/payments/:id/refund`, async (req, p) => {
      const key = headerOf(req, KOMOJU_IDEMPOTENCY_HEADER);
      const unauthorised = guarded(req, () => ({ status: 0 }));
      if (unauthorised.status !== 0) return unauthorised;
      const claim = key === undefined ? null : this.idempotency.claim(key, req.rawBody);
      if (claim?.kind === 'bad_key') return komojuError(400, 'bad_request', `${KOMOJU_IDEMPOTENCY_HEADER} must be 1 to 100 ASCII characters`);
      if (claim?.kind === 'in_flight') return komojuError(409, 'conflict', 'A request with this idempotency key is still being processed');
      if (claim?.kind === 'other_body') return komojuError(422, 'unprocessable_entity', 'This idempotency key was used with another request body');
      if (claim?.kind === 'replay') return claim.answer;
      const answer = this.faults.refuseWith
        ? komojuError(422, this.faults.refuseWith, 'The refund was refused')
        : guarded(req, () => {
            const stored = this.account.storedByPayment(p.id);
            const body = (req.body ?? {}) as { amount?: unknown; description?: unknown };
            if (body.amount !== undefined && typeof body.amount !== 'number') return komojuError(400, 'bad_request', 'amount must be an integer');
            this.account.refund(stored, body.amount as number | undefined, typeof body.description === 'string' ? body.description : undefined);
            return { status: 200, body: structuredClone(stored.session.payment) };
          });
      if (claim?.kind === 'run') {
        if (answer.status >= 500) claim.abandon();
        else claim.finish(answer);
      }
      if (this.faults.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.answerDelayMs));
      return answer;
    });
    http.route('GET', `${apiPath}/payments/:id`, (req, p) => guarded(req, () => ({ status: 200, body: structuredClone(this.account.storedByPayment(p.id).session.payment) })));
    http.route('POST', '/__komoju_refund_faults', (req) => {
      this.setFaults((req.body ?? {}) as Partial<KomojuRefundFaults>);
      return { status: 200, body: this.faults };
    }, false);
  }
}

function komojuError(status: number, code: string, message: string): SimResponse {
  const body: KomojuErrorBody = { error: { message, code, param: null } };
  return { status, body };
}

function headerOf(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
