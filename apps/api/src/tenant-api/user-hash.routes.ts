import { Inject, Injectable } from '@nestjs/common';
import { UUID_PATTERN, type ApiKeyScope } from '@keyring/contracts';
import type { LeanRequest, LeanRoute } from '../common/http/lean-routes';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { andThen, type MaybePromise } from '../common/maybe-promise';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiKeyPrincipal } from './api-keys.repository';
import { widgetNotFound } from './tenant-api.errors';
import { parseBatchRequest, parseIssueRequest, parseVerifyRequest } from './user-hash.requests';
import { UserHashService } from './user-hash.service';

export interface UserHashRoute extends LeanRoute {
  /** For the route list (documentation, authorization matrix). */
  method: 'POST';
  scope: ApiKeyScope;
}

/**
 * What tenants' backends call, with an API key, on every page view of a signed-in visitor. Served as lean routes
 * (see LeanRoute) for speed; the checks come in the same order as a guarded Nest route: key, then widget id,
 * then body — which is not read at all for a caller without a valid key.
 */
@Injectable()
export class UserHashRoutes {
  readonly routes: UserHashRoute[];

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    userHashes: UserHashService,
    @Inject(KEYRING_CONFIG) config: KeyringConfig,
  ) {
    this.routes = [
      this.route('', 'user-hash:issue', (key, widgetId, body) =>
        andThen(userHashes.issue(key, widgetId, [parseIssueRequest(body)]), ([issued]) => issued),
      ),
      this.route('/batch', 'user-hash:issue', (key, widgetId, body) =>
        andThen(userHashes.issue(key, widgetId, parseBatchRequest(body, config.rateLimitPerMinute)), (items) => ({ items })),
      ),
      this.route('/verify', 'user-hash:verify', (key, widgetId, body) => userHashes.verify(key, widgetId, parseVerifyRequest(body))),
    ];
  }

  private route(
    suffix: string,
    scope: ApiKeyScope,
    run: (key: ApiKeyPrincipal, widgetId: string, body: unknown) => MaybePromise<unknown>,
  ): UserHashRoute {
    return {
      method: 'POST',
      pattern: `/api/v1/widgets/:widgetId/user-hash${suffix}`,
      path: new RegExp(`^/api/v1/widgets/([^/]+)/user-hash${suffix}/?$`),
      scope,
      admit: ({ params: [widgetId], headers }: LeanRequest) =>
        andThen(this.authenticator.authenticate(headers.authorization, scope), (key) => {
          if (!UUID_PATTERN.test(widgetId)) throw widgetNotFound();
          return (body: unknown) => run(key, widgetId, body);
        }),
    };
  }
}
