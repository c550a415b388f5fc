import { Command, CommanderError, Option } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { reportError } from './error-boundary.js';
import { registerEngine } from './register-engine.js';
import { registerDatabase } from './register-database.js';
import { registerGovernance } from './register-governance.js';
import { VERSION } from './version.js';

/*
 * Command handlers are imported only when their command runs, so `eclusa --version`
 * and `eclusa policy check` load no more than they need.
 */

const jsonOption = (): Option => new Option('--json', 'print one JSON document on stdout');
const fileOption = (): Option =>
  new Option('-f, --file <path>', 'policy file (default: $ECLUSA_POLICY or ./eclusa.yaml)');

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('eclusa')
    .description(
      'eclusa: release control plane — policy as code, gates, deployments, rollback, audit',
    )
    .version(VERSION, '-V, --version', 'print the eclusa version')
    .showSuggestionAfterError(true)
    // `release create --version 1.4.0` is the release's version, not a request for eclusa's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });

  program
    .command('init')
    .description('scaffold eclusa.yaml (asks nothing with --yes)')
    .option('-y, --yes', 'accept every default without asking')
    .option('--force', 'overwrite an existing file')
    .option('--project <name>', 'project name (default: the folder name)')
    .addOption(fileOption())
    .addOption(jsonOption())
    .action(
      async (options: {
        yes?: boolean;
        force?: boolean;
        project?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { initCommand } = await import('./commands/init.js');
        setExit(await initCommand(io, options));
      },
    );

  const policy = program
    .command('policy')
    .description('validate the policy or print its JSON Schema');
  policy
    .command('check')
    .description('validate; errors as FILE:LINE:COL CODE message (hint)')
    .addOption(fileOption())
    .option('--strict', 'treat warnings as errors')
    .addOption(jsonOption())
    .action(async (options: { file?: string; json?: boolean; strict?: boolean }) => {
      const { policyCheck } = await import('./commands/policy-check.js');
      setExit(await policyCheck(io, options));
    });
  policy
    .command('schema')
    .description('print the JSON Schema of eclusa.yaml')
    .addOption(jsonOption())
    .action(async () => {
      const { policySchemaCommand } = await import('./commands/policy-schema.js');
      setExit(policySchemaCommand(io));
    });

  program
    .command('plan')
    .description('the ordered steps a deploy would run, and its rollback path (pure)')
    .requiredOption('--release <version>', 'release version (SemVer)')
    .requiredOption('--env <name>', 'target environment')
    .addOption(fileOption())
    .addOption(jsonOption())
    .action(async (options: { release: string; env: string; file?: string; json?: boolean }) => {
      const { planCommand } = await import('./commands/plan.js');
      setExit(await planCommand(io, options));
    });

  registerGovernance(program, io, setExit);
  registerEngine(program, io, setExit);

  program
    .command('lint')
    .description('check files before they run')
    .command('migrations <dir>')
    .description(
      'lint PostgreSQL migrations (locks, rewrites, expand/contract); exit 3 when any finding is an error',
    )
    .option('--release <version>', 'the release they ship in: judges expand/contract drops')
    .option('--format <format>', 'text | json | sarif (default: text; json with --json)')
    .addOption(jsonOption())
    .action(async (dir: string, options: { json?: boolean; format?: string; release?: string }) => {
      const { lintMigrationsCommand } = await import('./commands/lint-migrations.js');
      setExit(await lintMigrationsCommand(io, dir, options));
    });
  registerDatabase(program, io, setExit);

  program
    .command('demo')
    .description('the whole story on this machine, nothing to install')
    .option('--keep', 'keep the throwaway folder')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean; keep?: boolean }) => {
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(io, options));
    });

  return program;
}

/** Runs the CLI; resolves to the exit code of `CLI-CONTRACT.md`. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const json = argv.includes('--json');
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (json)
        io.out(
          JSON.stringify({
            ok: false,
            error: {
              code: 'USAGE',
              message: error.message.replace(/^error: /, ''),
              hint: 'run eclusa --help',
            },
          }),
        );
      return 2;
    }
    return reportError(io, error, json);
  }
}
