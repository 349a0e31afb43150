import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a production webhook may not reach (SSRF): anything that is not a public
 * unicast address — the host itself, the private network, the cloud's metadata service.
 * Pure: the caller resolves names and checks every address it may connect to.
 */
export type ForbiddenRange = 'metadata' | 'loopback' | 'private' | 'link-local' | 'shared (CGNAT)' | 'unspecified' | 'multicast' | 'reserved';

const RULES: Array<[ForbiddenRange, 'ipv4' | 'ipv6', string, number]> = [
  ['metadata', 'ipv4', '169.254.169.254', 32],
  ['metadata', 'ipv6', 'fd00:ec2::254', 128],
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['shared (CGNAT)', 'ipv4', '100.64.0.0', 10],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['reserved', 'ipv4', '192.0.0.0', 24],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['private', 'ipv6', 'fec0::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
];

const LISTS = RULES.map(([range, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { range, family, list };
});

/** IPv4 addresses carried inside IPv6 ones (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, compatible ::a.b.c.d). */
function embeddedIPv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted && isIPv4(dotted[1])) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** The forbidden range `address` falls in, or null for a public unicast address. */
export function forbiddenRange(address: string): ForbiddenRange | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIPv6(bare)) {
    const inner = embeddedIPv4(bare);
    if (inner !== null) return forbiddenRange(inner);
  } else if (!isIPv4(bare)) {
    return 'reserved';
  }
  const family = isIPv4(bare) ? 'ipv4' : 'ipv6';
  if (family === 'ipv4' && bare === '255.255.255.255') return 'reserved';
  return LISTS.find((rule) => rule.family === family && rule.list.check(bare, family))?.range ?? null;
}
