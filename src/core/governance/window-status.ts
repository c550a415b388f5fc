import type { CompiledPolicy } from '../policy/compiled-policy.js';
import { WEEKDAYS } from '../policy/schema/common.js';
import type { z } from 'zod';
import type { freezeSchema, windowSchema } from '../policy/schema/governance.js';
import { zonedParts, zonedToInstant } from '../time/zoned-time.js';

type Window = z.output<typeof windowSchema>;
type Freeze = z.output<typeof freezeSchema>;

function minutes(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether a window is open at `instant`; a window whose end is before its start crosses midnight. */
export function isWindowOpen(window: Window, instant: Date): boolean {
  if (!('start' in window)) {
    const from = zonedToInstant(window.from, window.timezone).getTime();
    const to = zonedToInstant(window.to, window.timezone).getTime();
    return instant.getTime() >= from && instant.getTime() < to;
  }
  const days = new Set((window.days ?? WEEKDAYS).map((day) => WEEKDAYS.indexOf(day)));
  const local = zonedParts(instant, window.timezone);
  const now = local.hour * 60 + local.minute;
  const start = minutes(window.start);
  const end = minutes(window.end);
  if (start < end) return days.has(local.weekday) && now >= start && now < end;
  // Crossing midnight: the part after start belongs to today, the part before end to yesterday.
  return (
    (days.has(local.weekday) && now >= start) || (days.has((local.weekday + 6) % 7) && now < end)
  );
}

export function isFreezeActive(freeze: Freeze, instant: Date): boolean {
  const from = zonedToInstant(freeze.from, freeze.timezone).getTime();
  const to = zonedToInstant(freeze.to, freeze.timezone).getTime();
  return instant.getTime() >= from && instant.getTime() < to;
}

export interface WindowVerdict {
  readonly open: boolean;
  readonly reason: string;
}

/** Deploy windows and freezes of one environment at one instant. */
export function windowVerdict(
  policy: CompiledPolicy,
  environment: string,
  instant: Date,
): WindowVerdict {
  const freezes = (policy.freezes ?? []).filter(
    (f) => !f.environments || f.environments.includes(environment),
  );
  const active = freezes.find((freeze) => isFreezeActive(freeze, instant));
  if (active) {
    return {
      open: false,
      reason: `frozen until ${active.to} ${active.timezone}: ${active.reason}`,
    };
  }
  const names = policy.environments.find((e) => e.name === environment)?.gates?.windows ?? [];
  if (names.length === 0) return { open: true, reason: 'no window required and no freeze active' };
  const open = names.find((name) => {
    const window = policy.windows?.[name];
    return window !== undefined && isWindowOpen(window, instant);
  });
  if (open) return { open: true, reason: `inside window ${open}` };
  return {
    open: false,
    reason: `outside ${names.map((name) => describeWindow(name, policy.windows?.[name])).join(' and ')}`,
  };
}

function describeWindow(name: string, window: Window | undefined): string {
  if (!window) return name;
  if ('start' in window) {
    const days = window.days ? window.days.join(',') : 'every day';
    return `${name} (${days} ${window.start}–${window.end} ${window.timezone})`;
  }
  return `${name} (${window.from} → ${window.to} ${window.timezone})`;
}
