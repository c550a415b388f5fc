import { describe, expect, it } from 'vitest';
import { migrationSide, type MigrationFile } from './migration-files.js';
import { describeProblem, planMigrations } from './migration-plan.js';
import type { LedgerEntry } from './migration-session.js';

function file(version: number, name: string, sql: string, down?: string): MigrationFile {
  const up = migrationSide(
    `${String(version).padStart(3, '0')}_${name}.up.sql`,
    '/m',
    Buffer.from(sql),
  );
  return {
    version,
    name,
    up,
    ...(down === undefined
      ? {}
      : {
          down: migrationSide(
            `${String(version).padStart(3, '0')}_${name}.down.sql`,
            '/m',
            Buffer.from(down),
          ),
        }),
  };
}

const applied = (f: MigrationFile, checksum = f.up.checksum): LedgerEntry => ({
  version: f.version,
  name: f.name,
  checksum,
  appliedAt: '2026-11-23T09:30:00.000Z',
  durationMs: 12,
  appliedBy: 'ana',
});

describe('planMigrations', () => {
  const one = file(1, 'init', 'create table a (id int);', 'drop table a;');
  const two = file(2, 'b', 'create table b (id int);');
  const three = file(3, 'c', 'create table c (id int);');

  it('applies what the ledger does not hold, in order', () => {
    const plan = planMigrations([one, two, three], [applied(one)]);
    expect(plan.entries.map((e) => [e.version, e.state, e.hasDown])).toEqual([
      [1, 'applied', true],
      [2, 'pending', false],
      [3, 'pending', false],
    ]);
    expect(plan.pending.map((f) => f.version)).toEqual([2, 3]);
    expect(plan.problems).toEqual([]);
  });

  it('stops everything on an edited, missing or out-of-order migration, naming each', () => {
    const plan = planMigrations(
      [one, two, file(4, 'd', 'x')],
      [applied(one, 'f'.repeat(64)), applied(three)],
    );
    expect(plan.entries.map((e) => [e.version, e.state])).toEqual([
      [1, 'edited'],
      [2, 'out-of-order'],
      [3, 'missing'],
      [4, 'pending'],
    ]);
    expect(plan.pending).toEqual([]);
    expect(plan.problems.map(describeProblem)).toEqual([
      expect.stringMatching(
        /^001_init\.up\.sql was edited after it was applied \(checksum ffffffffffff… in the ledger/,
      ),
      expect.stringMatching(
        /^002_b\.up\.sql is pending but numbered below a migration already applied/,
      ),
      expect.stringMatching(
        /^version 3 \(c\) is in the ledger \(applied 2026-11-23T09:30:00\.000Z\) but its file is gone/,
      ),
    ]);
  });

  it('has nothing to do when every file is applied, and everything when the ledger is empty', () => {
    expect(planMigrations([one, two], [applied(one), applied(two)]).pending).toEqual([]);
    expect(planMigrations([one, two], []).pending).toEqual([one, two]);
    expect(planMigrations([], []).entries).toEqual([]);
  });
});
