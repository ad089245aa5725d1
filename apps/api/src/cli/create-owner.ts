import type { INestApplicationContext } from '@nestjs/common';
import { SetupService } from '../setup/setup.service';

export interface OwnerRequest {
  email: string;
  organizationName: string;
  password: string;
}

/**
 * First-run setup without the console, for automated installs: the same checks and audit record as the setup
 * page, with the operator's access to the server standing in for the setup token.
 */
export async function createOwner(app: INestApplicationContext, request: OwnerRequest, print: (line: string) => void): Promise<number> {
  const { user, organization } = await app.get(SetupService).completeByOperator(request);
  print(`Created owner ${user.email} of "${organization.name}" (${organization.id}). Sign in at the console.`);
  return 0;
}
