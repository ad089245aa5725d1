import { Inject, Injectable } from '@nestjs/common';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * A token bucket per API key, in this instance's memory: `rateLimitPerMinute` userHashes a minute, refilled
 * continuously, bursts up to a minute's worth. (Each instance counts on its own; sharing through Redis is to come.)
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(@Inject(KEYRING_CONFIG) private readonly config: KeyringConfig) {}

  take(apiKeyId: string, cost: number): void {
    const capacity = this.config.rateLimitPerMinute;
    const perMs = capacity / 60_000;
    const now = Date.now();
    const bucket = this.buckets.get(apiKeyId) ?? { tokens: capacity, refilledAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.refilledAt) * perMs);
    bucket.refilledAt = now;
    this.buckets.set(apiKeyId, bucket);
    if (bucket.tokens < cost) {
      const retryAfter = Math.max(1, Math.ceil((cost - bucket.tokens) / perMs / 1000));
      throw new TenantApiError(
        TenantApiErrorCode.RateLimited,
        `This API key is over its limit of ${capacity} userHashes a minute; retry in ${retryAfter} s.`,
        { retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    bucket.tokens -= cost;
  }
}
