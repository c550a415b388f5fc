import { describe, expect, it } from 'vitest';
import { compareMigrationFiles, migrationFileName } from './migration-file.js';

describe('migration file names', () => {
  it('tells up, down and plain files apart', () => {
    expect(migrationFileName('001_users.up.sql')).toEqual({
      name: '001_users.up.sql',
      role: 'up',
      stem: '001_users',
    });
    expect(migrationFileName('001_users.DOWN.sql')).toMatchObject({
      role: 'down',
      stem: '001_users',
    });
    expect(migrationFileName('V2__orders.sql')).toMatchObject({
      role: 'plain',
      stem: 'V2__orders',
    });
  });

  it('orders numbers as numbers, an up before its down', () => {
    const names = ['10_c.up.sql', '2_b.down.sql', '2_b.up.sql', '1_a.sql', 'seed.sql'];
    expect(
      names
        .map(migrationFileName)
        .sort(compareMigrationFiles)
        .map((file) => file.name),
    ).toEqual(['1_a.sql', '2_b.up.sql', '2_b.down.sql', '10_c.up.sql', 'seed.sql']);
  });
});
