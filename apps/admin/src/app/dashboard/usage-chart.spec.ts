import { dailySeries } from './usage-chart';

describe('dailySeries', () => {
  it('has one bar per day of the period, zero on days without calls', () => {
    const series = dailySeries(
      [
        { bucket: '2026-11-20T00:00:00.000Z', issued: 5, verified: 1 },
        { bucket: '2026-11-22T00:00:00.000Z', issued: 2, verified: 0 },
      ],
      new Date('2026-11-20T15:00:00Z'),
      new Date('2026-11-23T09:00:00Z'),
    );
    expect(series).toEqual({ labels: ['11-20', '11-21', '11-22', '11-23'], issued: [5, 0, 2, 0], verified: [1, 0, 0, 0] });
  });
});
