export * from './lib/problem';
