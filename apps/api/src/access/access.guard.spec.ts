import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccessError } from './access.errors';

@Controller('forgotten')
class ForgottenController {
  @Get()
  handler() {
    return 'should never run';
  }
}

describe('AccessGuard', () => {
  it('refuses a route that declares no access rule, before looking at any credential', async () => {
    const sessions = { find: jest.fn() };
    const guard = new AccessGuard(new Reflector(), sessions as never, {} as never);
    const context = {
      getHandler: () => ForgottenController.prototype.handler,
      getClass: () => ForgottenController,
      switchToHttp: () => ({ getRequest: () => ({ method: 'GET', headers: {}, cookies: {} }) }),
    } as unknown as ExecutionContext;

    const refusal = guard.canActivate(context);
    await expect(refusal).rejects.toBeInstanceOf(AccessError);
    await expect(refusal).rejects.toMatchObject({ status: 403, code: 'no-access-rule' });
    expect(sessions.find).not.toHaveBeenCalled();
  });
});
