/** Settings of the sample app, read once from the environment at start. */
export interface AppConfig {
  /** 0 lets the operating system pick a free port. */
  readonly port: number;
  readonly version: string;
  /** Fraction (0..1) of requests to `/` and `/api/*` answered 500. */
  readonly errorRate: number;
  /** Latency added to each request to `/` and `/api/*`. */
  readonly latencyMs: number;
  readonly healthFails: boolean;
  readonly crashAtStart: boolean;
  /** Seed of the generator that picks failing requests; undefined means Math.random. */
  readonly seed: number | undefined;
  /** `FAULT_CONTROL=on`: `GET`/`POST /fault` read and change the error rate and latency while running. */
  readonly faultControl: boolean;
}

export type AppConfigResult =
  | { readonly kind: 'valid'; readonly config: AppConfig }
  | { readonly kind: 'invalid'; readonly errors: readonly string[] };

type Env = Readonly<Record<string, string | undefined>>;

/** Reads every variable and reports every invalid one at once, so one restart fixes them all. */
export function readAppConfig(env: Env): AppConfigResult {
  const errors: string[] = [];
  const fail = <T>(message: string, fallback: T): T => {
    errors.push(message);
    return fallback;
  };
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const portText = value('PORT');
  const port =
    portText === undefined
      ? fail('PORT is required: an integer from 0 to 65535 (0 picks a free port)', 0)
      : /^\d+$/.test(portText) && Number(portText) <= 65535
        ? Number(portText)
        : fail(`PORT must be an integer from 0 to 65535, got "${portText}"`, 0);

  const versionText = value('APP_VERSION') ?? '0.0.0';
  // The version ends the single "listening" line and labels a metric, so it must be one word.
  const version = /^[\x21-\x7e]+$/.test(versionText)
    ? versionText
    : fail(`APP_VERSION must be printable ASCII without spaces, got "${versionText}"`, '0.0.0');

  const rateText = value('FAULT_ERROR_RATE');
  const rate = rateText === undefined ? 0 : Number(rateText);
  const errorRate =
    Number.isFinite(rate) && rate >= 0 && rate <= 1
      ? rate
      : fail(`FAULT_ERROR_RATE must be a number from 0 to 1, got "${rateText}"`, 0);

  const latencyText = value('FAULT_LATENCY_MS');
  const latencyMs =
    latencyText === undefined
      ? 0
      : /^\d+$/.test(latencyText) && Number(latencyText) <= 600_000
        ? Number(latencyText)
        : fail(`FAULT_LATENCY_MS must be an integer from 0 to 600000, got "${latencyText}"`, 0);

  const healthText = value('FAULT_HEALTH');
  const healthFails =
    healthText === undefined || healthText === 'ok'
      ? false
      : healthText === 'fail'
        ? true
        : fail(`FAULT_HEALTH must be "ok" or "fail", got "${healthText}"`, false);

  const crashText = value('FAULT_CRASH_AT_START');
  const crashAtStart =
    crashText === undefined || crashText === '0'
      ? false
      : crashText === '1'
        ? true
        : fail(`FAULT_CRASH_AT_START must be "0" or "1", got "${crashText}"`, false);

  const seedText = value('FAULT_SEED');
  const seed =
    seedText === undefined
      ? undefined
      : /^\d+$/.test(seedText) && Number(seedText) <= 0xffffffff
        ? Number(seedText)
        : fail(`FAULT_SEED must be an integer from 0 to 4294967295, got "${seedText}"`, undefined);

  const controlText = value('FAULT_CONTROL');
  const faultControl =
    controlText === undefined || controlText === 'off'
      ? false
      : controlText === 'on'
        ? true
        : fail(`FAULT_CONTROL must be "on" or "off", got "${controlText}"`, false);

  if (errors.length > 0) return { kind: 'invalid', errors };
  return {
    kind: 'valid',
    config: { port, version, errorRate, latencyMs, healthFails, crashAtStart, seed, faultControl },
  };
}
