import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Name → every address it resolves to. Its own provider so that tests can answer differently
 * at endpoint creation and at delivery (DNS rebinding) without a DNS server.
 */
@Injectable()
export class HostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const bare = hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(bare);
    if (literal !== 0) return [{ address: bare, family: literal as 4 | 6 }];
    const answers = await lookup(bare, { all: true, order: 'ipv4first' });
    return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
  }
}
