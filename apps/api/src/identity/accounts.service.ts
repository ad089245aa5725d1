import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PasswordHasher } from './password-hasher';
import { assertStrongPassword } from './password-policy';
import { UsersRepository } from './users.repository';

export interface Account {
  id: string;
  email: string;
}

/** Identity's door for the features above it: they find and create accounts here, never in its tables. */
@Injectable()
export class Accounts {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async findByEmail(email: string): Promise<Account | null> {
    const user = await this.users.findByEmail(email);
    return user && { id: user.id, email: user.email };
  }

  async findById(id: string): Promise<Account | null> {
    const user = await this.users.findById(id);
    return user && { id: user.id, email: user.email };
  }

  /** A new account, in the caller's transaction; the password must pass the policy. */
  async create(manager: EntityManager, email: string, password: string): Promise<Account> {
    assertStrongPassword(password, email);
    return this.users.insert(manager, email, await this.hasher.hash(password));
  }

  /** Whether `password` is the account's; an unknown account costs as long as a wrong password. */
  async passwordMatches(email: string, password: string): Promise<boolean> {
    const user = await this.users.findByEmail(email);
    return this.hasher.verify(user?.passwordHash ?? null, password);
  }
}
