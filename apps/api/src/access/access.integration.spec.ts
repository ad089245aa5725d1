import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { addMember, completeSetup, OWNER, TEST_SETUP_TOKEN } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { ACCESS_RULE, type AccessRule } from './access.decorators';

/** Every route handler of the running app, with the access rule it declares (or undefined). */
function registeredRoutes(keyring: TestApp): { route: string; rule: AccessRule | undefined }[] {
  const reflector = keyring.app.get(Reflector);
  const routes: { route: string; rule: AccessRule | undefined }[] = [];
  for (const module of keyring.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as new (...args: unknown[]) => unknown;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = `${Reflect.getMetadata(PATH_METADATA, controller)}/${Reflect.getMetadata(PATH_METADATA, handler)}`;
        routes.push({ route: `${method} ${path}`, rule: reflector.getAllAndOverride(ACCESS_RULE, [handler, controller]) });
      }
    }
  }
  return routes;
}

describe('access control (real app)', () => {
  let keyring: TestApp;

  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  it('every registered route declares who may call it', () => {
    const routes = registeredRoutes(keyring);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter(({ rule }) => rule === undefined).map(({ route }) => route)).toEqual([]);
  });

  it('leaks no password, session token, CSRF token, invitation or setup token into logs or audit rows', async () => {
    const { organizationId, owner } = await completeSetup(keyring);
    const invited = await owner.request('POST', `/api/v1/orgs/${organizationId}/members/invitations`, {
      body: { email: 'leak-check@agency.example', role: 'operator' },
    });
    const member = await addMember(keyring, owner, organizationId, 'second@agency.example', 'admin');
    await keyring.request('POST', '/api/v1/auth/login', { body: { email: OWNER.email, password: 'a-wrong-password-xyz' } });
    await member.request('POST', '/api/v1/auth/logout');

    const secrets = [
      OWNER.password,
      'a-wrong-password-xyz',
      'admin-password-harbor-7',
      TEST_SETUP_TOKEN,
      invited.body.token,
      owner.cookie.split('=')[1],
      owner.csrfToken,
      member.cookie.split('=')[1],
      member.csrfToken,
    ];
    const auditRows = JSON.stringify(await keyring.db.query('SELECT * FROM audit_events'));
    const logs = keyring.logs.join('\n');
    for (const secret of secrets) {
      expect({ secret, inLogs: logs.includes(secret), inAudit: auditRows.includes(secret) }).toEqual({
        secret,
        inLogs: false,
        inAudit: false,
      });
    }
  });
});
