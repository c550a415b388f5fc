import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has a Quick start with exactly two commands: the demo and the tests', () => {
    const quickStart =
      readme.split('## Quick start')[1]?.split('```sh\n')[1]?.split('```')[0] ?? '';
    const commands = quickStart.split('\n').filter((line) => line.trim() !== '');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^npm ci && npx eclusa demo\b/);
    expect(commands[1]).toMatch(/^npm test\b/);
  });

  it('shows a policy that validates', () => {
    const yaml = readme.split('```yaml\n')[1]?.split('```')[0] ?? '';
    const result = validatePolicyText('README.md', yaml);
    expect(result.errors).toEqual([]);
  });
});
