import type { OutboundPolicy } from '../common/outbound/outbound-address';
import type { KeyringConfig } from './keyring-config';

/**
 * Where webhooks and audit streams may connect: in production no internal address unless its host is in
 * KEYRING_WEBHOOK_ALLOWED_HOSTS; outside production, loopback too (a local receiver while developing).
 */
export function outboundPolicy(config: KeyringConfig): OutboundPolicy {
  return { production: config.nodeEnv === 'production', allowedHosts: config.webhookAllowedHosts };
}
