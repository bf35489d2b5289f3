/**
 * Formats an RFC 3339 timestamp as a wall-clock time ("14:05:09") in `timeZone` (the zone the
 * spend windows are computed in), falling back to the local zone when the zone is unknown.
 * Returns the input unchanged when it is not a valid timestamp.
 */
export function formatClockTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}
