import { BUSY_REQUESTS_PER_SECOND, BUSY_TICK_MS, DeliveryPace } from './delivery-pace';

describe('DeliveryPace', () => {
  let now: number;
  let requests: number;
  const pace = () => new DeliveryPace(20, () => requests, () => now);

  beforeEach(() => {
    now = 1_000;
    requests = 0;
  });

  it('sets no limit while the instance is quiet', () => {
    const quiet = pace();
    requests = BUSY_REQUESTS_PER_SECOND - 1;
    expect(quiet.allowance()).toBe(Infinity);
    quiet.spend(500);
    expect(quiet.allowance()).toBe(Infinity);
  });

  it('lets a busy instance start 20 a second: 5 every 250 ms, unspent ones not carried over', () => {
    const busy = pace();
    requests = BUSY_REQUESTS_PER_SECOND;
    let started = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      now = 1_000 + ms;
      const allowed = busy.allowance();
      expect(allowed).toBeLessThanOrEqual(5);
      busy.spend(allowed);
      started += allowed;
    }
    expect(started).toBe(200);
    expect(busy.allowance()).toBe(0);
    expect(busy.nextBatchAt() - now).toBeLessThanOrEqual(BUSY_TICK_MS);
    now = busy.nextBatchAt();
    expect(busy.allowance()).toBe(5);
  });

  it('starts a busy spell with a full batch and ends the limit the moment the traffic drops', () => {
    const changing = pace();
    expect(changing.allowance()).toBe(Infinity);
    requests = 5_000;
    expect(changing.allowance()).toBe(5);
    changing.spend(5);
    expect(changing.allowance()).toBe(0);
    requests = 10;
    expect(changing.allowance()).toBe(Infinity);
  });
});
