import { API_KEY_PREFIX, isWellFormedApiKey, newApiKey } from './api-key-format';

describe('API key format', () => {
  it('is kr_, 43 random base62 characters and a 6-character checksum', () => {
    const key = newApiKey();
    expect(key).toMatch(/^kr_[0-9A-Za-z]{49}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it('differs every time', () => {
    expect(new Set(Array.from({ length: 100 }, newApiKey)).size).toBe(100);
  });

  it('fails the checksum when any character changes, and refuses other shapes', () => {
    const key = newApiKey();
    for (const index of [3, 20, 45, 51]) {
      const changed = key.slice(0, index) + (key[index] === 'a' ? 'b' : 'a') + key.slice(index + 1);
      expect(isWellFormedApiKey(changed)).toBe(false);
    }
    expect(isWellFormedApiKey(`${API_KEY_PREFIX}short`)).toBe(false);
    expect(isWellFormedApiKey(key.replace('kr_', 'xx_'))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
  });
});
