import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { systemContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { originOf, type OutboundPolicy, TargetRefused } from '../common/outbound/outbound-address';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { outboundPolicy } from '../config/outbound-policy';
import { Envelope } from '../crypto/envelope';
import { Metrics } from '../metrics/metrics';
import { DeliveryPace } from './delivery-pace';
import { retryDelayMs } from './retry-schedule';
import { type AttemptRecord, type ClaimedDelivery, type RecordedAttempt, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { DELIVERY_TIMEOUT_MS, postWebhook, type AttemptResult } from './webhook-sender';
import { signatureHeader, webhookSecretBinding } from './webhook-signature';
import { checkTarget, parseTargetUrl } from './webhook-target';

/** How long a claimed delivery stays this instance's: well past an attempt's end (DNS, connect, 5 s answer). */
export const LEASE_MS = DELIVERY_TIMEOUT_MS + 25_000;
/** Decrypted signing secrets kept in memory, by ciphertext (a rotation makes a new ciphertext). */
const SECRET_CACHE_ENTRIES = 1_000;
const GONE_REASON = 'The endpoint answered 410 Gone';

/**
 * Sends the outbox's deliveries, on every instance: woken when an event commits (the change feed), when the next
 * delivery is due (a retry), and every `webhookPollMs` at the latest, it keeps up to `webhookConcurrency` attempts under way, each on a claimed delivery.
 * A 2xx ends a delivery; a 410 ends it and turns its webhook off; anything else is retried with backoff until
 * `webhookRetryHours` after the event, then it is marked failed. The same webhook-id (the delivery's id) and body
 * go out on every attempt. While the instance is busy serving requests, deliveries yield to them (DeliveryPace).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly policy: OutboundPolicy;
  private readonly secrets = new Map<string, string>();
  private readonly pace: DeliveryPace;
  /** Outcomes waiting for their statement: attempts that end in the same turn of the event loop share one. */
  private toRecord: { record: RecordedAttempt; done: (error?: unknown) => void }[] = [];
  /** The next look at the outbox: when the next delivery is due, or `webhookPollMs` from now at the latest. */
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private draining: Promise<void> | null = null;
  /** Attempts under way, one per slot of `webhookConcurrency`. */
  private readonly inFlight = new Set<Promise<void>>();
  private wokenWhileDraining = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly envelope: Envelope,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
    metrics: Metrics,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {
    this.pace = new DeliveryPace(config.webhookBusyRate, () => metrics.traffic.perSecond());
    this.policy = outboundPolicy(config);
  }

  onApplicationBootstrap(): void {
    this.changes.subscribe((change) => {
      if (change === 'all' || change.kind === 'webhook-deliveries') this.wake();
    });
    this.wake();
  }

  /** Looks at the outbox again at `at` (ms since the epoch), unless a look is due sooner already. */
  private lookNoLaterThan(at: number): void {
    const when = Math.min(at, Date.now() + this.config.webhookPollMs);
    if (this.stopped || when >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = setTimeout(() => {
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, when - Date.now()));
    this.timer.unref();
  }

  /** Stops claiming and lets the attempts under way finish (before the database pool closes). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
    await Promise.all(this.inFlight);
  }

  /** Sends whatever is due now; a wake-up during a round starts another one after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wokenWhileDraining = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.warn(`Webhook deliveries paused: ${(error as Error).message}`))
      .finally(() => {
        this.draining = null;
        if (this.wokenWhileDraining) {
          this.wokenWhileDraining = false;
          this.wake();
        }
      });
  }

  /**
   * Claims as many due deliveries as there are free slots (and as the pace allows) and starts each; a slow receiver
   * holds only its own slot (at most 5 s), never the others. Returns once nothing more is due or the pace says
   * wait; the attempts under way finish on their own.
   */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      const slots = this.config.webhookConcurrency - this.inFlight.size;
      if (slots === 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      const allowed = this.pace.allowance();
      if (allowed === 0) {
        this.lookNoLaterThan(this.pace.nextBatchAt());
        return;
      }
      const free = Math.min(slots, allowed);
      const batch = await this.deliveries.claim(free, LEASE_MS);
      this.pace.spend(batch.length);
      for (const delivery of batch) this.track(this.attempt(delivery));
      if (batch.length < free) {
        // Nothing more is due: sleep until the next delivery is (a retry, another instance's lease running out),
        // unless an event's commit wakes this instance first. Idle, the outbox is read every `webhookPollMs`.
        const untilNext = await this.deliveries.msUntilNextDue();
        this.lookNoLaterThan(untilNext === null ? Infinity : Date.now() + untilNext);
        return;
      }
    }
  }

  private track(attempt: Promise<void>): void {
    const tracked = attempt
      .catch((error: unknown) => this.logger.warn(`A webhook attempt could not be recorded (its lease will run out and it is sent again): ${(error as Error).message}`))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** One attempt and its record; a 410 also turns the webhook off, audited, in the same transaction. */
  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const result = await this.send(delivery);
    const record = { id: delivery.id, leaseToken: delivery.leaseToken, ...this.outcome(delivery, result) };
    if (result.status !== 410) {
      await this.recordSoon(record);
      if (record.nextAttemptAt) this.lookNoLaterThan(record.nextAttemptAt.getTime());
      return;
    }
    await this.db.transaction(async (manager) => {
      if ((await this.deliveries.record(manager, [record])).length === 1) await this.turnOff(manager, delivery);
    });
  }

  private recordSoon(record: RecordedAttempt): Promise<void> {
    return new Promise((resolve, reject) => {
      this.toRecord.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.toRecord.length > 1) return;
      setImmediate(() => {
        const waiting = this.toRecord;
        this.toRecord = [];
        this.deliveries.record(this.db.manager, waiting.map((entry) => entry.record)).then(
          () => waiting.forEach((entry) => entry.done()),
          (error: unknown) => waiting.forEach((entry) => entry.done(error ?? new Error('recording failed'))),
        );
      });
    });
  }

  private async turnOff(manager: EntityManager, delivery: ClaimedDelivery): Promise<void> {
    const disabled = await this.deliveries.disable(manager, delivery.webhookId, GONE_REASON);
    if (!disabled) return;
    await this.audit.record(manager, systemContext(), {
      organizationId: disabled.organizationId,
      action: 'webhook.disabled',
      target: { type: 'webhook', id: delivery.webhookId },
      details: { origin: originOf(disabled.url), reason: GONE_REASON },
    });
  }

  /** One attempt: the target checked again (DNS now, not at creation), signed with every live secret, posted. */
  private async send(delivery: ClaimedDelivery): Promise<AttemptResult> {
    try {
      const target = await checkTarget(parseTargetUrl(delivery.url, this.policy), this.policy);
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(await this.signingSecrets(delivery), delivery.id, timestamp, delivery.payload),
      };
      return await postWebhook(target, headers, delivery.payload);
    } catch (error) {
      if (error instanceof TargetRefused) return { status: null, body: null, latencyMs: 0, error: error.message };
      // E.g. a secret under a master key this instance lacks: retried like a failed attempt, told in the log.
      this.logger.warn(`Webhook delivery ${delivery.id} could not be sent: ${(error as Error).message}`);
      return { status: null, body: null, latencyMs: 0, error: 'Keyring could not sign or send it (see the server log)' };
    }
  }

  private outcome(delivery: ClaimedDelivery, result: AttemptResult): AttemptRecord {
    const answer = { responseStatus: result.status, responseBody: result.body, latencyMs: result.latencyMs };
    if (result.status !== null && result.status >= 200 && result.status < 300) return { ...answer, status: 'succeeded', nextAttemptAt: null, lastError: null };
    const lastError = result.error ?? `The endpoint answered ${result.status}`;
    if (result.status === 410) return { ...answer, status: 'failed', nextAttemptAt: null, lastError: `${GONE_REASON}: the webhook was turned off` };
    const next = new Date(Date.now() + retryDelayMs(delivery.attempts, this.config.webhookRetryBaseMs));
    if (next > new Date(delivery.retryUntil)) return { ...answer, status: 'failed', nextAttemptAt: null, lastError: `${lastError}; no more retries` };
    return { ...answer, status: 'pending', nextAttemptAt: next, lastError };
  }

  /** The current secret and, during a rotation's overlap, the previous one. */
  private async signingSecrets(delivery: ClaimedDelivery): Promise<string[]> {
    const binding = webhookSecretBinding(delivery.organizationId, delivery.webhookId);
    const open = async (jwe: string) => {
      let secret = this.secrets.get(jwe);
      if (secret === undefined) {
        secret = await this.envelope.decrypt(jwe, binding);
        if (this.secrets.size >= SECRET_CACHE_ENTRIES) this.secrets.clear();
        this.secrets.set(jwe, secret);
      }
      return secret;
    };
    const previous = delivery.previousSecretExpiresAt && new Date(delivery.previousSecretExpiresAt) > new Date() ? delivery.previousSecretEnc : null;
    return [await open(delivery.secretEnc), ...(previous ? [await open(previous)] : [])];
  }
}
