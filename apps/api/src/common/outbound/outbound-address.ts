import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where Keyring may connect on an organization's behalf (webhooks, audit streams): production refuses internal
 * addresses, except on the hosts the operator allowed (KEYRING_WEBHOOK_ALLOWED_HOSTS).
 */
export interface OutboundPolicy {
  production: boolean;
  /** Lower-case host names or IP addresses. */
  allowedHosts: readonly string[];
}

/** A target Keyring will not connect to, and why (said to the admin at creation, kept as the last error later). */
export class TargetRefused extends Error {}

/** The address to connect to: the one that was checked, so that a second DNS answer cannot differ. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** ipaddr.js' range names, in the words of a refusal; every range but `unicast` is refused. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
  linkLocal: 'a link-local address (cloud metadata services live there)',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/** A URL's host as DNS and the allow list know it: lower case, an IPv6 literal without its brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Why Keyring must not connect to `address`, or null when it may. Outside production, loopback is allowed. */
export function addressProblem(address: string, policy: OutboundPolicy): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
    parsed = ipaddr.process(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const range = parsed.range();
  if (range === 'unicast' || (range === 'loopback' && !policy.production)) return null;
  return `${address} is ${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}`;
}

/**
 * Resolves `host` and checks every address it has, unless the host is allowed by name: refused if any is internal
 * (a name with one public and one internal address would otherwise be a coin toss). Run at creation and again
 * before every connection, which then goes to the returned address. Messages speak of the field `url`.
 */
export async function checkHost(host: string, policy: OutboundPolicy): Promise<CheckedAddress> {
  let addresses: { address: string; family: number }[];
  try {
    addresses = ipaddr.isValid(host) ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused(`url's host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new TargetRefused(`url's host ${host} does not resolve`);
  if (!policy.allowedHosts.includes(host)) {
    for (const { address } of addresses) {
      const problem = addressProblem(address, policy);
      if (problem) {
        const via = address === host ? '' : `${host} resolves to `;
        throw new TargetRefused(`url's host is refused: ${via}${problem}; add the host to KEYRING_WEBHOOK_ALLOWED_HOSTS if it is meant`);
      }
    }
  }
  const [first] = addresses;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * What the audit log and the console's sentences say of a receiver's URL: its origin (`https://hooks.example.com`),
 * never its path or query, which may hold the receiver's own token. A syslog target (`tcp://host:port`, a scheme
 * without an origin) has neither and is said whole.
 */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
}
