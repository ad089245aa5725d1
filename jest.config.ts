import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

// `npm test`: every project's unit and integration tests. The browser tests need the built apps and Chromium,
// so they run apart, with `npm run e2e`.
export default async (): Promise<Config> => ({
  // A run-wide option (projects cannot set it): integration tests start apps and databases.
  testTimeout: 30_000,
  projects: (await getJestProjectsAsync()).filter((project) => !project.includes('admin-e2e')),
});
