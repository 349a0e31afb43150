import type { CaptureMethod, SessionMode, SessionStatus } from './session-status';

/**
 * The contract every payment provider module implements (the facade's strategy). The sessions
 * module only ever talks to providers through it, so adding a provider is one lib plus one
 * Nest module, and `src/sessions` does not change.
 */
export interface PaymentProvider {
  /** Stable name used in the API (`provider` field) and in config: e.g. `smart_glocal`. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;

  /**
   * Provider-specific checks of a request that already passed the generic capability checks.
   * Throws `InvalidRequest(param, …)`; must not call the provider.
   */
  validateRequest(request: UnifiedSessionRequest): void;

  /** Creates the hosted session at the provider. Throws `ProviderError` on provider failure. */
  createSession(request: UnifiedSessionRequest): Promise<ProviderSessionCreated>;

  /** Asks the provider for the session's status now (sync, reconciliation, expiry checks). */
  fetchStatus(session: ProviderSessionRef): Promise<ProviderStatusReport>;

  /**
   * Cancels at the provider; present only when `capabilities.cancel` is true. For a session on
   * hold (manual capture) this releases the hold.
   */
  cancelSession?(session: ProviderSessionRef): Promise<void>;

  /**
   * Manual capture: takes `amount` (minor units, at most the authorized amount; less only when
   * `capabilities.manualCapture.partial`) of a payment on hold. Present only when
   * `capabilities.manualCapture` is set. Answers the provider's view after the call: `succeeded`
   * with the captured amount, or `processing` when the provider settles it later (its webhook
   * says when). Throws `ProviderError` when the provider refuses or does not answer.
   */
  capturePayment?(session: ProviderSessionRef, amount: number): Promise<ProviderStatusReport>;

  /**
   * Verifies a callback on its raw bytes and turns it into a unified update.
   * Throws `WebhookSignatureError` (401) for a bad/missing signature and
   * `InvalidRequest` (400) for a malformed body.
   */
  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): ParsedWebhook;

  /**
   * Makes the call a report's `followUp` names (a provider that waits for the merchant to go
   * on, e.g. a confirm or capture call). The core runs it for sessions it knows, after the report
   * is applied, from webhooks and reconciliation, with the session's status by then: a terminal
   * one (cancelled, expired, failed e.g. for an amount mismatch) should be declined rather than
   * confirmed. Must be safe to repeat. Throws `ProviderError` when it fails: a webhook is then
   * answered non-2xx and not recorded as handled, so the provider resends it, and reconciliation
   * tries again on its next run.
   */
  runFollowUp?(session: ProviderSessionRef, followUp: string, sessionStatus: SessionStatus): Promise<void>;

  // ---- refunds (present only when `capabilities.refunds` is true) ----

  /**
   * Asks the provider to refund `request.amount` (minor units) of the session's payment. Answers
   * every refund the payment now holds at the provider, the new one among them (matched by the
   * core by `reference`, else by amount). Throws `ProviderError`: not `retryable` when the
   * provider refused (the refund failed), `retryable` when it may or may not have taken effect.
   */
  refund?(session: ProviderSessionRef, request: ProviderRefundRequest): Promise<ProviderRefundReport[]>;

  /** Every refund (and chargeback) the provider holds for the session's payment now (reconciliation). */
  fetchRefunds?(session: ProviderSessionRef): Promise<ProviderRefundReport[]>;
}

export interface ProviderCapabilities {
  /** Upper-case ISO 4217 codes. */
  readonly currencies: readonly string[];
  readonly locales: readonly string[];
  readonly paymentMethods: readonly string[];
  readonly modes: readonly SessionMode[];
  readonly expiry: { readonly minSeconds: number; readonly maxSeconds: number; readonly defaultSeconds: number };
  /** The provider has a cancel call (else paymux cancels locally and still accepts a late payment). */
  readonly cancel: boolean;
  /** The provider has a documented refund call (`refund`, `fetchRefunds`); absent means none. */
  readonly refunds?: boolean;
  /** Sessions may be created with `capture: "manual"`; absent or null when the provider has no capture call. */
  readonly manualCapture?: ManualCaptureCapability | null;
}

export interface ManualCaptureCapability {
  /** A capture may take less than the authorized amount. */
  readonly partial: boolean;
}

export interface UnifiedProduct {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly amount: number;
  readonly currency: string;
  /** The product's ids in providers' catalogues, by provider name: an adapter reads its own entry. */
  readonly providerProducts: Readonly<Record<string, string | number>>;
}

export interface UnifiedCustomer {
  readonly id: string;
  readonly reference: string | null;
  readonly email: string | null;
  readonly username: string | null;
  readonly fullName: string | null;
  /** Ids other providers gave this customer, e.g. `{ komoju: "cus_…" }`. */
  readonly providerCustomers: Readonly<Record<string, string>>;
}

