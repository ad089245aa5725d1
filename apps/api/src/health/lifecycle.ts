import { Injectable } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/** Whether this instance is on its way out: /readyz then says no, so that load balancers stop sending traffic. */
@Injectable()
export class Lifecycle {
  private _draining = false;

  get draining(): boolean {
    return this._draining;
  }

  startDraining(): void {
    this._draining = true;
  }
}

/**
 * A graceful stop: /readyz fails at once, new requests keep being served for `graceMs` while load balancers
 * notice, then the server stops accepting, the connections it accepted get their answers (for at most `graceMs`
 * again), usage counters are flushed and the pool and the change listener are closed (the modules' shutdown hooks).
 */
export async function drainAndClose(app: INestApplication, graceMs: number): Promise<void> {
  app.get(Lifecycle).startDraining();
  const server = app.getHttpServer() as Server;
  // Every answer from now on closes its connection: a proxy's pooled keep-alive connections are retired one by one
  // after a complete answer, instead of being cut when the server stops, where a POST already sent on one is lost
  // (nginx never re-sends a POST). New connections then meet the closed listener and are retried elsewhere.
  server.prependListener('request', (_request, response: ServerResponse) => {
    response.shouldKeepAlive = false;
  });
  if (graceMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    await stopAccepting(server, graceMs);
  }
  await app.close();
}

/**
 * Closes the listener but lets each connection already accepted deliver its request and get its answer (for at
 * most `lingerMs`): http.Server#close would also destroy the connections whose request has not been read yet, and a
 * proxy that had just sent a POST on one gets a reset it must not retry.
 */
function stopAccepting(server: Server, lingerMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, lingerMs);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
