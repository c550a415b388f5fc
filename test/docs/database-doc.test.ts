import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';

const doc = readFileSync(new URL('../../docs/database.md', import.meta.url), 'utf8');

describe('docs/database.md', () => {
  it('shows a policy that validates', () => {
    const yaml = doc.split('```yaml\n')[1]?.split('```')[0] ?? '';
    const result = validatePolicyText('docs/database.md', yaml);
    expect(result.errors).toEqual([]);
    expect(result.policy?.components['db']).toMatchObject({ kind: 'database', engine: 'postgres' });
  });

  it('documents every eclusa backup and migrate subcommand', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const program = buildProgram(
      { out: () => undefined, err: () => undefined, env: {}, cwd: '.', isTty: false },
      () => undefined,
    );
    for (const name of ['backup', 'migrate']) {
      const command = program.commands.find((c) => c.name() === name);
      for (const sub of command?.commands ?? [])
        expect(doc).toContain(`eclusa ${name} ${sub.name()}`);
    }
  });
});
