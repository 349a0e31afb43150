/**
 * Extra readiness checks other modules contribute (e.g. the scheduler's job health).
 * Each returns null when healthy, else a short reason.
 */
export type ReadinessCheck = () => Promise<{ name: string; problem: string | null }>;

/** Details shown in /health/ready under their own name that never make the instance unready. */
export type ReadinessDetails = () => Promise<Record<string, unknown>>;

export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];
  private readonly details = new Map<string, ReadinessDetails>();

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  addDetails(name: string, details: ReadinessDetails): void {
    this.details.set(name, details);
  }

  run(): Promise<{ name: string; problem: string | null }[]> {
    return Promise.all(this.checks.map((check) => check()));
  }

  informational(): [string, ReadinessDetails][] {
    return [...this.details.entries()];
  }
}
