import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

// `npm test`: every project's unit and integration tests. The browser tests need the built apps and Chromium,
// so they run apart, with `npm run e2e`.
export default async (): Promise<Config> => ({
  projects: (await getJestProjectsAsync()).filter((project) => !project.includes('admin-e2e')),
});
