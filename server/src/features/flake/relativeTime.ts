// Dates and ages of locked inputs in words ("2026-10-01", "7 weeks ago", "12 days newer"). The
// clock is always passed in, so the same lock reads the same in a test next year.

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** `2026-10-01`: the UTC calendar date of a Unix time in seconds. */
export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** A rough length of time in the largest unit that fits: `3 hours`, `12 days`, `7 weeks`, `2 years`. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const unit = (value: number, name: string) => `${value} ${name}${value === 1 ? '' : 's'}`;
  if (s < MINUTE) return unit(Math.floor(s), 'second');
  if (s < HOUR) return unit(Math.floor(s / MINUTE), 'minute');
  if (s < DAY) return unit(Math.floor(s / HOUR), 'hour');
  if (s < 2 * WEEK) return unit(Math.floor(s / DAY), 'day');
  if (s < 3 * MONTH) return unit(Math.floor(s / WEEK), 'week');
  if (s < YEAR) return unit(Math.floor(s / MONTH), 'month');
  return unit(Math.floor(s / YEAR), 'year');
}

/** `7 weeks ago` for a Unix time relative to `now`; `just now` within a minute; `in 2 days` for clock skew. */
export function formatAge(unixSeconds: number, now: Date): string {
  const delta = now.getTime() / 1000 - unixSeconds;
  if (Math.abs(delta) < MINUTE) return 'just now';
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(delta)}`;
}
