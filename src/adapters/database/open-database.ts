import type { OpenDatabase } from '../../core/database/database.js';
import { mysqlDatabase } from './mysql/mysql-database.js';
import { postgresDatabase } from './postgres/postgres-database.js';

/** The Database adapters by engine; ECLUSA_PG_BIN / ECLUSA_MYSQL_BIN choose the client tools. */
export function databaseOpener(env: NodeJS.ProcessEnv = process.env): OpenDatabase {
  return (engine, connection) => {
    if (engine === 'postgres') {
      const binDir = env['ECLUSA_PG_BIN'];
      return postgresDatabase(connection, binDir === undefined ? {} : { binDir });
    }
    const binDir = env['ECLUSA_MYSQL_BIN'];
    return mysqlDatabase(connection, binDir === undefined ? {} : { binDir });
  };
}
