/**
 * Extra readiness checks other modules contribute (e.g. the scheduler's job health).
 * Each returns null when healthy, else a short reason.
 */
export type ReadinessCheck = () => Promise<{ name: string; problem: string | null }>;

export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  run(): Promise<{ name: string; problem: string | null }[]> {
    return Promise.all(this.checks.map((check) => check()));
  }
}
