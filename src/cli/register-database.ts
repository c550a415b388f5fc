import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';

type SetExit = (code: number) => void;
const json = (): Option => new Option('--json', 'print one JSON document on stdout');
const file = (): Option =>
  new Option('-f, --file <path>', 'policy file (default: $ECLUSA_POLICY or ./eclusa.yaml)');

interface Common {
  env: string;
  database?: string;
  file?: string;
  json?: boolean;
}

/** Backups, restore drills, restores, migrations and drift. Handlers load lazily. */
export function registerDatabase(program: Command, io: CliIo, setExit: SetExit): void {
  const backup = program
    .command('backup')
    .description('verified database backups, restore drills and approved restores');
  backup
    .command('run')
    .description('back up the policy’s databases (or one), verify the dump, apply retention')
    .requiredOption('--env <name>', 'environment')
    .option('--database <name>', 'one database component (default: all)')
    .option('--reason <text>', 'why, recorded with the backup')
    .addOption(file())
    .addOption(json())
    .action(async (options: Common & { reason?: string }) => {
      const { backupRun } = await import('./commands/backup.js');
      setExit(await backupRun(io, options));
    });
  backup
    .command('list')
    .description('recorded backups, newest first')
    .option('--env <name>', 'only this environment')
    .option('--database <name>', 'only this database component')
    .addOption(file())
    .addOption(json())
    .action(async (options: Partial<Common>) => {
      const { backupList } = await import('./commands/backup.js');
      setExit(await backupList(io, options));
    });
  backup
    .command('drill')
    .description(
      'restore the newest backup into a scratch database, compare every table, record RTO/RPO',
    )
    .requiredOption('--env <name>', 'environment')
    .option('--database <name>', 'one database component (default: all)')
    .option('--backup <id>', 'drill this backup instead of the newest')
    .addOption(file())
    .addOption(json())
    .action(async (options: Common & { backup?: string }) => {
      const { backupDrill } = await import('./commands/backup.js');
      setExit(await backupDrill(io, options));
    });
  backup
    .command('approve-restore')
    .description('as a member of the restore role (e.g. dba), approve one restore of a database')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--database <name>', 'database component')
    .requiredOption('--reason <text>', 'why the restore is needed')
    .option('--backup <id>', 'the backup to restore (default: decided at restore time)')
    .option(
      '--role <role>',
      'the approving role, when no rollback action restore-database names one',
    )
    .addOption(file())
    .addOption(json())
    .action(
      async (
        options: Common & { database: string; reason: string; backup?: string; role?: string },
      ) => {
        const { backupApproveRestore } = await import('./commands/backup.js');
        setExit(await backupApproveRestore(io, options));
      },
    );
  backup
    .command('restore')
    .description('restore a database in place: needs an approval, takes a fresh backup first')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--database <name>', 'database component')
    .option('--backup <id>', 'the backup to restore (default: the approved one, else the newest)')
    .option(
      '--role <role>',
      'the approving role, when no rollback action restore-database names one',
    )
    .addOption(file())
    .addOption(json())
    .action(async (options: Common & { database: string; backup?: string; role?: string }) => {
      const { backupRestore } = await import('./commands/backup.js');
      setExit(await backupRestore(io, options));
    });

  const migrate = program
    .command('migrate')
    .description('database migrations, their ledger and drift');
  const common = (command: Command): Command =>
    command
      .requiredOption('--env <name>', 'environment')
      .option('--database <name>', 'one database component (default: all with migrations)')
      .addOption(file())
      .addOption(json());
  common(
    migrate.command('status').description('applied / pending / drifted, per migration file'),
  ).action(async (options: Common) => {
    const { migrateStatus } = await import('./commands/migrate.js');
    setExit(await migrateStatus(io, options));
  });
  common(
    migrate.command('up').description('apply pending migrations (what the migrate step runs)'),
  ).action(async (options: Common) => {
    const { migrateUp } = await import('./commands/migrate.js');
    setExit(await migrateUp(io, options));
  });
  common(
    migrate
      .command('down')
      .description('revert migrations newest first, when the policy allows down migrations')
      .option('--steps <n>', 'how many (default 1)')
      .option('--to <version>', 'revert everything above this version'),
  ).action(async (options: Common & { steps?: string; to?: string }) => {
    const { migrateDownCommand } = await import('./commands/migrate.js');
    setExit(await migrateDownCommand(io, options));
  });
  common(
    migrate
      .command('drift')
      .description(
        'compare the live schema with what the applied migrations produce (exit 3 on drift)',
      ),
  ).action(async (options: Common) => {
    const { migrateDrift } = await import('./commands/migrate.js');
    setExit(await migrateDrift(io, options));
  });
  common(
    migrate
      .command('adopt')
      .description('write a manual live change as the next migration and record it as applied')
      .requiredOption('--name <name>', 'name of the new migration, e.g. add_orders_status_index'),
  ).action(async (options: Common & { name: string }) => {
    const { migrateAdopt } = await import('./commands/migrate.js');
    setExit(await migrateAdopt(io, options));
  });
}
