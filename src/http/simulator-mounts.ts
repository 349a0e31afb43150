import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SimulatorMount {
  /** Path prefix, e.g. `/simulators/spayon`. */
  readonly prefix: string;
  readonly label: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Simulators a provider module serves inside this process (no credentials, outside production),
 * so a person can click through a whole payment on one machine. Raw Node requests go straight
 * to the simulator: it has its own routing, body parsing and pages.
 */
export class SimulatorMounts {
  private readonly mounts: SimulatorMount[] = [];

  add(mount: SimulatorMount): void {
    this.mounts.push(mount);
  }

  find(url: string | undefined): SimulatorMount | undefined {
    if (!url) return undefined;
    return this.mounts.find((m) => url === m.prefix || url.startsWith(m.prefix + '/') || url.startsWith(m.prefix + '?'));
  }

  list(): readonly SimulatorMount[] {
    return this.mounts;
  }
}
