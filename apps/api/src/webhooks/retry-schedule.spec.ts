import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  it('doubles from the base with jitter, the first retry within 30 s at the default base', () => {
    expect(retryDelayMs(1, 10_000, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, 10_000, () => 0.999)).toBeLessThan(15_000);
    expect(retryDelayMs(2, 10_000, () => 0.5)).toBe(20_000);
    expect(retryDelayMs(3, 10_000, () => 0.5)).toBe(40_000);
  });

  it('waits at most an hour and a half, however many attempts failed', () => {
    expect(retryDelayMs(40, 10_000, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(40, 10_000, () => 0.999)).toBeLessThan(5_400_000);
  });
});
