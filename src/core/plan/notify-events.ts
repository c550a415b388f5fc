import type { CompiledEnvironment } from '../policy/compiled-policy.js';
import type { NOTIFY_EVENTS } from '../policy/schema/governance.js';

export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What an environment's channels hear about when its `notifications.on` says nothing. */
export const DEFAULT_NOTIFY_EVENTS: readonly NotifyEvent[] = [
  'started',
  'succeeded',
  'failed',
  'rolled-back',
  'paused',
];

/** The events an environment's channels are told about. */
export function notifyEvents(environment: CompiledEnvironment): readonly NotifyEvent[] {
  return environment.notifications?.on ?? DEFAULT_NOTIFY_EVENTS;
}

/** The channels to tell about an event in this environment (none when it is not wanted). */
export function channelsFor(environment: CompiledEnvironment, event: NotifyEvent): string[] {
  const channels = environment.notifications?.channels ?? [];
  return notifyEvents(environment).includes(event) ? [...channels] : [];
}
