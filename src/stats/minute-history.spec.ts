import { HISTORY_MINUTES, MinuteHistory } from './minute-history';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const minute = (n: number, seconds = 0) => T0 + n * 60_000 + seconds * 1_000;
const gauges = (rssMB: number, loopDelayP99Ms = 1) => ({ rssMB, heapUsedMB: rssMB / 2, cpuPercent: 3, loopDelayP99Ms });

describe('MinuteHistory', () => {
  it('counts messages per company and minute, and answers for chosen companies or all', () => {
    const history = new MinuteHistory();
    history.count('received', 'a', 2, minute(0, 5));
    history.count('received', 'b', 1, minute(0, 50));
    history.count('sent', 'a', 1, minute(1, 1));
    const all = history.series(60, undefined, minute(1, 30));
    expect(all.minutes).toEqual([minute(0), minute(1)]);
    expect(all.received).toEqual([3, 0]);
    expect(all.sent).toEqual([0, 1]);
    expect(history.series(60, new Set(['b']), minute(1, 30)).received).toEqual([1, 0]);
  });

  it('keeps the last sample of a minute but its worst loop delay, and leaves unsampled minutes empty', () => {
    const history = new MinuteHistory();
    history.sample(gauges(100, 40), new Map([['a', 3]]), minute(0, 10));
    history.sample(
      gauges(120, 5),
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
      minute(0, 40),
    );
    history.count('received', 'a', 1, minute(2, 0));
    const series = history.series(60, undefined, minute(2, 1));
    expect(series.rssMB).toEqual([120, null, null]);
    expect(series.loopDelayP99Ms).toEqual([40, null, null]);
    expect(series.queueDepth).toEqual([3, null, null]);
    expect(history.series(60, new Set(['a']), minute(2, 1)).queueDepth).toEqual([1, null, null]);
  });

  it('keeps one hour and no more', () => {
    const history = new MinuteHistory();
    for (let n = 0; n < 90; n++) history.count('received', 'a', 1, minute(n));
    const series = history.series(60, undefined, minute(89, 59));
    expect(series.minutes).toHaveLength(HISTORY_MINUTES);
    expect(series.minutes[0]).toBe(minute(30));
    expect(history.series(5, undefined, minute(89)).received).toEqual([1, 1, 1, 1, 1]);
    expect(history.rates('a', minute(89, 59)).receivedLastHour).toBe(60);
  });

  it('estimates the last 60 s from this minute and the unexpired share of the previous one', () => {
    const history = new MinuteHistory();
    history.count('received', 'a', 10, minute(0, 30));
    history.count('received', 'a', 4, minute(1, 10));
    history.count('sent', 'a', 2, minute(1, 20));
    expect(history.rates('a', minute(1, 15))).toEqual({ receivedPerMinute: 4 + 7.5, sentPerMinute: 2, receivedLastHour: 14, sentLastHour: 2 });
    expect(history.rates('a', minute(3)).receivedPerMinute).toBe(0);
    expect(history.rates('other', minute(1, 15)).receivedLastHour).toBe(0);
  });
});
