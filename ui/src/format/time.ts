const DAY_OPTIONS: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" };

/** `at` formatted with `options` in `timeZone` (the local zone when it is unknown or not a zone). */
function formatIn(options: Intl.DateTimeFormatOptions, at: Date, timeZone?: string | null): string {
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: timeZone ?? undefined }).format(at);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(at);
  }
}

/**
 * Formats an RFC 3339 timestamp as a wall-clock time ("14:05:09") in `timeZone` (the zone the
 * spend windows are computed in; the local zone when it is unknown), with its date ("Mar 13,
 * 14:05:09") when that is not the day of `nowMs` there. Returns the input unchanged when it is
 * not a valid timestamp.
 */
export function formatClockTime(iso: string, timeZone?: string, nowMs: number = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = (options: Intl.DateTimeFormatOptions, at: Date) => formatIn(options, at, timeZone);
  const time = format({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }, date);
  const day = (at: Date) => format({ year: "numeric", month: "2-digit", day: "2-digit" }, at);
  return day(date) === day(new Date(nowMs)) ? time : `${format(DAY_OPTIONS, date)}, ${time}`;
}

const CLOCK_OPTIONS: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/**
 * Formats a Unix-ms instant in the local zone for lists of events: the time alone ("14:05") on
 * the day of `nowMs`, otherwise with the date ("Mar 13, 09:30").
 */
export function formatWhen(ms: number, nowMs: number = Date.now()): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return "—";
  const time = new Intl.DateTimeFormat(undefined, CLOCK_OPTIONS).format(date);
  if (date.toDateString() === new Date(nowMs).toDateString()) return time;
  return `${new Intl.DateTimeFormat(undefined, DAY_OPTIONS).format(date)}, ${time}`;
}

/** A length of time in whole seconds, for people: "45 s", "5 min", "2 h", "1 h 30 min". */
export function formatDuration(totalSecs: number): string {
  if (!Number.isFinite(totalSecs) || totalSecs <= 0) return "0 s";
  const hours = Math.floor(totalSecs / 3600);
  const minutes = Math.floor((totalSecs % 3600) / 60);
  const secs = Math.floor(totalSecs % 60);
  const parts = [hours && `${hours} h`, minutes && `${minutes} min`, secs && `${secs} s`];
  return parts.filter(Boolean).join(" ");
}

/** A scheduled run in the schedule's `timeZone` (local when unknown): "Mon, Dec 7, 09:00". */
export function formatRunTime(ms: number, timeZone?: string | null): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return "—";
  return formatIn({ weekday: "short", ...DAY_OPTIONS, ...CLOCK_OPTIONS }, date, timeZone);
}
