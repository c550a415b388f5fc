import { describe, expect, it } from 'vitest';
import { parsePostgresConnection } from './postgres-connection.js';
import { checkDumpVersion, serverMajor, toolMajor } from './postgres-versions.js';

describe('pg_dump and server versions', () => {
  it('reads majors the way PostgreSQL numbers them', () => {
    expect(toolMajor('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe(15);
    expect(toolMajor('pg_dump (PostgreSQL) 9.6.24')).toBe(9.6);
    expect(toolMajor('something else')).toBeUndefined();
    expect(serverMajor(150018)).toBe(15);
    expect(serverMajor(170002)).toBe(17);
    expect(serverMajor(90624)).toBe(9.6);
  });

  it('refuses a pg_dump older than the server, naming the package to install', () => {
    expect(() => checkDumpVersion('pg_dump', 'pg_dump (PostgreSQL) 16.4', 160004)).not.toThrow();
    expect(() => checkDumpVersion('pg_dump', 'pg_dump (PostgreSQL) 17.0', 160004)).not.toThrow();
    expect(() => checkDumpVersion('/opt/pg/pg_dump', 'pg_dump (PostgreSQL) 14.9', 160004)).toThrow(
      expect.objectContaining({
        code: 'PG_DUMP_TOO_OLD',
        kind: 'failed',
        message:
          '/opt/pg/pg_dump is version 14 but the server runs PostgreSQL 16; a dump needs a client at least as new as the server',
        hint: expect.stringContaining('postgresql-client-16') as string,
      }),
    );
    expect(() => checkDumpVersion('pg_dump', 'garbage', 160004)).toThrow(
      expect.objectContaining({ code: 'PG_DUMP_VERSION_UNKNOWN' }),
    );
  });
});

describe('parsePostgresConnection', () => {
  it('keeps the password out of tool URLs and puts it in PGPASSWORD', () => {
    const conn = parsePostgresConnection(
      'postgres://app:s%40cret@db.internal:6432/shop?sslmode=require',
    );
    expect(conn.database).toBe('shop');
    expect(conn.toolUrl()).toBe('postgres://app@db.internal:6432/shop?sslmode=require');
    expect(conn.toolUrl('eclusa_drill_x')).toBe(
      'postgres://app@db.internal:6432/eclusa_drill_x?sslmode=require',
    );
    expect(conn.clientUrl('other')).toBe(
      'postgres://app:s%40cret@db.internal:6432/other?sslmode=require',
    );
    expect(conn.toolEnv).toEqual({ PGCONNECT_TIMEOUT: '10', PGPASSWORD: 's@cret' });
    expect(conn.where).toBe('db.internal:6432/shop');
    const query = parsePostgresConnection('postgresql://app@db/shop?password=pw2');
    expect(query.toolUrl()).not.toContain('pw2');
    expect(query.toolEnv['PGPASSWORD']).toBe('pw2');
  });

  it('refuses what is not a PostgreSQL URL, without echoing it', () => {
    expect(() => parsePostgresConnection('host=db password=hunter2')).toThrow(
      expect.objectContaining({
        code: 'DATABASE_URL_INVALID',
        message: expect.not.stringContaining('hunter2') as string,
      }),
    );
    expect(() => parsePostgresConnection('mysql://a:b@c/d')).toThrow(
      expect.objectContaining({ code: 'DATABASE_URL_INVALID' }),
    );
  });
});
