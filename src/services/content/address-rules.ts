// Which addresses and ports the bot may fetch a page from (检查 an article, and later features that
// read sites). A member hands the bot an address, so a live bot refuses what a stranger's link must
// not reach: loopback, private, link-local and reserved ranges, every IPv6 form that embeds or tunnels
// an IPv4 address, and ports other than 80 and 443. FETCH_ALLOW names the exceptions: the hosts or
// networks of offices whose sites live on the government extranet (政务外网) at private addresses,
// often on a port of their own (http://10.12.3.4:8080/). The sandbox and tests allow everything.
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cidr = (text: string): Range => ipaddr.parseCIDR(text);

/** IPv4 ranges that are not the public internet. */
const INTERNAL_V4: readonly Range[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8',
  '100.64.0.0/10', // shared address space (CGNAT)
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16',
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
].map(cidr);

/**
 * IPv6 ranges refused whole. IPv4-mapped addresses (::ffff:a.b.c.d) are not here: they are the
 * IPv4 address itself and are judged as such.
 */
const INTERNAL_V6: readonly Range[] = [
  '::/96', // unspecified, loopback and IPv4-compatible (::7f00:1 is 127.0.0.1)
  '::ffff:0:0:0/96', // IPv4-translated (SIIT): ::ffff:0:7f00:1
  '64:ff9b::/96', // NAT64 well-known prefix
  '64:ff9b:1::/48', // NAT64 local use
  '100::/64', // discard
  '2001::/32', // Teredo
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated, still routed by some stacks)
  'ff00::/8', // multicast
].map(cidr);

/** The IPv4 address an IPv4-mapped IPv6 address stands for; any other address as it is. */
function unwrap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  // Only the forms the resolver and the URL parser give (no octal or shortened IPv4).
  const bare = address.replace(/^\[|\]$/g, '');
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return undefined;
}

function inAny(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/** Whether an address is outside the public internet; anything that is not an address counts as inside. */
export function isInternalAddress(address: string): boolean {
  const parsed = parse(address);
  if (!parsed) return true;
  const ip = unwrap(parsed);
  return inAny(ip, ip.kind() === 'ipv4' ? INTERNAL_V4 : INTERNAL_V6);
}

export type AddressRefusal = 'internal' | 'port';

export const ADDRESS_REFUSAL_TEXT: Readonly<Record<AddressRefusal, string>> = {
  internal: '该链接指向内部网络地址，不能读取。',
  port: '该链接使用了 80、443 以外的端口，不能读取。',
};

/** The ports a live bot fetches from (hosts on the allow list excepted). */
const STANDARD_PORTS = new Set([80, 443]);

export interface AddressPolicy {
  /** Every address and port (the sandbox, whose pages are local, and tests): never in live mode. */
  anyAddress: boolean;
  /** FETCH_ALLOW: host names (exact) and addresses or CIDR ranges exempt from both rules. */
  allow?: readonly string[];
}

export class AddressRules {
  private readonly hosts = new Set<string>();
  private readonly ranges: Range[] = [];

  constructor(private readonly policy: AddressPolicy) {
    for (const entry of policy.allow ?? []) {
      const value = entry.trim().toLowerCase();
      if (!value) continue;
      if (value.includes('/')) {
        if (!ipaddr.isValidCIDR(value)) continue; // the configuration refuses these at start
        const [network, bits] = ipaddr.parseCIDR(value);
        // A range written in IPv4-mapped form (::ffff:10.0.0.0/104) is the IPv4 range it stands for.
        const mapped =
          network.kind() === 'ipv6' && bits >= 96 && (network as ipaddr.IPv6).isIPv4MappedAddress();
        this.ranges.push(mapped ? [(network as ipaddr.IPv6).toIPv4Address(), bits - 96] : [network, bits]);
        continue;
      }
      const ip = parse(value);
      if (ip) {
        const bare = unwrap(ip);
        this.ranges.push([bare, bare.kind() === 'ipv4' ? 32 : 128]);
      } else {
        this.hosts.add(value.replace(/\.$/, ''));
      }
    }
  }

  private hostAllowed(hostname: string): boolean {
    return this.hosts.has(
      hostname
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '')
        .toLowerCase(),
    );
  }

  private addressAllowed(address: string): boolean {
    const parsed = parse(address);
    return parsed !== undefined && inAny(unwrap(parsed), this.ranges);
  }

  /**
   * Why the bot may not connect to `hostname` on `port` at these addresses (the ones the connection
   * will use: for a name, what the resolver returned; for an address written in the link, itself),
   * or null when it may.
   */
  refusal(hostname: string, port: number, addresses: readonly string[]): AddressRefusal | null {
    if (this.policy.anyAddress) return null;
    if (this.hostAllowed(hostname)) return null;
    if (addresses.length === 0) return 'internal';
    const allowed = addresses.every((address) => this.addressAllowed(address));
    if (allowed) return null;
    if (addresses.some((address) => isInternalAddress(address) && !this.addressAllowed(address))) {
      return 'internal';
    }
    return STANDARD_PORTS.has(port) ? null : 'port';
  }

  /** The port a URL connects to. */
  static portOf(url: URL): number {
    if (url.port) return Number(url.port);
    return url.protocol === 'https:' ? 443 : 80;
  }
}
