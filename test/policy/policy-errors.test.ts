import { describe, expect, it } from 'vitest';
import {
  loadPolicyFile,
  validatePolicyText,
  type PolicyLoadResult,
} from '../../src/core/policy/load-policy.js';
import { formatIssue, type PolicyIssue } from '../../src/core/policy/policy-issue.js';
import { VALID_POLICY, lineOf, withReplaced } from './policy-fixture.js';

function errorsOf(result: PolicyLoadResult): PolicyIssue[] {
  expect(result.ok).toBe(false);
  return [...result.errors];
}

function only(result: PolicyLoadResult, code: string): PolicyIssue {
  const matching = errorsOf(result).filter((issue) => issue.code === code);
  expect(matching, JSON.stringify(result.errors, null, 2)).toHaveLength(1);
  return matching[0] as PolicyIssue;
}

describe('policy validation: the valid starting point', () => {
  it('accepts the init template and compiles a frozen policy', () => {
    const result = validatePolicyText('eclusa.yaml', VALID_POLICY);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(Object.isFrozen(result.policy)).toBe(true);
    expect(Object.isFrozen(result.policy.environments[1]?.pipeline)).toBe(true);
    expect(result.policy.environments.map((e) => [e.name, e.promotionFrom])).toEqual([
      ['staging', undefined],
      ['production', 'staging'],
    ]);
    expect(result.policy.environments[1]?.minBakeMs).toBe(3_600_000);
    expect(result.policy.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('policy validation: bad input names file, line, column and the fix', () => {
  it('reports a missing file', async () => {
    const issue = only(await loadPolicyFile('/nonexistent/eclusa.yaml'), 'POLICY_NOT_FOUND');
    expect(formatIssue(issue)).toBe(
      '/nonexistent/eclusa.yaml:1:1 POLICY_NOT_FOUND policy file not found (run `eclusa init` to create one, or pass --file / set ECLUSA_POLICY)',
    );
  });

  it('reports a YAML syntax error at its position', () => {
    const text = withReplaced('  owners: [ana]\n', '  owners: [ana\n');
    const issue = errorsOf(validatePolicyText('p.yaml', text))[0];
    expect(issue?.code).toBe('YAML_SYNTAX');
    expect(issue?.line).toBeGreaterThanOrEqual(lineOf(text, 'owners: [ana'));
    expect(issue?.message).toMatch(/^YAML: /);
  });

  it('reports one error for a brace inside a flow map, not the cascade after it', () => {
    const text = withReplaced(
      '  owners: [ana]\n',
      '  owners: [ana]\n  labels: { team: shop-{env} }\n',
    );
    const errors = errorsOf(validatePolicyText('p.yaml', text));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(lineOf(text, 'labels: {'));
    expect(errors[0]?.message).toMatch(/later syntax errors? not shown: they follow from this one/);
    expect(errors[0]?.hint).toContain('quote the value');
  });

  it('reports a duplicate key', () => {
    const text = withReplaced('  name: shop\n', '  name: shop\n  name: other\n');
    const issue = only(validatePolicyText('p.yaml', text), 'DUPLICATE_KEY');
    expect(issue.line).toBe(lineOf(text, 'name: other'));
  });

  it('reports a wrong type with what was found and how to write it', () => {
    const text = withReplaced('maxFailures: 0', 'maxFailures: none');
    const issue = only(validatePolicyText('p.yaml', text), 'WRONG_TYPE');
    expect(issue.path).toBe('checks.tests.maxFailures');
    expect(issue.line).toBe(lineOf(text, 'maxFailures: none'));
    expect(issue.column).toBe(text.split('\n')[issue.line - 1]!.indexOf('none') + 1);
    expect(issue.message).toContain('found string "none"');
    expect(issue.hint).toContain('a number');
  });

  it('reports an unknown key with "did you mean"', () => {
    const text = withReplaced('keepPrevious: 30m', 'keepPrevios: 30m');
    const issue = only(validatePolicyText('p.yaml', text), 'UNKNOWN_KEY');
    expect(issue.line).toBe(lineOf(text, 'keepPrevios'));
    expect(issue.column).toBe(7);
    expect(issue.hint).toBe('did you mean "keepPrevious"?');
  });

  it('reports an unknown step kind with the closest one', () => {
    const text = withReplaced('      - kind: rollout', '      - kind: rolout');
    const issue = only(validatePolicyText('p.yaml', text), 'INVALID_VALUE');
    expect(issue.line).toBe(lineOf(text, 'kind: rolout'));
    expect(issue.hint).toContain('did you mean "rollout"?');
  });

  it('reports a missing required key at its parent', () => {
    const text = withReplaced('  owners: [ana]\n', '');
    const issue = only(validatePolicyText('p.yaml', text), 'MISSING_KEY');
    expect(issue.path).toBe('project.owners');
    expect(issue.hint).toBe('add "owners:" to project');
  });

  it('reports a duplicate environment at the second definition', () => {
    const text = withReplaced('  - name: production\n', '  - name: staging\n');
    const issue = only(validatePolicyText('p.yaml', text), 'DUPLICATE_NAME');
    expect(issue.line).toBe(lineOf(text, '- name: staging', 2));
    expect(issue.message).toContain('defined twice');
  });

  it('reports a reference to nothing with the closest name', () => {
    const text = withReplaced('checklists: [pre-release]', 'checklists: [pre-releas]');
    const issue = only(validatePolicyText('p.yaml', text), 'UNKNOWN_REFERENCE');
    expect(issue.line).toBe(lineOf(text, '[pre-releas]'));
    expect(issue.hint).toBe('did you mean "pre-release"?');
  });

  it('refuses an inline secret without repeating it', () => {
    const secret = 'postgres://app:s3cr3t-pa55@db.internal:5432/shop';
    const text = withReplaced('connection: env:DATABASE_URL', `connection: ${secret}`);
    const result = validatePolicyText('p.yaml', text);
    const issue = only(result, 'INLINE_SECRET');
    expect(issue.line).toBe(lineOf(text, 's3cr3t'));
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
    expect(issue.hint).toContain('env:NAME');
  });

  it('refuses a token pasted into a header, even where any text is allowed', () => {
    const text = withReplaced(
      '        expect: { status: 200 }\n\n  - name: production',
      '        headers:\n          Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123\n        expect: { status: 200 }\n\n  - name: production',
    );
    const result = validatePolicyText('p.yaml', text);
    const issue = only(result, 'INLINE_SECRET');
    expect(issue.message).toContain('bearer token');
    expect(JSON.stringify(result)).not.toContain('abcdefghijklmnop');
  });

  it('accepts secret references inside text', () => {
    const text = withReplaced(
      '        expect: { status: 200 }\n\n  - name: production',
      '        headers:\n          Authorization: Bearer ${env:HEALTH_TOKEN}\n        expect: { status: 200 }\n\n  - name: production',
    );
    expect(validatePolicyText('p.yaml', text).errors).toEqual([]);
  });

  it('reports a promotion cycle', () => {
    let text = withReplaced(
      '  - name: staging\n    tier: staging\n',
      '  - name: staging\n    tier: staging\n    promotion:\n      from: production\n',
    );
    text = withReplaced(
      '    promotion:\n      minBake: 1h',
      '    promotion:\n      from: staging\n      minBake: 1h',
      text,
    );
    const issue = only(validatePolicyText('p.yaml', text), 'PROMOTION_CYCLE');
    expect(issue.message).toMatch(
      /staging → production → staging|production → staging → production/,
    );
  });

  it('reports a canary that never reaches 100 %', () => {
    const text = withReplaced(
      '      type: blue-green\n      keepPrevious: 30m',
      '      type: canary\n      analysis: health\n      steps:\n        - { weight: 10, pause: 5m }\n        - { weight: 50, pause: 5m }',
    );
    const issue = only(validatePolicyText('p.yaml', text), 'CANARY_INCOMPLETE');
    expect(issue.line).toBe(lineOf(text, 'weight: 50'));
  });

  it('reports a production migrate without a backup before it', () => {
    const text = withReplaced(
      '      - kind: backup\n        database: db\n      - kind: migrate',
      '      - kind: migrate',
      withReplaced(
        '    pipeline:\n      - kind: backup\n        database: db\n      - kind: migrate\n        database: db\n      - kind: deploy\n        components: [app]\n      - kind: verify\n    verify:',
        '    pipeline:\n      - kind: migrate\n        database: db\n      - kind: deploy\n        components: [app]\n      - kind: verify\n    verify:',
      ),
    );
    const result = validatePolicyText('p.yaml', text);
    const issue = only(result, 'BACKUP_BEFORE_MIGRATE');
    expect(issue.message).toContain('production');
    // In staging the same thing is only a warning.
    expect(result.warnings.map((w) => w.code)).toContain('BACKUP_BEFORE_MIGRATE');
  });

  it('reports an approval quorum no member list can satisfy', () => {
    let text = withReplaced('roles: [reviewer]', 'roles: [reviewer, release-owner]');
    text = withReplaced('members: [reviewer-1, reviewer-2]', 'members: [ana]', text);
    const issue = only(validatePolicyText('p.yaml', text), 'QUORUM_UNSATISFIABLE');
    expect(issue.message).toContain('at most 1');
  });

  it('reports a window that never opens and an unknown timezone', () => {
    const text = withReplaced(
      'analyses:',
      'windows:\n  never:\n    timezone: America/Sao_Paolo\n    days: [thu]\n    start: "02:00"\n    end: "02:00"\n\nanalyses:',
    );
    const result = validatePolicyText('p.yaml', text);
    expect(only(result, 'WINDOW_NEVER_OPENS').line).toBe(lineOf(text, 'end: "02:00"'));
    expect(only(result, 'INVALID_TIMEZONE').line).toBe(lineOf(text, 'Sao_Paolo'));
  });

  it('reports every error at once, sorted by position', () => {
    let text = withReplaced('tier: production', 'tier: prod');
    text = withReplaced('maxFailures: 0', 'maxFailures: -1', text);
    text = withReplaced('  name: shop', '  name: Shop Inc', text);
    const errors = errorsOf(validatePolicyText('p.yaml', text));
    expect(errors.map((e) => e.code)).toEqual(['INVALID_FORMAT', 'OUT_OF_RANGE', 'INVALID_VALUE']);
    expect(errors.map((e) => e.line)).toEqual([...errors.map((e) => e.line)].sort((a, b) => a - b));
  });

  it('reports an empty file and a non-mapping document', () => {
    expect(errorsOf(validatePolicyText('p.yaml', '')).map((e) => e.code)).toEqual(['WRONG_TYPE']);
    expect(errorsOf(validatePolicyText('p.yaml', '- a\n- b\n')).map((e) => e.code)).toEqual([
      'WRONG_TYPE',
    ]);
  });
});
