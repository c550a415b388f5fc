import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMysqlConnection } from './mysql-connection.js';
import { mysqlStatsScript, parseMysqlStats } from './mysql-stats.js';

describe('parseMysqlConnection', () => {
  it('passes the password in a private option file that is gone afterwards', async () => {
    const conn = parseMysqlConnection('mysql://app:p%22w%5Cd@db.internal:3307/shop');
    expect(conn.where).toBe('db.internal:3307/shop');
    let seen = '';
    let file = '';
    await conn.withArgs((args) => {
      expect(args.join(' ')).not.toContain('p"w');
      file = (args[0] ?? '').replace('--defaults-file=', '');
      seen = readFileSync(file, 'utf8');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(args).toContain('--host=db.internal');
      expect(args).toContain('--port=3307');
      expect(args).toContain('--user=app');
      return Promise.resolve();
    });
    expect(seen).toBe('[client]\npassword="p\\"w\\\\d"\n');
    expect(existsSync(file)).toBe(false);
  });

  it('uses a socket when asked, and refuses URLs without a database', async () => {
    const args = await parseMysqlConnection(
      'mysql://root@localhost/app?socket=/run/mysqld.sock',
    ).withArgs((a) => Promise.resolve(a));
    expect(args).toEqual([
      '--no-defaults',
      '--default-character-set=utf8mb4',
      '--user=root',
      '--socket=/run/mysqld.sock',
    ]);
    expect(() => parseMysqlConnection('mysql://a:b@host')).toThrow(
      expect.objectContaining({ code: 'DATABASE_URL_INVALID' }),
    );
  });
});

describe('mysql statistics script', () => {
  it('reads every table in one consistent snapshot, hex-encoding values so NULL and text stay apart', () => {
    const script = mysqlStatsScript(
      'orders\tid\tint\norders\tblob\tlongblob\nweird`name\tx\tvarchar\n',
    );
    expect(script.split('\n')[1]).toBe('START TRANSACTION WITH CONSISTENT SNAPSHOT;');
    expect(script).toContain("IFNULL(HEX(CAST(`id` AS CHAR)), 'n'), IFNULL(HEX(`blob`), 'n')");
    expect(script).toContain('FROM `weird``name`;');
    expect(parseMysqlStats('orders\t3\t123\nempty\t0\t0\n')).toEqual([
      { table: 'orders', rows: 3, checksum: '123' },
      { table: 'empty', rows: 0, checksum: '0' },
    ]);
  });
});
