import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a production webhook may not reach (SSRF): anything that is not a public
 * unicast address — the host itself, the private network, the cloud's metadata service.
 * Pure: the caller resolves names and checks every address it may connect to.
 */
export type ForbiddenRange =
  | 'metadata' | 'loopback' | 'private' | 'link-local' | 'shared (CGNAT)' | 'unspecified' | 'multicast' | 'documentation' | 'reserved';

// The IANA IPv4 and IPv6 Special-Purpose Address Registries: every entry not marked globally
// reachable is refused. Most specific first: the first match names the range.
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
  ['documentation', 'ipv4', '192.0.2.0', 24],
  ['reserved', 'ipv4', '192.31.196.0', 24],
  ['reserved', 'ipv4', '192.52.193.0', 24],
  ['reserved', 'ipv4', '192.88.99.0', 24],
  ['reserved', 'ipv4', '192.175.48.0', 24],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['documentation', 'ipv4', '198.51.100.0', 24],
  ['documentation', 'ipv4', '203.0.113.0', 24],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  // IPv4-compatible (deprecated) and IPv4-translated (SIIT) forms: never a real destination.
  ['reserved', 'ipv6', '::', 96],
  ['reserved', 'ipv6', '::ffff:0:0:0', 96],
  ['reserved', 'ipv6', '64:ff9b:1::', 48],
  ['reserved', 'ipv6', '100::', 64],
  ['reserved', 'ipv6', '2001::', 23],
  ['documentation', 'ipv6', '2001:db8::', 32],
  ['reserved', 'ipv6', '2002::', 16],
  ['documentation', 'ipv6', '3fff::', 20],
  ['reserved', 'ipv6', '5f00::', 16],
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

/** The eight 16-bit groups of an IPv6 address, in any notation (compressed, dotted tail). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

/**
 * The IPv4 address an IPv6 one stands for where traffic really goes there: IPv4-mapped
 * (::ffff:a.b.c.d) and the well-known NAT64 prefix (64:ff9b::a.b.c.d). The other embedding
 * forms (compatible, translated, local NAT64, 6to4, Teredo) are refused as ranges of their own.
 */
function embeddedIPv4(address: string): string | null {
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !nat64) return null;
  return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
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
