import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../core/plan/build-plan.js';
import { loadPolicyFile } from '../../core/policy/load-policy.js';
import { formatIssue, type PolicyIssue } from '../../core/policy/policy-issue.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { demoDeployActs } from './demo-deploy-acts.js';
import { initCommand } from './init.js';

export interface DemoOptions {
  readonly json?: boolean;
  readonly keep?: boolean;
}

/**
 * `eclusa demo`: the whole story this version of eclusa can tell, on this machine, in a
 * throwaway folder: write a policy, validate it, plan a production release with its
 * rollback path, catch a broken policy with positions and fixes, then deploy the sample app
 * through staging and production and watch a broken release roll back by itself, and
 * finally promote a canary judged live by its metrics and watch a 5xx regression roll back
 * with an incident opened.
 */
export async function demoCommand(io: CliIo, options: DemoOptions): Promise<number> {
  const home = await mkdtemp(join(tmpdir(), 'eclusa-demo-'));
  const say = (text: string): void => {
    if (!options.json) io.out(text);
  };
  const quietIo: CliIo = { ...io, cwd: home, out: () => undefined, err: () => undefined };
  try {
    say(`eclusa demo — working in ${home}`);
    say('\n1. A release policy as code (eclusa init)');
    await initCommand(quietIo, { yes: true, project: 'shop' });
    const file = join(home, 'eclusa.yaml');
    say(`   wrote ${file}`);

    say('\n2. Validated in stages: YAML → schema → semantic rules');
    const loaded = await loadPolicyFile(file);
    if (!loaded.ok) throw new Error('the demo policy does not validate');
    say(`   valid: ${loaded.policy.environments.map((e) => `${e.name} (${e.tier})`).join(' → ')}`);

    say('\n3. The production plan for release 1.4.0, and its rollback path (pure, nothing runs)');
    const plan = buildPlan(loaded.policy, { release: '1.4.0', environment: 'production' });
    for (const step of plan.steps)
      say(
        `   ${step.phase === 'preflight' ? 'gate ' : 'step '} ${step.kind.padEnd(10)} ${step.name}`,
      );
    for (const step of plan.rollback.steps) say(`   undo  ${step.kind.padEnd(10)} ${step.name}`);

    say('\n4. Careless edits are refused with the place and the fix (exit code 2)');
    const original = await readFile(file, 'utf8');
    const edits = [
      {
        what: 'a typo and a pasted database password',
        text: original
          .replace('tier: production', 'tier: prodution')
          .replace(
            'connection: env:DATABASE_URL',
            'connection: postgres://shop:hunter2-prod@db:5432/shop',
          ),
      },
      {
        what: 'a canary that stops at 50 % and a checklist that does not exist',
        text: original
          .replace('checklists: [pre-release]', 'checklists: [pre-relase]')
          .replace(
            '      type: blue-green\n      keepPrevious: 30m',
            '      type: canary\n      analysis: health\n      steps:\n        - { weight: 10, pause: 5m }\n        - { weight: 50, pause: 5m }',
          ),
      },
    ];
    const rejected: PolicyIssue[] = [];
    for (const edit of edits) {
      await writeFile(file, edit.text);
      const result = await loadPolicyFile(file);
      say(`   ${edit.what}:`);
      for (const issue of result.errors)
        say(`     ${formatIssue({ ...issue, file: 'eclusa.yaml' })}`);
      rejected.push(...result.errors);
    }
    say('   (the password itself appears nowhere in the output)');

    const deployed = await demoDeployActs(io, home, say, options.json === true);

    if (options.json) {
      writeJson(io, { ok: true, home: options.keep ? home : null, plan, rejected, ...deployed });
    } else {
      say(
        '\nNext: `eclusa init` in your repository, `eclusa policy check`, `eclusa plan --release V --env E`.',
      );
      say(
        options.keep
          ? `Everything is kept in ${home}.`
          : 'The demo stopped its processes and removed its folder (keep it with --keep); the evidence pages stay where they are listed above.',
      );
    }
    return 0;
  } finally {
    if (!options.keep) await rm(home, { recursive: true, force: true });
  }
}
