import { EclusaError } from '../../../core/errors/eclusa-error.js';

/** The major version in `pg_dump (PostgreSQL) 15.18 (Debian …)`; 9.6 stays 9.6. */
export function toolMajor(versionLine: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionLine);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major >= 10 ? major : Number(`${major}.${match[2] ?? '0'}`);
}

/** The major version from `server_version_num` (150018 → 15, 90624 → 9.6). */
export function serverMajor(versionNum: number): number {
  return versionNum >= 100_000
    ? Math.floor(versionNum / 10_000)
    : Math.floor(versionNum / 10_000) + Math.floor((versionNum % 10_000) / 100) / 10;
}

/**
 * pg_dump refuses servers newer than itself, but only after connecting and with a message
 * people misread; checking first names the fix.
 */
export function checkDumpVersion(tool: string, versionLine: string, versionNum: number): void {
  const have = toolMajor(versionLine);
  const need = serverMajor(versionNum);
  if (have === undefined)
    throw new EclusaError(
      'failed',
      'PG_DUMP_VERSION_UNKNOWN',
      `${tool} --version printed "${versionLine.trim()}", which names no PostgreSQL version`,
      { hint: 'point ECLUSA_PG_BIN at the bin directory of a PostgreSQL client installation' },
    );
  if (have < need)
    throw new EclusaError(
      'failed',
      'PG_DUMP_TOO_OLD',
      `${tool} is version ${have} but the server runs PostgreSQL ${need}; a dump needs a client at least as new as the server`,
      {
        hint: `install postgresql-client-${need} (or newer) and set ECLUSA_PG_BIN to its bin directory, e.g. /usr/lib/postgresql/${need}/bin`,
      },
    );
}
