export * from './lib/user-hash';
export * from './lib/user-hash-error';
export * from './lib/snippets';
export * from './lib/fingerprint';
