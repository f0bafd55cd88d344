/**
 * Gemini's daily quotas reset at midnight Pacific time (https://ai.google.dev/gemini-api/docs/rate-limits:
 * "Requests per day (RPD) quotas reset at midnight Pacific time"). The US rule since 2007 is computed here by
 * hand rather than through `Intl`: daylight time from the second Sunday of March, 02:00 PST, to the first
 * Sunday of November, 02:00 PDT. Pure arithmetic on an injected instant, so tests pin every edge.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PST = -8 * HOUR;
const PDT = -7 * HOUR;

/** The Pacific UTC offset (ms, negative) in force at `now` (ms since the epoch). */
export function pacificOffset(now: number): number {
  const year = new Date(now).getUTCFullYear();
  // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
  const start = nthSunday(year, 2, 2) + 10 * HOUR;
  const end = nthSunday(year, 10, 1) + 9 * HOUR;
  return now >= start && now < end ? PDT : PST;
}

/** The instant (ms) of the next midnight in America/Los_Angeles strictly after `now`. */
export function nextPacificMidnight(now: number): number {
  const local = now + pacificOffset(now);
  const nextLocalMidnight = Math.floor(local / DAY) * DAY + DAY;
  // Changes happen at 02:00, so midnight is never skipped or repeated: one of the two offsets fits.
  for (const offset of [PDT, PST]) {
    const candidate = nextLocalMidnight - offset;
    if (pacificOffset(candidate) === offset) return candidate;
  }
  return nextLocalMidnight - PST;
}

/** The Pacific calendar day of `now` as YYYY-MM-DD: the day Gemini counts daily quotas in. */
export function pacificDay(now: number): string {
  return new Date(now + pacificOffset(now)).toISOString().slice(0, 10);
}

/** 00:00 UTC of the `n`th Sunday of `month` (0-based) in `year`. */
function nthSunday(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1);
  const weekday = new Date(first).getUTCDay();
  return first + (((7 - weekday) % 7) + (n - 1) * 7) * DAY;
}
