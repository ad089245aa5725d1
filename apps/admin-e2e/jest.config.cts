/** Browser tests: Debian's Chromium, driven by playwright-core, against the built API and console. */
module.exports = {
  displayName: 'admin-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  testTimeout: 60_000,
  // A failed test can leave a receiver or a browser behind; CI must end with the verdict rather than wait on it.
  forceExit: true,
};
