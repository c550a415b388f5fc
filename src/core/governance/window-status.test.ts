import { describe, expect, it } from 'vitest';
import { isWindowOpen } from './window-status.js';

describe('deploy windows', () => {
  const thursdayNight = {
    timezone: 'America/Sao_Paulo',
    days: ['thu' as const],
    start: '02:00',
    end: '04:00',
  };

  it('opens on the local weekday and time (São Paulo is UTC−3)', () => {
    expect(isWindowOpen(thursdayNight, new Date('2026-11-26T05:00:00Z'))).toBe(true); // Thu 02:00 local
    expect(isWindowOpen(thursdayNight, new Date('2026-11-26T06:59:00Z'))).toBe(true); // Thu 03:59
    expect(isWindowOpen(thursdayNight, new Date('2026-11-26T07:00:00Z'))).toBe(false); // Thu 04:00
    expect(isWindowOpen(thursdayNight, new Date('2026-11-26T04:59:00Z'))).toBe(false); // Thu 01:59
    expect(isWindowOpen(thursdayNight, new Date('2026-11-27T05:30:00Z'))).toBe(false); // Fri 02:30
  });

  it('crosses midnight when the end is before the start', () => {
    const late = { timezone: 'UTC', days: ['fri' as const], start: '22:00', end: '02:00' };
    expect(isWindowOpen(late, new Date('2026-11-27T23:00:00Z'))).toBe(true); // Fri 23:00
    expect(isWindowOpen(late, new Date('2026-11-28T01:30:00Z'))).toBe(true); // Sat 01:30, still Friday's window
    expect(isWindowOpen(late, new Date('2026-11-28T23:00:00Z'))).toBe(false); // Sat 23:00
    expect(isWindowOpen(late, new Date('2026-11-27T01:30:00Z'))).toBe(false); // Fri 01:30 belongs to Thursday
  });

  it('keeps local time across a DST change', () => {
    const lisbon = { timezone: 'Europe/Lisbon', start: '09:00', end: '10:00' };
    expect(isWindowOpen(lisbon, new Date('2026-07-01T08:30:00Z'))).toBe(true); // summer: UTC+1
    expect(isWindowOpen(lisbon, new Date('2026-12-01T08:30:00Z'))).toBe(false); // winter: 08:30 local
    expect(isWindowOpen(lisbon, new Date('2026-12-01T09:30:00Z'))).toBe(true);
  });

  it('reads one-off windows in their timezone', () => {
    const once = {
      timezone: 'America/Sao_Paulo',
      from: '2025-07-31T02:00',
      to: '2025-07-31T04:00',
    };
    expect(isWindowOpen(once, new Date('2025-07-31T05:00:00Z'))).toBe(true);
    expect(isWindowOpen(once, new Date('2025-07-31T04:59:00Z'))).toBe(false);
    expect(isWindowOpen(once, new Date('2025-07-31T07:00:00Z'))).toBe(false);
  });
});
