import type { Principal } from './principal';
import type { RequestContext } from './request-context';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    keyringContext?: RequestContext;
  }
}
