import type { Request } from 'express';

export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous';

export interface Actor {
  type: ActorType;
  id: string | null;
  /** What a person reading the audit log recognizes: an email, an API key prefix, `system`. */
  label: string | null;
}

/** Who is acting and from where: what every audit event records besides the action itself. */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const ANONYMOUS: Actor = { type: 'anonymous', id: null, label: null };
export const SYSTEM: Actor = { type: 'system', id: null, label: 'system' };

export function requestContext(req: Request, actor: Actor): RequestContext {
  const userAgent = req.headers['user-agent'];
  return {
    actor,
    ip: req.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    requestId: req.id ? String(req.id) : null,
  };
}

/** For work that no request started: start-up, commands. */
export function systemContext(): RequestContext {
  return { actor: SYSTEM, ip: null, userAgent: null, requestId: null };
}
