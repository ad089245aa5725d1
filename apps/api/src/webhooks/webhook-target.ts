import { checkHost, hostOf, type CheckedAddress, type OutboundPolicy, TargetRefused } from '../common/outbound/outbound-address';

/** A delivery's target: the URL and the address that was checked for it. */
export interface CheckedTarget extends CheckedAddress {
  url: URL;
}

/** The URL, if its form is acceptable: http(s), no user or password in it; https only in production unless allowed. */
export function parseTargetUrl(raw: string, policy: OutboundPolicy): URL {
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

/** The URL's host resolved and checked (see checkHost): at creation and again before every delivery attempt. */
export async function checkTarget(url: URL, policy: OutboundPolicy): Promise<CheckedTarget> {
  return { url, ...(await checkHost(hostOf(url), policy)) };
}