/** What the facade asks a provider to create. Money is in minor units with an upper-case code. */
export interface UnifiedSessionRequest {
  /** paymux's own session id (`sess_…`), to be carried in provider metadata where possible. */
  readonly sessionId: string;
  readonly mode: SessionMode;
  /** Minor units; null only in `customer` mode. */
  readonly amount: number | null;
  readonly currency: string | null;
  readonly description: string | null;
  readonly product: UnifiedProduct | null;
  readonly customer: UnifiedCustomer | null;
  readonly orderId: string | null;
  /** The merchant's pages; the buyer reaches them through `buyerReturnUrl`, never straight from the provider. */
  readonly returnUrl: string;
  readonly cancelUrl: string | null;
  /**
   * paymux's return relay for this session (`PUBLIC_URL/v1/return/<sessionId>`): what to give the
   * provider as the buyer's way back (return URL, back or cancel button). From there paymux sends
   * the buyer on to `returnUrl` or `cancelUrl`, whichever the session's status calls for.
   */
  readonly buyerReturnUrl: string;
  readonly paymentMethods: readonly string[] | null;
  readonly defaultPaymentMethod: string | null;
  readonly locale: string | null;
  readonly expiresInSeconds: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** paymux's inbound webhook URL for this provider (`PUBLIC_URL/v1/webhooks/<provider>`). */
  readonly webhookUrl: string;
  readonly idempotencyKey: string | null;
  /** Provider-specific input passed through, never stored (e.g. Smart Glocal card data). */
  readonly providerOptions?: Readonly<Record<string, unknown>>;
  /** `manual`: authorize only and hold the funds for the merchant's capture. Absent means automatic. */
  readonly captureMethod?: CaptureMethod;
}

export interface ProviderSessionCreated {
  readonly providerSessionId: string;
  readonly redirectUrl: string;
  readonly expiresAt: Date;
  /**
   * The provider's customer id when the session creates or fills one (KOMOJU customer modes):
   * kept on the session, so a later customer callback that names no session can find it.
   */
  readonly providerCustomerId?: string | null;
}

export interface ProviderSessionRef {
  readonly id: string;
  readonly providerSessionId: string;
  readonly currency: string | null;
  readonly amount: number | null;
  /** How the session was created; absent means automatic. */
  readonly captureMethod?: CaptureMethod;
}

export interface SessionFailure {
  readonly code: string;
  readonly message: string;
  /** Who declined: `CLIENT`, `BANK`, `ACQUIRER`, or the provider's own word. */
  readonly source: string | null;
}

/** A provider's view of one session, already in unified terms. */
export interface ProviderStatusReport {
  readonly providerSessionId: string;
  readonly status: SessionStatus;
  /** The provider's own status word, kept on the session event for audit. */
  readonly providerStatus: string;
  readonly failure?: SessionFailure | null;
  /** Set when the provider created or linked a customer (KOMOJU customer modes). */
  readonly providerCustomerId?: string | null;
  /**
   * The amount and currency the provider states for this session's payment, converted exactly
   * by the adapter to minor units and an upper-case ISO 4217 code (a value that cannot be
   * converted exactly is reported as it reads, never rounded). Set whenever the provider's answer
   * or callback states one; omitted only when it states none. The facade compares it with the
   * session's own amount: a mismatch is never a silent success.
   */
  readonly amount?: ReportedAmount | null;
  /**
   * The provider keeps the payment open until then, past the session's own expiry (a konbini
   * reservation the buyer pays at the store by its deadline): paymux moves the session's
   * `expires_at` out to it and does not expire the session before.
   */
  readonly payableUntil?: Date | null;
  /**
   * A call the provider waits for before it goes on, in the adapter's words (passed back to
   * `runFollowUp`); null or absent when it waits for nothing.
   */
  readonly followUp?: string | null;
  /**
   * The payment is authorized and its funds are held for the merchant's capture (a card hold:
   * never a konbini-like reservation still waiting for the buyer). Reported with status
   * `processing`; the facade makes a manual-capture session `requires_capture`.
   */
  readonly hold?: PaymentHold | null;
  /**
   * A captured payment of a kind that is held before capture (a card, not a konbini-like
   * reservation): on a manual-capture session, less than the authorized amount is then the
   * merchant's partial capture, not an amount mismatch.
   */
  readonly capturedFromHold?: boolean;
}

export interface PaymentHold {
  /** When the provider releases the hold if it is not captured by then (the adapter's best knowledge). */
  readonly captureBefore: Date;
}

/** What a provider says was (or is being) charged, in minor units. */
export interface ReportedAmount {
  readonly amount: number;
  readonly currency: string;
}

export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ParsedWebhook {
  /** Unique per real provider notification, to drop exact duplicates (e.g. KOMOJU's event `id`). */
  readonly dedupeKey: string;
  /** The provider's event name, for the audit record. */
  readonly eventType: string;
  /** How to find the paymux session: by the provider's id, or by our id put in metadata. */
  readonly providerSessionId: string | null;
  readonly paymuxSessionId: string | null;
  /** Or by the provider customer id the session was created with (callbacks about a customer). */
  readonly providerCustomerId?: string | null;
  /** null when the notification changes no session (e.g. `ping`). */
  readonly report: ProviderStatusReport | null;
  /**
   * The notification only says that something changed (KOMOJU `customer.*`): once the session is
   * found, the facade asks the provider (`fetchStatus`) and applies that answer instead of `report`.
   */
  readonly confirmWithProvider?: boolean;
  /** The refunds and chargebacks the notification shows for the session's payment (recorded once each). */
  readonly refunds?: readonly ProviderRefundReport[];
}

/** A refund paymux asks a provider for: minor units of the session's currency. */
export interface ProviderRefundRequest {
  /** paymux's refund id (`re_…`): the idempotency key and, where the provider echoes it, the reference. */
  readonly refundId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string | null;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** One refund as the provider shows it, in unified terms (amount converted exactly to minor units). */
export interface ProviderRefundReport {
  readonly providerRefundId: string;
  readonly status: RefundStatus;
  /** The provider's own status word, for audit. */
  readonly providerStatus: string;
  readonly amount: number;
  readonly currency: string;
  /** Taken back by the card holder's bank, not by the merchant (Smart Glocal `is_chargeback`). */
  readonly chargeback: boolean;
  /** paymux's refund id when the provider echoes it back; null when it does not. */
  readonly reference: string | null;
}

export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()] ?? headers[name];
  return Array.isArray(value) ? value[0] : value;
}
