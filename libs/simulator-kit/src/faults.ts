/**
 * Test knobs shared by every provider simulator. All default to "behave like the docs".
 * Set them in code (`simulator.faults.set({...})`) or over HTTP (`POST <base>/__faults`).
 */
export interface FaultKnobs {
  /** Added before every API answer, in ms. */
  latencyMs: number;
  /** Share (0..1) of API calls answered with a 500. */
  errorRate: number;
  /** Share (0..1) of API calls never answered (the socket is held until the client gives up). */
  timeoutRate: number;
  /** Send every callback twice. */
  duplicateCallbacks: boolean;
  /** Hold callbacks of one session back and send them newest first. */
  outOfOrderCallbacks: boolean;
  /** Sign callbacks with a wrong key. */
  wrongSignature: boolean;
}

export const NO_FAULTS: Readonly<FaultKnobs> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  duplicateCallbacks: false,
  outOfOrderCallbacks: false,
  wrongSignature: false,
});

export class Faults {
  private knobs: FaultKnobs = { ...NO_FAULTS };

  constructor(private readonly random: () => number = Math.random) {}

  get current(): Readonly<FaultKnobs> {
    return this.knobs;
  }

  set(changes: Partial<FaultKnobs>): void {
    for (const [key, value] of Object.entries(changes)) {
      if (!(key in NO_FAULTS)) throw new Error(`unknown fault knob ${key}`);
      if (typeof value !== typeof NO_FAULTS[key as keyof FaultKnobs]) throw new Error(`bad value for ${key}`);
    }
    this.knobs = { ...this.knobs, ...changes };
  }

  reset(): void {
    this.knobs = { ...NO_FAULTS };
  }

  /** What to do with the next API call. */
  draw(): 'timeout' | 'error' | 'ok' {
    if (this.knobs.timeoutRate > 0 && this.random() < this.knobs.timeoutRate) return 'timeout';
    if (this.knobs.errorRate > 0 && this.random() < this.knobs.errorRate) return 'error';
    return 'ok';
  }
}
