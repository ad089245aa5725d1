import { Injectable } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';

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
 * notice, then the server stops accepting, in-flight requests finish, usage counters are flushed and the pool and
 * the change listener are closed (the modules' shutdown hooks).
 */
export async function drainAndClose(app: INestApplication, graceMs: number): Promise<void> {
  app.get(Lifecycle).startDraining();
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  await app.close();
}
