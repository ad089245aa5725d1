import { RecentRate } from './recent-rate';

describe('RecentRate', () => {
  it('counts what happened over about the last second and forgets what is older', () => {
    let now = 10_000;
    const rate = new RecentRate(() => now);
    for (let i = 0; i < 30; i++) rate.count();
    expect(rate.perSecond()).toBe(30);
    now += 600; // the next half-second: the 30 are the previous bucket
    for (let i = 0; i < 5; i++) rate.count();
    expect(rate.perSecond()).toBe(35);
    now += 600; // the 30 are over a second old now
    expect(rate.perSecond()).toBe(5);
    now += 2_000; // nothing for two seconds
    expect(rate.perSecond()).toBe(0);
  });
});
