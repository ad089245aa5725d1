import { Injectable } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/** Asks a signed-in user for their password again before something sensitive (reveal a secret, turn off 2FA). */
@Injectable()
export class Reauthentication {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findById(userId);
    return user !== null && (await this.hasher.verify(user.passwordHash, password));
  }
}
