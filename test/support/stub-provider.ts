import { EntityManager } from '@mikro-orm/core';
import {
  InvalidRequest, ParsedWebhook, PaymentProvider, PROVIDER_REGISTRY, ProviderCapabilities, ProviderError, ProviderRegistry,
  ProviderSessionCreated, ProviderSessionRef, ProviderStatusReport, SessionStatus,
} from '@paymux/payments';
import { Session } from '../../src/sessions/session.entity';
import type { TestApp } from './app';

export const STUB_PROVIDER = 'test_provider';

/**
 * A stand-in for an external provider whose status answers a test controls: what `fetchStatus`
 * reports (or that it is unreachable), and unsigned JSON callbacks
 * `{ "id": "<dedupe key>", "provider_session_id": "…", "status": "succeeded" }`.
 */
export class StubProvider implements PaymentProvider {
  readonly name = STUB_PROVIDER;
  readonly capabilities: ProviderCapabilities = {
    currencies: ['USD'], locales: ['en'], paymentMethods: ['card'], modes: ['payment'],
    expiry: { minSeconds: 60, maxSeconds: 86400, defaultSeconds: 900 }, cancel: false,
  };
  /** Session ids asked about, in order. */
  readonly asked: string[] = [];
  /** The provider's answer per provider session id; absent: `pending` (open). */
  readonly statuses = new Map<string, SessionStatus>();
  /** While set, every status call fails like a timed-out provider. */
  unreachable = false;
  /** Delay before each status answer. */
  latencyMs = 0;

  validateRequest(): void {}

  createSession(): Promise<ProviderSessionCreated> {
    return Promise.reject(new ProviderError(STUB_PROVIDER, 'not_supported', 'the stub provider creates no sessions'));
  }

  async fetchStatus(session: ProviderSessionRef): Promise<ProviderStatusReport> {
    this.asked.push(session.id);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.unreachable) throw ProviderError.timeout(STUB_PROVIDER, 1000);
    const status = this.statuses.get(session.providerSessionId) ?? 'open';
    return { providerSessionId: session.providerSessionId, status, providerStatus: status === 'open' ? 'pending' : status };
  }

  parseWebhook(rawBody: Buffer): ParsedWebhook {
    const body = JSON.parse(rawBody.toString('utf8')) as { id?: string; provider_session_id?: string; status?: SessionStatus };
    if (!body.id || !body.provider_session_id || !body.status) throw new InvalidRequest(undefined, 'malformed stub callback');
    return {
      dedupeKey: body.id,
      eventType: `session.${body.status}`,
      providerSessionId: body.provider_session_id,
      paymuxSessionId: null,
      report: { providerSessionId: body.provider_session_id, status: body.status, providerStatus: body.status },
    };
  }
}

export function registerStubProvider(app: TestApp, provider = new StubProvider()): StubProvider {
  app.paymux.app.get<ProviderRegistry>(PROVIDER_REGISTRY).register(provider);
  return provider;
}

export interface StaleSessionOptions {
  status?: SessionStatus;
  /** When the sessions expired (default: an hour ago). */
  expiresAt?: Date;
  provider?: string;
  lastProviderUpdateAt?: Date | null;
  createdAt?: Date;
}

/** Inserts `count` sessions straight into the database, in chunks; answers their ids. */
export async function insertSessions(em: EntityManager, count: number, options: StaleSessionOptions = {}): Promise<string[]> {
  const now = Date.now();
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 500) {
    const rows = Array.from({ length: Math.min(500, count - offset) }, () => {
      const session = new Session();
      Object.assign(session, {
        provider: options.provider ?? STUB_PROVIDER,
        providerSessionId: `stub_${session.id}`,
        status: options.status ?? 'open',
        amount: 1000,
        currency: 'USD',
        returnUrl: 'https://merchant.example/return',
        expiresAt: options.expiresAt ?? new Date(now - 3600_000),
        lastProviderUpdateAt: options.lastProviderUpdateAt ?? null,
        createdAt: options.createdAt ?? new Date(now - 2 * 3600_000),
        updatedAt: new Date(now - 2 * 3600_000),
      });
      ids.push(session.id);
      return session;
    });
    await em.fork().insertMany(Session, rows);
  }
  return ids;
}
