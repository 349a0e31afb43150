import { hash, randomBytes } from 'node:crypto';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ApiKey } from './api-key.entity';

export const API_KEY_PREFIX = 'pmx_';
/** How long a verified key is trusted from memory before the database is asked again. */
const CACHE_MS = 5000;
/** `last_used_at` is kept to the minute: at most one write per key per minute, none per request. */
const LAST_USED_PRECISION_MS = 60_000;

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The key itself: shown once, never stored. */
  key: string;
}

@Injectable()
export class ApiKeyService {
  private readonly verified = new Map<string, { apiKey: ApiKey; until: number }>();

  constructor(private readonly em: EntityManager) {}

  async create(name: string, key = API_KEY_PREFIX + randomBytes(32).toString('base64url')): Promise<CreatedApiKey> {
    const em = this.em.fork();
    const apiKey = Object.assign(new ApiKey(), { name, prefix: key.slice(0, 12), hash: hashApiKey(key) });
    await em.persistAndFlush(apiKey);
    return { apiKey, key };
  }

  /** The active key for this secret if it was verified within the last few seconds (no database read), else undefined. */
  recentlyVerified(key: string): ApiKey | undefined {
    return this.cached(hashApiKey(key), Date.now());
  }

  private cached(hash: string, now: number): ApiKey | undefined {
    const cached = this.verified.get(hash);
    return cached && cached.until > now ? cached.apiKey : undefined;
  }

  /** The active key for this secret, or null. Cached briefly: revocation takes effect within seconds. */
  async verify(key: string): Promise<ApiKey | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cached(hash, now);
    if (cached) return cached;
    const apiKey = await this.em.fork().findOne(ApiKey, { hash, revokedAt: null });
    if (!apiKey) {
      this.verified.delete(hash);
      return null;
    }
    if (this.verified.size > 10000) this.verified.clear();
    this.verified.set(hash, { apiKey, until: now + CACHE_MS });
    if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
      // Conditional: of requests arriving together (on this instance or another) that all read
      // an old value, only the first changes the row; the others match nothing.
      apiKey.lastUsedAt = new Date(now);
      const stale = new Date(now - LAST_USED_PRECISION_MS);
      await this.em.fork().nativeUpdate(ApiKey, { id: apiKey.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: stale } }] }, { lastUsedAt: apiKey.lastUsedAt });
    }
    return apiKey;
  }

  async revoke(id: string): Promise<void> {
    const em = this.em.fork();
    await em.nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: new Date() });
    this.verified.clear();
  }

  async count(): Promise<number> {
    return this.em.fork().count(ApiKey, { revokedAt: null });
  }

  /**
   * Start-up: make sure BOOTSTRAP_API_KEY exists; outside production, when no key exists at
   * all, generate one and return it so it can be printed once.
   */
  async ensureStartupKey(bootstrapKey: string | null, production: boolean): Promise<string | null> {
    if (bootstrapKey) {
      const existing = await this.em.fork().findOne(ApiKey, { hash: hashApiKey(bootstrapKey) });
      if (!existing) await this.create('bootstrap', bootstrapKey).catch(ignoreDuplicate);
      return null;
    }
    if (production || (await this.count()) > 0) return null;
    const { key } = await this.create('development');
    return key;
  }
}

/** Two instances starting together may both insert the bootstrap key: the second finds it there. */
function ignoreDuplicate(error: unknown): void {
  if (!(error instanceof UniqueConstraintViolationException)) throw error;
}
