import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SessionLookup } from '../access/access-lookups';
import { constantTimeEqual, csrfTokenFor, newToken, sha256 } from './secret-tokens';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;
/** `last_seen_at` is refreshed at most this often, so that reading pages does not write on every request. */
const LAST_SEEN_RESOLUTION_SECONDS = 60;

export interface ActiveSession {
  sessionId: string;
  userId: string;
  email: string;
}

@Injectable()
export class SessionsService implements SessionLookup {
  constructor(private readonly db: DataSource) {}

  csrfTokenMatches(sessionToken: string, csrfToken: string): boolean {
    return constantTimeEqual(csrfToken, csrfTokenFor(sessionToken));
  }

  /** Opens a session and returns its token, which exists only in the caller's cookie from now on. */
  async open(manager: EntityManager, userId: string, ip: string | null, userAgent: string | null): Promise<string> {
    const token = newToken();
    await manager.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent)
       VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
      [sha256(token), userId, SESSION_ABSOLUTE_HOURS, ip, userAgent],
    );
    return token;
  }

  /** The session of a token, if neither idle nor absolute expiry has passed. */
  async find(token: string): Promise<ActiveSession | null> {
    const rows = await this.db.query<{ session_id: string; user_id: string; email: string; stale: boolean }[]>(
      `SELECT s.id AS session_id, s.user_id, u.email,
              s.last_seen_at < now() - make_interval(secs => $3) AS stale
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)`,
      [sha256(token), SESSION_IDLE_MINUTES, LAST_SEEN_RESOLUTION_SECONDS],
    );
    const [row] = rows;
    if (!row) return null;
    if (row.stale) await this.db.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [row.session_id]);
    return { sessionId: row.session_id, userId: row.user_id, email: row.email };
  }

  async close(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
  }
}
