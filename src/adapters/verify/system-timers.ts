import { setTimeout as delay } from 'node:timers/promises';

/** The real wait between verification attempts (tests inject a fake one). */
export function systemSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal === undefined ? {} : { signal });
}
