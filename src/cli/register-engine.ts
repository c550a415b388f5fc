import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';

type SetExit = (code: number) => void;
const json = (): Option => new Option('--json', 'print one JSON document on stdout');
const file = (): Option =>
  new Option('-f, --file <path>', 'policy file (default: $ECLUSA_POLICY or ./eclusa.yaml)');

/** deploy, status, deployment …, rollback, evidence. Handlers load lazily. */
export function registerEngine(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('deploy')
    .description('deploy a release to an environment (refused with exit 3 unless the gates pass)')
    .requiredOption('--release <version>', 'release version')
    .requiredOption('--env <name>', 'environment')
    .option('--wait', 'run here and stream every step; exit 0 succeeded, 4 rolled back, 5 failed')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        env: string;
        wait?: boolean;
        file?: string;
        json?: boolean;
      }) => {
        const { deployCommand } = await import('./commands/deploy.js');
        setExit(await deployCommand(io, options));
      },
    );

  program
    .command('status')
    .description('what runs in each environment, what deploys now and what waits')
    .option('--env <name>', 'one environment')
    .addOption(file())
    .addOption(json())
    .action(async (options: { env?: string; file?: string; json?: boolean }) => {
      const { statusCommand } = await import('./commands/status.js');
      setExit(await statusCommand(io, options));
    });

  // `deployment record` is registered with the governance commands; the rest join it here.
  const deployment =
    program.commands.find((c) => c.name() === 'deployment') ??
    program.command('deployment').description('deployments: show one, steer it, record one');
  deployment
    .command('show <id>')
    .description('the deployment and each step')
    .addOption(file())
    .addOption(json())
    .action(async (id: string, options: { file?: string; json?: boolean }) => {
      const { deploymentShowCommand } = await import('./commands/deploy.js');
      setExit(await deploymentShowCommand(io, id, options));
    });
  deployment
    .command('run <id>')
    .description(
      'drive a deployment in this process until it ends (what deploy starts in the background)',
    )
    .addOption(file())
    .action(async (id: string, options: { file?: string }) => {
      const { deploymentRunCommand } = await import('./commands/deploy.js');
      setExit(await deploymentRunCommand(io, id, options));
    });
  for (const [name, description] of [
    ['pause', 'stop before the next step'],
    ['resume', 'continue a paused deployment'],
    ['promote', 'move on from a manual pause (--full: skip the remaining canary steps)'],
    ['abort', 'stop and send traffic back to the previous version'],
  ] as const) {
    const command = deployment
      .command(`${name} <id>`)
      .description(description)
      .addOption(file())
      .addOption(json());
    if (name === 'promote') command.option('--full', 'skip the remaining canary steps');
    if (name === 'abort') command.option('--reason <text>', 'why', 'aborted by hand');
    command.action(
      async (
        id: string,
        options: { file?: string; json?: boolean; full?: boolean; reason?: string },
      ) => {
        const { deploymentControlCommand } = await import('./commands/deploy.js');
        const request =
          name === 'promote'
            ? { kind: name, full: options.full === true }
            : name === 'abort'
              ? { kind: name, reason: options.reason ?? 'aborted by hand' }
              : { kind: name };
        setExit(await deploymentControlCommand(io, id, request, options));
      },
    );
  }

  program
    .command('rollback')
    .description('roll back the deployment running in an environment (exit 4 when rolled back)')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--reason <text>', 'why (recorded in the audit log and the evidence)')
    .option('--to <version>', 'the release to return to')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        env: string;
        reason: string;
        to?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { rollbackCommand } = await import('./commands/deploy.js');
        setExit(await rollbackCommand(io, options));
      },
    );

  const incident = program
    .command('incident')
    .description('incidents opened by rollbacks: list, acknowledge, resolve');
  incident
    .command('list')
    .description('unresolved incidents, oldest first (--all: resolved ones too)')
    .option('--env <name>', 'one environment')
    .option('--all', 'resolved incidents too')
    .addOption(file())
    .addOption(json())
    .action(async (options: { env?: string; all?: boolean; file?: string; json?: boolean }) => {
      const { incidentListCommand } = await import('./commands/incident.js');
      setExit(await incidentListCommand(io, options));
    });
  incident
    .command('ack <id>')
    .description('acknowledge an incident (once; recorded with who and when)')
    .addOption(file())
    .addOption(json())
    .action(async (id: string, options: { file?: string; json?: boolean }) => {
      const { incidentChangeCommand } = await import('./commands/incident.js');
      setExit(await incidentChangeCommand(io, id, { kind: 'ack' }, options));
    });
  incident
    .command('resolve <id>')
    .description('resolve an incident (once)')
    .option('--resolution <text>', 'what was done')
    .addOption(file())
    .addOption(json())
    .action(async (id: string, options: { resolution?: string; file?: string; json?: boolean }) => {
      const { incidentChangeCommand } = await import('./commands/incident.js');
      setExit(
        await incidentChangeCommand(
          io,
          id,
          {
            kind: 'resolve',
            ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
          },
          options,
        ),
      );
    });

  program
    .command('evidence <id>')
    .description('what a deployment proves: gates, approvals, steps, verification, timeline')
    .addOption(
      new Option('--format <format>', 'json, md or html')
        .choices(['json', 'md', 'html'])
        .default('md'),
    )
    .option('-o, --output <file>', 'write to a file')
    .addOption(json())
    .action(async (id: string, options: { format?: string; output?: string; json?: boolean }) => {
      const { evidenceCommand } = await import('./commands/evidence.js');
      setExit(await evidenceCommand(io, id, options));
    });
}
