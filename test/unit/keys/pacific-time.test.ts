import { describe, expect, it } from 'vitest';
import { nextPacificMidnight, pacificDay, pacificOffset } from '../../../src/keys/pacific-time';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('Pacific time (daily quota reset)', () => {
  it.each([
    ['2026-01-15T12:00:00Z', -8],
    ['2026-03-08T09:59:59Z', -8], // 01:59:59 PST on the second Sunday of March
    ['2026-03-08T10:00:00Z', -7], // 02:00 PST becomes 03:00 PDT
    ['2026-07-01T00:00:00Z', -7],
    ['2026-11-01T08:59:59Z', -7], // 01:59:59 PDT on the first Sunday of November
    ['2026-11-01T09:00:00Z', -8], // 02:00 PDT becomes 01:00 PST
    ['2027-03-14T10:00:00Z', -7],
  ])('at %s the offset is %i h', (when, hours) => {
    expect(pacificOffset(at(when))).toBe(hours * 3_600_000);
  });

  it.each([
    // winter: midnight PST is 08:00 UTC
    ['2026-12-01T14:26:00Z', '2026-12-02T08:00:00.000Z', '2026-12-01'],
    ['2026-12-02T07:59:59Z', '2026-12-02T08:00:00.000Z', '2026-12-01'],
    ['2026-12-02T08:00:00Z', '2026-12-03T08:00:00.000Z', '2026-12-02'],
    // summer: midnight PDT is 07:00 UTC
    ['2026-07-04T06:59:00Z', '2026-07-04T07:00:00.000Z', '2026-07-03'],
    ['2026-07-04T07:00:00Z', '2026-07-05T07:00:00.000Z', '2026-07-04'],
    // the day that springs forward is 23 hours long: it starts at 08:00 UTC and the next at 07:00 UTC
    ['2026-03-08T08:00:00Z', '2026-03-09T07:00:00.000Z', '2026-03-08'],
    ['2026-03-07T20:00:00Z', '2026-03-08T08:00:00.000Z', '2026-03-07'],
    // the day that falls back is 25 hours long
    ['2026-11-01T07:00:00Z', '2026-11-02T08:00:00.000Z', '2026-11-01'],
    ['2026-10-31T20:00:00Z', '2026-11-01T07:00:00.000Z', '2026-10-31'],
    // New Year in Los Angeles happens at 08:00 UTC on 1 January
    ['2026-12-31T23:00:00Z', '2027-01-01T08:00:00.000Z', '2026-12-31'],
  ])('at %s the next reset is %s (Pacific day %s)', (when, reset, day) => {
    expect(iso(nextPacificMidnight(at(when)))).toBe(reset);
    expect(pacificDay(at(when))).toBe(day);
  });
});
