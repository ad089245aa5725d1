import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// jsdom has no WebCrypto; the console computes secret fingerprints with it, as browsers do.
// eslint-disable-next-line @typescript-eslint/no-require-imports
Object.defineProperty(globalThis, 'crypto', { value: require('node:crypto').webcrypto, configurable: true });
