import type { ApiKeyPrincipal } from '../tenant-api/api-keys.repository';
import type { Principal } from './principal';
import type { RequestContext } from './request-context';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    apiKey?: ApiKeyPrincipal;
    keyringContext?: RequestContext;
  }
}
