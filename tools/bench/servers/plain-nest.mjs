// (b) What a tenant would write themselves: NestJS + Express, jose for the token, one pg query per request for the key.
import 'reflect-metadata';
import { Body, Controller, Headers, HttpCode, Module, Post, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SignJWT } from 'jose';
import { createHash } from 'node:crypto';
import pg from 'pg';

const { PORT, DATABASE_URL, SECRET } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const secret = new TextEncoder().encode(SECRET);

class UserHashController {
  async issue(body, authorization) {
    const hash = createHash('sha256').update((authorization ?? '').slice(7)).digest();
    const { rows } = await pool.query('SELECT id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    if (rows.length === 0) throw new UnauthorizedException();
    const userHash = await new SignJWT({ jti: body.userIdentifier }).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(secret);
    return { userIdentifier: body.userIdentifier, userHash, keyVersion: 1 };
  }
}
// Decorators applied by hand: this file is plain JavaScript.
Reflect.decorate([Post('user-hash'), HttpCode(200)], UserHashController.prototype, 'issue', Object.getOwnPropertyDescriptor(UserHashController.prototype, 'issue'));
Body()(UserHashController.prototype, 'issue', 0);
Headers('authorization')(UserHashController.prototype, 'issue', 1);
Reflect.decorate([Controller()], UserHashController);
class AppModule {}
Reflect.decorate([Module({ controllers: [UserHashController] })], AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(Number(PORT), '127.0.0.1');
process.send?.('ready');
