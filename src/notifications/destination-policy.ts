import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { forbiddenRange } from './address-policy';
import { HostResolver, ResolvedAddress } from './host-resolver';

/** Why a URL may not receive webhooks; the message names no secret and is safe to show. */
export class ForbiddenDestination extends Error {}

export interface Destination {
  url: URL;
  /** The address to connect to: checked, and used as is so a second lookup cannot change it. */
  address: ResolvedAddress;
}

/**
 * Where webhooks may go. In production: https only, and every address the name resolves to
 * must be public (see address-policy.ts) — checked when an endpoint is created and again before
 * each delivery, whose connection then goes to the checked address (DNS rebinding). Outside
 * production any http(s) URL, loopback included, so local receivers work.
 */
@Injectable()
export class DestinationPolicy {
  constructor(
    private readonly resolver: HostResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(rawUrl: string): Promise<Destination> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ForbiddenDestination('is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ForbiddenDestination('must be an http(s) URL');
    if (this.config.production && url.protocol !== 'https:') throw new ForbiddenDestination('must use https in production');
    if (url.username || url.password) throw new ForbiddenDestination('must not carry credentials');

    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolver.resolve(url.hostname);
    } catch {
      throw new ForbiddenDestination(`host ${url.hostname} could not be resolved`);
    }
    if (addresses.length === 0) throw new ForbiddenDestination(`host ${url.hostname} could not be resolved`);
    if (this.config.production) {
      for (const { address } of addresses) {
        const range = forbiddenRange(address);
        if (range !== null) throw new ForbiddenDestination(`resolves to ${address} (${range}), which webhooks may not reach`);
      }
    }
    return { url, address: addresses[0] };
  }
}
