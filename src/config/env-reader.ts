/**
 * Reading one environment: every value parsed and checked, a wrong one a ConfigError naming the
 * variable. The application's config and each provider's definition read their settings with it.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

/** All of a provider's credentials or none: the first missing one is named. */
export function requireAllOrNone(prefix: string, values: Record<string, string | null>): void {
  const set = Object.entries(values).filter(([, v]) => v !== null);
  if (set.length === 0 || set.length === Object.keys(values).length) return;
  const missing = Object.entries(values).find(([, v]) => v === null)![0];
  throw new ConfigError(missing, `is required when other ${prefix}_* credentials are set`);
}

export class EnvReader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
    throw new ConfigError(name, `must be true or false, got "${raw}"`);
  }

  oneOf(name: string, allowed: string[], fallback: string): string {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!allowed.includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw;
  }

  url(name: string, fallback: string): string {
    return this.optionalUrl(name) ?? fallback;
  }

  optionalUrl(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
    }
    return raw.replace(/\/+$/, '');
  }

  /** PEM values may come with literal "\n" sequences from one-line env files. */
  optionalPem(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    const pem = raw.replace(/\\n/g, '\n');
    if (!/-----BEGIN [A-Z ]+-----/.test(pem)) throw new ConfigError(name, 'must be a PEM-encoded key');
    return pem;
  }

  list(name: string, fallback: string[]): string[] {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    return raw.split(',').map((item) => item.trim()).filter(Boolean);
  }
}
