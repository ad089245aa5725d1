import type { AuditStreamKind } from '@keyring/contracts';
import { checkHost, hostOf, type CheckedAddress, type OutboundPolicy } from '../common/outbound/outbound-address';

/** Where a stream sends (`url` as stored, normalized): a TCP (or TLS) syslog receiver, or an HTTPS endpoint taking NDJSON. */
export type StreamTarget =
  | { kind: 'syslog'; url: string; host: string; port: number; tls: boolean }
  | { kind: 'https'; url: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The target `url` names for a stream of `kind`, or what is wrong with it (a sentence about the field `url`).
 * Credentials in the URL are refused: the URL is shown to every reader of the stream and kept in clear.
 * Plain `http://` is for a receiver on this machine outside production only (a local receiver while developing).
 */
export function parseStreamTarget(kind: AuditStreamKind, text: string, production: boolean): StreamTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return kind === 'syslog' ? 'url must be tcp://host:port or tls://host:port' : 'url must be an https:// URL';
  }
  if (url.username || url.password) return 'url must not hold credentials (user:password@)';
  if (kind === 'syslog') {
    if (url.protocol !== 'tcp:' && url.protocol !== 'tls:') return 'url must be tcp://host:port or tls://host:port for syslog';
    if (!url.hostname || !url.port) return 'url must name a host and a port, as in tcp://host:514';
    if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) return 'url must be only tcp://host:port or tls://host:port, no path';
    // URL keeps IPv6 literals in brackets; net.connect wants them bare.
    return { kind, url: `${url.protocol}//${url.host}`, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port), tls: url.protocol === 'tls:' };
  }
  if (url.protocol === 'https:') return { kind, url: url.href };
  if (url.protocol === 'http:' && !production && LOOPBACK.has(url.hostname)) return { kind, url: url.href };
  return production || url.protocol !== 'http:'
    ? 'url must be an https:// URL'
    : 'url must be an https:// URL (http:// only to localhost, outside production)';
}

/** The receiver's host resolved and checked against the policy (throws TargetRefused): at creation and at every connection. */
export function checkStreamTarget(target: StreamTarget, policy: OutboundPolicy): Promise<CheckedAddress> {
  return checkHost(target.kind === 'syslog' ? target.host.toLowerCase() : hostOf(new URL(target.url)), policy);
}
