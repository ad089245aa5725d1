import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { andThen, type MaybePromise } from '../common/maybe-promise';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

const MINUTE_MS = 60_000;

/**
 * A token bucket per API key: `rateLimitPerMinute` userHashes a minute, refilled continuously, bursts up to a
 * minute's worth. Each instance counts in its own memory unless REDIS_URL is set; then the bucket lives in Redis
 * and is shared by every instance (see RedisBuckets).
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly local: LocalBuckets;
  private readonly shared?: RedisBuckets;

  constructor(@Inject(KEYRING_CONFIG) private readonly config: KeyringConfig) {
    this.local = new LocalBuckets(config.rateLimitPerMinute);
    if (config.redisUrl) this.shared = new RedisBuckets(config.redisUrl, config.rateLimitPerMinute, this.local);
  }

  take(apiKeyId: string, cost: number): MaybePromise<void> {
    const waitMs = this.shared ? this.shared.take(apiKeyId, cost) : this.local.take(apiKeyId, cost);
    return andThen(waitMs, (wait) => {
      if (wait > 0) throw this.rateLimited(wait);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shared?.close();
  }

  private rateLimited(waitMs: number): TenantApiError {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new TenantApiError(
      TenantApiErrorCode.RateLimited,
      `This API key is over its limit of ${this.config.rateLimitPerMinute} userHashes a minute; retry in ${retryAfter} s.`,
      { retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/** Buckets in this process's memory. `take` answers 0 when the tokens were taken, else how long to wait (ms). */
class LocalBuckets {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(private readonly capacity: number) {}

  take(id: string, cost: number): number {
    const perMs = this.capacity / MINUTE_MS;
    const now = Date.now();
    const bucket = this.buckets.get(id) ?? { tokens: this.capacity, refilledAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.refilledAt) * perMs);
    bucket.refilledAt = now;
    this.buckets.set(id, bucket);
    if (bucket.tokens < cost) return (cost - bucket.tokens) / perMs;
    bucket.tokens -= cost;
    return 0;
  }
}

/**
 * Refills the bucket in KEYS[1] by the time elapsed (Redis's clock, so instances' clocks do not matter) and takes
 * up to ARGV[2] tokens if at least ARGV[3] are there. Returns { granted, wait in ms when nothing was granted }.
 */
const LEASE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local needed = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * capacity / 60000)
local granted = 0
local wait = 0
if tokens >= needed then
  granted = math.min(wanted, math.floor(tokens))
  tokens = tokens - granted
else
  wait = math.ceil((needed - tokens) * 60000 / capacity)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], 120000)
return { granted, wait }
`;

/**
 * Buckets shared through Redis. A round trip per request would cost more than the signing, so each instance
 * leases tokens in slices of 1% of the limit and spends them from memory: all instances together admit at most
 * the limit plus one slice per instance. While Redis cannot be reached, each instance falls back to its own
 * buckets (the limit is then per instance) rather than refusing service, and says so in the log.
 */
class RedisBuckets {
  private readonly logger = new Logger('RateLimiter');
  private readonly redis: Redis;
  private readonly slice: number;
  private readonly leased = new Map<string, number>();
  /** One lease request at a time per key; concurrent requests wait for it. */
  private readonly leasing = new Map<string, Promise<number>>();
  private warnedAt = 0;
  private closing = false;

  constructor(
    url: string,
    private readonly capacity: number,
    private readonly fallback: LocalBuckets,
  ) {
    this.slice = Math.max(1, Math.floor(capacity / 100));
    // Fail fast while Redis is away (no queue, one try), and reconnect in the background.
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => (this.closing ? null : Math.min(attempt * 100, 2000)),
    });
    this.redis.on('error', (error) => this.warn(error));
    this.redis.defineCommand('keyringLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
  }

  take(id: string, cost: number): MaybePromise<number> {
    const held = this.leased.get(id) ?? 0;
    if (held >= cost) {
      this.leased.set(id, held - cost);
      return 0;
    }
    let lease = this.leasing.get(id);
    if (!lease) {
      lease = this.lease(id, Math.max(cost, this.slice), cost - held).finally(() => this.leasing.delete(id));
      this.leasing.set(id, lease);
    }
    // After the lease, try again from memory: another request of the same key may have spent it first.
    return lease.then((wait) => (wait > 0 ? wait : this.take(id, cost)));
  }

  async close(): Promise<void> {
    this.closing = true;
    // QUIT when connected; otherwise just stop reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }

  /** Adds up to `wanted` tokens to this instance's lease if at least `needed` are left; else how long to wait. */
  private async lease(id: string, wanted: number, needed: number): Promise<number> {
    try {
      const [granted, wait] = (await (this.redis as Redis & { keyringLease: (...args: unknown[]) => Promise<[number, number]> }).keyringLease(
        `keyring:rate:${id}`,
        this.capacity,
        wanted,
        needed,
      ));
      this.leased.set(id, (this.leased.get(id) ?? 0) + granted);
      return granted > 0 ? 0 : wait;
    } catch (error) {
      this.warn(error);
      const wait = this.fallback.take(id, needed);
      if (wait === 0) this.leased.set(id, (this.leased.get(id) ?? 0) + needed);
      return wait;
    }
  }

  private warn(error: unknown): void {
    if (Date.now() - this.warnedAt < MINUTE_MS) return;
    this.warnedAt = Date.now();
    // The message only: ioredis attaches the failed command to its errors, and an AUTH command carries the password.
    const { message, code } = error as { message?: string; code?: string };
    this.logger.warn({ redisError: { message, code } }, 'Redis is unreachable: rate limits are counted per instance until it is back');
  }
}
