import { afterAll, beforeAll, describe } from 'vitest';
import { findMariadb, startMariadb, type MariadbServer } from '../support/mariadb-server.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { localSeed, type LocalSeed } from './local-seed.js';

/** How a seed's database server is found on this machine and started for one suite. */
export interface SeedServerKind<S extends { stop(): Promise<void> }> {
  readonly find: () => object;
  readonly start: () => Promise<S | { readonly skip: string }>;
}

export const POSTGRES: SeedServerKind<PostgresServer> = {
  find: findPostgres,
  start: startPostgres,
};
export const MARIADB: SeedServerKind<MariadbServer> = { find: findMariadb, start: startMariadb };

/** What a seed's tests work with once everything is up. */
export interface SeedUnderTest<S> {
  readonly server: S;
  /** Stands in for Slack: every message the seed's channels sent. */
  readonly slack: WebhookReceiver;
  readonly seed: LocalSeed;
  /** The environment the seed's CLI runs with (secret references resolve from it). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * One seed's end-to-end suite: its database server (skipped, saying why, when the server
 * is not installed and CI is not set — under CI the start fails instead), a Slack stand-in
 * and the seed copied into a throwaway home, all started before the tests and stopped after.
 */
export function describeLocalSeed<S extends { stop(): Promise<void> }>(
  name: string,
  kind: SeedServerKind<S>,
  env: (
    server: S,
    slack: WebhookReceiver,
  ) => Record<string, string> | Promise<Record<string, string>>,
  tests: (current: () => SeedUnderTest<S>) => void,
): void {
  const found = kind.find();
  const skip = 'skip' in found && !process.env['CI'] ? String(found.skip) : undefined;
  describe.skipIf(skip !== undefined)(
    `examples/${name} with its local profile: the production plan end to end${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let current: SeedUnderTest<S> | undefined;
      let server: S | undefined;
      let slack: WebhookReceiver | undefined;
      let seed: LocalSeed | undefined;
      beforeAll(async () => {
        const started = await kind.start();
        if ('skip' in started) throw new Error(started.skip);
        server = started;
        slack = await startWebhookReceiver();
        const seedEnv = await env(server, slack);
        seed = await localSeed(name, seedEnv);
        current = { server, slack, seed, env: seedEnv };
      });
      afterAll(async () => {
        await seed?.close();
        await slack?.close();
        await server?.stop();
      });
      tests(() => {
        if (!current) throw new Error(`examples/${name}: the seed did not start`);
        return current;
      });
    },
  );
}
