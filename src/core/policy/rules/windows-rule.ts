import type { PolicyPath } from '../policy-issue.js';
import type { PolicyRule, RuleContext } from './rule-context.js';

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Orders two local date-times written in the same timezone. */
function localInstant(text: string): number {
  const withTime = /\d{2}:\d{2}/.test(text) ? text.replace(' ', 'T') : `${text}T00:00`;
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(withTime);
  return Date.parse(hasOffset ? withTime : `${withTime}Z`);
}

function checkTimezone(context: RuleContext, path: PolicyPath, timezone: string): void {
  if (!isValidTimezone(timezone)) {
    context.error(
      path,
      'INVALID_TIMEZONE',
      `"${timezone}" is not an IANA timezone`,
      'use a name such as America/Sao_Paulo, Europe/Lisbon or UTC',
    );
  }
}

function checkRange(
  context: RuleContext,
  path: PolicyPath,
  from: string,
  to: string,
  what: string,
): void {
  const start = localInstant(from);
  const end = localInstant(to);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    context.error(
      path,
      'INVALID_DATE',
      `${what} has a date that does not exist (${Number.isNaN(start) ? from : to})`,
      'check the month and day',
    );
  } else if (end <= start) {
    context.error(
      [...path, 'to'],
      'WINDOW_NEVER_OPENS',
      `${what} ends (${to}) before it starts (${from})`,
      'swap from and to, or fix the dates',
    );
  }
}

/** Windows must be able to open; freezes must be real intervals; timezones must exist. */
export const windowsRule: PolicyRule = (policy, context) => {
  for (const [name, window] of Object.entries(policy.windows ?? {})) {
    const path = ['windows', name];
    checkTimezone(context, [...path, 'timezone'], window.timezone);
    if ('start' in window) {
      if (window.days !== undefined && window.days.length === 0) {
        context.error(
          [...path, 'days'],
          'WINDOW_NEVER_OPENS',
          `window "${name}" opens on no day`,
          'list at least one day (mon … sun) or drop days for every day',
        );
      }
      if (window.start === window.end) {
        context.error(
          [...path, 'end'],
          'WINDOW_NEVER_OPENS',
          `window "${name}" starts and ends at ${window.start}, so it is never open`,
          'give it a length: end after start (or before it, to cross midnight)',
        );
      }
    } else {
      checkRange(context, path, window.from, window.to, `window "${name}"`);
    }
  }
  policy.freezes?.forEach((freeze, i) => {
    checkTimezone(context, ['freezes', i, 'timezone'], freeze.timezone);
    checkRange(
      context,
      ['freezes', i],
      freeze.from,
      freeze.to,
      `freeze "${freeze.name ?? freeze.reason}"`,
    );
  });
};
