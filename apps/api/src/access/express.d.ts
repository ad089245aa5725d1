import type { Principal } from './principal';
import type { RequestContext } from './request-context';
import type { Scope } from './scope';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    keyringContext?: RequestContext;
    /** Set by the AccessGuard on organization routes. */
    scope?: Scope;
  }
}
