import { Faults, FaultKnobs } from './faults';

export interface CallbackPolicy {
  /** Total attempts including the first (Spayon: 3). */
  attempts: number;
  /** Wait between attempts in ms (Spayon: 5 minutes; tests make it small). */
  intervalMs: number;
  /** Give up on one attempt after this long. */
  timeoutMs: number;
  /**
   * Growing waits instead of one `intervalMs`: the wait before attempt n+1 is `intervalsMs[n-1]`
   * (the last one repeats). Optional; `intervalMs` applies when absent.
   */
  intervalsMs?: readonly number[];
}

export interface OutgoingCallback {
  url: string;
  /** The exact bytes to send; signatures are computed over them. */
  body: Buffer;
  /** Headers including the signature; `signWrong` builds them with a wrong key. */
  headers: Record<string, string>;
  signWrong: () => Record<string, string>;
  /** Callbacks with the same group key are held and reordered by the out-of-order knob. */
  group: string;
}

export interface DeliveryRecord {
  url: string;
  body: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: Date;
}

/**
 * Sends a simulator's signed callbacks with the provider's retry policy: an attempt that gets no
 * 2xx is retried after `intervalMs`, up to `attempts` in all. Knobs: duplicates, out-of-order,
 * wrong signatures. `idle()` resolves when nothing is pending (for tests).
 */
export class CallbackDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private heldBack = new Map<string, OutgoingCallback[]>();
  private closed = false;

  constructor(
    private policy: CallbackPolicy,
    private readonly faults: Faults,
  ) {}

  setPolicy(changes: Partial<CallbackPolicy>): void {
    this.policy = { ...this.policy, ...changes };
  }

  get knobs(): Readonly<FaultKnobs> {
    return this.faults.current;
  }

  send(callback: OutgoingCallback): void {
    if (this.knobs.outOfOrderCallbacks) {
      // Hold the first callback of a group until a second one arrives, then send newest first.
      const held = this.heldBack.get(callback.group) ?? [];
      held.push(callback);
      this.heldBack.set(callback.group, held);
      if (held.length < 2) return;
      this.heldBack.delete(callback.group);
      for (const item of held.reverse()) this.start(item);
      return;
    }
    this.start(callback);
  }

  /** Sends callbacks still held back by the out-of-order knob. */
  flushHeld(): void {
    for (const [group, held] of this.heldBack) {
      this.heldBack.delete(group);
      for (const item of held.reverse()) this.start(item);
    }
  }

  private start(callback: OutgoingCallback): void {
    const copies = this.knobs.duplicateCallbacks ? 2 : 1;
    const headers = this.knobs.wrongSignature ? callback.signWrong() : callback.headers;
    for (let i = 0; i < copies; i++) this.attempt({ ...callback, headers }, 1);
  }

  private attempt(callback: OutgoingCallback, attempt: number): void {
    this.pending++;
    void this.post(callback, attempt).then((ok) => {
      if (!ok && attempt < this.policy.attempts && !this.closed) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(callback, attempt + 1);
          this.settle();
        }, this.waitBefore(attempt + 1));
        this.timers.add(timer);
        this.pending++;
      }
      this.settle();
    });
  }

  private waitBefore(attempt: number): number {
    const intervals = this.policy.intervalsMs;
    if (!intervals || intervals.length === 0) return this.policy.intervalMs;
    return intervals[Math.min(attempt - 2, intervals.length - 1)];
  }

  private settle(): void {
    this.pending--;
    if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async post(callback: OutgoingCallback, attempt: number): Promise<boolean> {
    const at = new Date();
    try {
      const response = await fetch(callback.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...callback.headers },
        body: callback.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      this.deliveries.push({ url: callback.url, body: callback.body.toString('utf8'), attempt, status: response.status, error: null, at });
      return response.status >= 200 && response.status < 300;
    } catch (error) {
      this.deliveries.push({ url: callback.url, body: callback.body.toString('utf8'), attempt, status: null, error: (error as Error).message, at });
      return false;
    }
  }

  /** Resolves once every attempt (and scheduled retry) has finished. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
