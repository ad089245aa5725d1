import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// jsdom has no WebCrypto; the console computes secret fingerprints with it, as browsers do.
Object.defineProperty(globalThis, 'crypto', { value: require('node:crypto').webcrypto, configurable: true });
