import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Failures allowed before each further one locks the key for twice as long as the last (1 s, 2 s, … up to
 * MAX_LOCK_SECONDS). Per account that is 18 guesses in the first hour, then 4 an hour.
 */
const FREE_FAILURES = { email: 5, ip: 20 } as const;
const MAX_LOCK_SECONDS = 15 * 60;
/** Failures are forgotten this long after the last one. */
const FORGET_AFTER_SECONDS = 60 * 60;

type ThrottleKind = keyof typeof FREE_FAILURES;

/**
 * Slows down the guessing of passwords and second factors per account (its email) and per client IP with
 * exponential back-off: one budget for sign-in and every re-authentication (see Reauthentication), so that no
 * route gives a second one. Kept in PostgreSQL so that every instance sees the same counts.
 */
@Injectable()
export class CredentialThrottle {
  constructor(private readonly db: DataSource) {}

  /** Seconds until a credential of this account may be tried again from this IP; 0 when it may be tried now. */
  async retryAfterSeconds(email: string, ip: string | null): Promise<number> {
    const rows = await this.db.query<{ wait: string }[]>(
      `SELECT COALESCE(MAX(CEIL(EXTRACT(EPOCH FROM locked_until - now()))), 0) AS wait
         FROM login_throttle WHERE key = ANY($1) AND locked_until > now()`,
      [keysFor(email, ip).map(([key]) => key)],
    );
    return Math.max(0, Number(rows[0]?.wait ?? 0));
  }

  async recordFailure(email: string, ip: string | null): Promise<void> {
    for (const [key, kind] of keysFor(email, ip)) {
      await this.db.query(
        `WITH next AS (
           SELECT CASE WHEN t.updated_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END AS failures
             FROM login_throttle t WHERE t.key = $1
         )
         INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at)
         VALUES ($1, COALESCE((SELECT failures FROM next), 1),
                 CASE WHEN COALESCE((SELECT failures FROM next), 1) > $2
                   THEN now() + make_interval(secs => LEAST($3, power(2, COALESCE((SELECT failures FROM next), 1) - $2 - 1)))
                 END,
                 now())
         ON CONFLICT (key) DO UPDATE
           SET failures = EXCLUDED.failures, locked_until = EXCLUDED.locked_until, updated_at = EXCLUDED.updated_at`,
        [key, FREE_FAILURES[kind], MAX_LOCK_SECONDS, FORGET_AFTER_SECONDS],
      );
    }
  }

  /** A successful check clears its account's count; an IP's count is only forgotten with time. */
  async recordSuccess(email: string): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = $1', [emailKey(email)]);
  }
}

function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}

function keysFor(email: string, ip: string | null): [string, ThrottleKind][] {
  const keys: [string, ThrottleKind][] = [[emailKey(email), 'email']];
  if (ip) keys.push([`ip:${ip}`, 'ip']);
  return keys;
}
