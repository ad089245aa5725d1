import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Where webhooks may go: production refuses internal addresses, except on the allowed hosts. */
export interface TargetPolicy {
  production: boolean;
  /** KEYRING_WEBHOOK_ALLOWED_HOSTS, lower-case. */
  allowedHosts: readonly string[];
}

/** A URL Keyring will not send to, and why (said to the admin at creation, kept as the delivery's error later). */
export class TargetRefused extends Error {}

/** The address a delivery connects to: the one that was checked, so that a second DNS answer cannot differ. */
export interface CheckedTarget {
  url: URL;
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

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** The URL, if its form is acceptable: http(s), no user or password in it; https only in production unless allowed. */
export function parseTargetUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('url is not a valid URL (expected https://host/path)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('url must start with https:// (or http:// outside production)');
  if (url.username || url.password) throw new TargetRefused('url must not hold a user name or password: webhooks are authenticated by their signature');
  // Events are signed but not encrypted: over plain http anyone on the way reads them. Internal receivers that
  // the operator allowed by name may still use http.
  if (policy.production && url.protocol === 'http:' && !policy.allowedHosts.includes(hostOf(url))) {
    throw new TargetRefused('url must use https:// in production (or its host must be in KEYRING_WEBHOOK_ALLOWED_HOSTS)');
  }
  return url;
}

/** Why Keyring must not connect to `address`, or null when it may. Outside production, loopback is allowed. */
export function addressProblem(address: string, policy: TargetPolicy): string | null {
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
 * Resolves the URL's host and checks every address it has, unless the host is allowed by name: refused if any is
 * internal (a name with one public and one internal address would otherwise be a coin toss). Runs at creation and
 * again before every delivery attempt, whose connection then goes to the returned address.
 */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<CheckedTarget> {
  const host = hostOf(url);
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
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * What the audit log and the console's sentences say of a webhook's URL: its origin (`https://hooks.example.com`),
 * never its path or query, which may hold the receiver's own token.
 */
export function originOf(url: string): string {
  return new URL(url).origin;
}
