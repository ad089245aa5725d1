import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from './identity.errors';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  /** Set when two-factor sign-in is on. */
  totpEnabled: boolean;
}

const COLUMNS = 'id, email, password_hash AS "passwordHash", totp_enabled_at IS NOT NULL AS "totpEnabled"';

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.db.query<UserRow[]>(
      `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email.trim()],
    );
    return row ?? null;
  }

  async findById(id: string): Promise<UserRow | null> {
    const [row] = await this.db.query<UserRow[]>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Emails are unique whatever their case; the unique index decides, not a prior look-up. */
  async insert(manager: EntityManager, email: string, passwordHash: string): Promise<{ id: string; email: string }> {
    try {
      const [row] = await manager.query<{ id: string; email: string }[]>(
        'INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, email',
        [email.trim(), passwordHash],
      );
      return row;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new IdentityError(IdentityErrorCode.EmailTaken, 'A user with this email already exists.');
      }
      throw error;
    }
  }
}
