import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** A flat list of response headers, as `[name, value]` pairs. */
export type HeaderList = [string, string][];

export interface SecurityHeaderOptions {
  production: boolean;
  /** Hashes (`'sha256-…'`) of the console's inline scripts, if its build has any; nothing else may run inline. */
  inlineScriptHashes: string[];
}

/**
 * The security headers of every response, Nest's, the console's and the lean routes' alike: helmet's, set up for
 * a console that reveals secrets. Worked out once at start-up (by running helmet against a recorder) so that the
 * lean routes can write them with the rest of their headers, at no cost per request.
 */
export function securityHeaders({ production, inlineScriptHashes }: SecurityHeaderOptions): HeaderList {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes],
        scriptSrcAttr: ["'none'"],
        // Angular and Material add component styles at run time as <style> elements and style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        // The console's index.html sets <base href="/">, which its lazy chunks' relative URLs need.
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Over plain HTTP (a local install) this would send the browser to an https:// port that is not there.
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Only in production, where TLS is in front; a local install on http://localhost must not pin HTTPS.
    strictTransportSecurity: production ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
  const headers: HeaderList = [];
  const recorder = {
    setHeader: (name: string, value: string) => void headers.push([name.toLowerCase(), value]),
    removeHeader: () => undefined,
  } as unknown as ServerResponse;
  middleware({} as IncomingMessage, recorder, () => undefined);
  return headers;
}

/** API answers (secrets, keys, invitation links) are never kept by a browser or a proxy. */
export const NO_STORE: [string, string] = ['cache-control', 'no-store'];
