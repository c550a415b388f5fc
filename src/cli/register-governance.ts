import { Option, type Command } from 'commander';
import type { CliIo } from './cli-io.js';

type SetExit = (code: number) => void;
const json = (): Option => new Option('--json', 'print one JSON document on stdout');
const file = (): Option =>
  new Option('-f, --file <path>', 'policy file (default: $ECLUSA_POLICY or ./eclusa.yaml)');
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Releases, checks, approvals, waivers, gates, checklists, blockers, audit. Handlers load lazily. */
export function registerGovernance(program: Command, io: CliIo, setExit: SetExit): void {
  const release = program.command('release').description('immutable releases: artifacts by digest');
  release
    .command('create')
    .description(
      'record a release (the same content again is a no-op; different content is refused)',
    )
    .requiredOption('--version <semver>', 'release version')
    .requiredOption('--commit <sha>', 'commit SHA')
    .option('--tag <tag>', 'git tag')
    .option('--artifact <name=ref@digest>', 'one per component, repeatable', collect, [])
    .option('--changelog <file>', 'changelog or release notes file')
    .option('--owner <person>', 'release owner (default: you)')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        version: string;
        commit: string;
        tag?: string;
        artifact: string[];
        changelog?: string;
        owner?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { releaseCreate } = await import('./commands/release.js');
        setExit(await releaseCreate(io, options));
      },
    );
  release
    .command('show <version>')
    .description('one release')
    .addOption(file())
    .addOption(json())
    .action(async (version: string, options: { file?: string; json?: boolean }) => {
      const { releaseShow } = await import('./commands/release.js');
      setExit(await releaseShow(io, version, options));
    });
  release
    .command('list')
    .description('every release, newest first')
    .addOption(file())
    .addOption(json())
    .action(async (options: { file?: string; json?: boolean }) => {
      const { releaseList } = await import('./commands/release.js');
      setExit(await releaseList(io, options));
    });

  program
    .command('check')
    .description('check results with evidence')
    .command('report')
    .description(
      'record a check result; evidence files (JUnit, LCOV, Cobertura, JSON score) are read, not trusted',
    )
    .requiredOption('--release <version>', 'release')
    .requiredOption('--check <name>', 'check name from the policy')
    .requiredOption('--status <pass|fail>', 'result')
    .option('--value <n>', 'a figure (coverage %, score) when there is no evidence file')
    .option('--evidence <file>', 'report file produced by CI')
    .option('--format <format>', 'junit | lcov | cobertura | score | file (default: detected)')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        check: string;
        status: string;
        value?: string;
        evidence?: string;
        format?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { checkReport } = await import('./commands/check-report.js');
        setExit(await checkReport(io, options));
      },
    );

  for (const decision of ['approve', 'reject'] as const) {
    const command = program
      .command(decision)
      .description(
        decision === 'approve'
          ? 'approve a release for an environment (never your own)'
          : 'reject a release for an environment (ends its quorum)',
      )
      .requiredOption('--release <version>', 'release')
      .requiredOption('--env <name>', 'environment');
    if (decision === 'approve') command.option('--role <role>', 'the quorum role you approve as');
    command
      .option('--comment <text>', 'why')
      .addOption(file())
      .addOption(json())
      .action(
        async (options: {
          release: string;
          env: string;
          role?: string;
          comment?: string;
          file?: string;
          json?: boolean;
        }) => {
          const { decisionCommand } = await import('./commands/decision.js');
          setExit(await decisionCommand(io, decision, options));
        },
      );
  }

  const waiver = program
    .command('waiver')
    .description('exceptions to a gate, written and approved before use');
  waiver
    .command('request')
    .requiredOption('--release <version>', 'release')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--gate <gate>', 'gate name as `eclusa gates` shows it')
    .requiredOption('--justification <text>', 'why the exception is needed')
    .requiredOption('--risk <text>', 'the risk being accepted')
    .option('--expires <iso>', 'when the waiver stops counting')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        env: string;
        gate: string;
        justification: string;
        risk: string;
        expires?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { waiverRequest } = await import('./commands/waiver.js');
        setExit(await waiverRequest(io, options));
      },
    );
  waiver
    .command('approve <id>')
    .description('approve a waiver (technical owner role; never its requester)')
    .addOption(file())
    .addOption(json())
    .action(async (id: string, options: { file?: string; json?: boolean }) => {
      const { waiverApprove } = await import('./commands/waiver.js');
      setExit(await waiverApprove(io, id, options));
    });

  program
    .command('gates')
    .description('each gate: pass | fail | waived | pending, with why (exit 3 unless all pass)')
    .requiredOption('--release <version>', 'release')
    .requiredOption('--env <name>', 'environment')
    .option('--requester <person>', 'who will deploy (their approvals do not count)')
    .option('--at <iso>', 'judge windows, TTLs and bake times at this instant instead of now')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        env: string;
        requester?: string;
        at?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { gatesCommand } = await import('./commands/gates.js');
        setExit(await gatesCommand(io, options));
      },
    );

  program
    .command('checklist')
    .description('checklists confirmed by a named person')
    .command('confirm')
    .requiredOption('--release <version>', 'release')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--checklist <name>', 'checklist')
    .option('--item <n|text>', 'item number or text, repeatable', collect, [])
    .option('--all', 'every item')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        env: string;
        checklist: string;
        item?: string[];
        all?: boolean;
        file?: string;
        json?: boolean;
      }) => {
        const { checklistConfirm } = await import('./commands/governance-misc.js');
        setExit(await checklistConfirm(io, options));
      },
    );

  program
    .command('block')
    .description('block promotion into an environment (e.g. a compromised credential)')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--reason <text>', 'why')
    .addOption(file())
    .addOption(json())
    .action(async (options: { env: string; reason: string; file?: string; json?: boolean }) => {
      const { blockCommand } = await import('./commands/governance-misc.js');
      setExit(await blockCommand(io, options));
    });
  program
    .command('unblock')
    .description('resolve a blocker (someone other than who opened it)')
    .requiredOption('--env <name>', 'environment')
    .option('--id <id>', 'which blocker, when several are open')
    .option('--resolution <text>', 'what was done')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        env: string;
        id?: string;
        resolution?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { unblockCommand } = await import('./commands/governance-misc.js');
        setExit(await unblockCommand(io, options));
      },
    );

  program
    .command('deployment')
    .description('deployments: show one, steer it, record one done outside eclusa')
    .command('record')
    .description('record a deployment done outside eclusa (what runs today, when adopting eclusa)')
    .requiredOption('--release <version>', 'release')
    .requiredOption('--env <name>', 'environment')
    .option('--status <status>', 'succeeded | failed', 'succeeded')
    .option('--at <iso>', 'when it finished (default: now)')
    .addOption(file())
    .addOption(json())
    .action(
      async (options: {
        release: string;
        env: string;
        status: string;
        at?: string;
        file?: string;
        json?: boolean;
      }) => {
        const { deploymentRecord } = await import('./commands/governance-misc.js');
        setExit(await deploymentRecord(io, options));
      },
    );

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('exit 0 intact; 3 tampered, naming the first bad event')
    .addOption(json())
    .action(async (options: { json?: boolean }) => {
      const { auditVerify } = await import('./commands/audit.js');
      setExit(await auditVerify(io, options));
    });
  audit
    .command('log')
    .description('events, oldest first (--json: JSON lines)')
    .option('--since <iso>', 'only events at or after this time')
    .addOption(json())
    .action(async (options: { since?: string; json?: boolean }) => {
      const { auditLog } = await import('./commands/audit.js');
      setExit(await auditLog(io, options));
    });
}
