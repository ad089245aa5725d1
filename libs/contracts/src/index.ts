export * from './lib/problem';
export * from './lib/permissions';
export * from './lib/api';
export * from './lib/rules';
export * from './lib/audit-actions';
export * from './lib/webhook-events';
