import { initialMigration } from './001-initial.js';
import { engineMigration } from './002-engine.js';
import { databaseMigration } from './004-database.js';
import { incidentsMigration } from './005-incidents.js';
import type { Migration } from './migration.js';

/** Every migration, ascending by version; a release only ever appends to this list. */
export const storeMigrations: readonly Migration[] = [
  initialMigration,
  engineMigration,
  databaseMigration,
  incidentsMigration,
];
