/*
 * Wall-clock time in an IANA timezone, with Intl (no timezone library needed: Node ships
 * the full ICU data). Windows and freezes are written in local time, and DST must not
 * move a "02:00–04:00" window.
 */

const WEEKDAY_INDEX: Record<string, number> = {
  Mon: 0,
  Tue: 1,
  Wed: 2,
  Thu: 3,
  Fri: 4,
  Sat: 5,
  Sun: 6,
};

export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, format);
  }
  return format;
}

export function zonedParts(instant: Date, timezone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timezone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    weekday: WEEKDAY_INDEX[parts['weekday'] ?? ''] ?? 0,
  };
}

/** Offset of `timezone` from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timezone: string): number {
  const p = zonedParts(new Date(instant), timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant at which the wall clock in `timezone` reads `local` (`2026-12-20`,
 * `2026-12-20T18:00`, or with an explicit offset, which wins).
 */
export function zonedToInstant(local: string, timezone: string): Date {
  const text = /\d{2}:\d{2}/.test(local) ? local.replace(' ', 'T') : `${local}T00:00`;
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) return new Date(text);
  const guess = Date.parse(`${text}Z`);
  const first = guess - offsetAt(guess, timezone);
  // Around a DST change the offset at the guess may differ from the offset at the answer.
  return new Date(guess - offsetAt(first, timezone));
}
