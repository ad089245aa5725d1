// Server-side additions to @keyring/signing (node:crypto), kept out of the entry point the console imports.
export * from './lib/fast-signer';
