import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';

describe.each(['targets.md', 'verification.md'])('docs/%s', (name) => {
  it('shows a policy that validates', () => {
    const text = readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
    const yaml = text.split('```yaml\n')[1]?.split('```')[0] ?? '';
    expect(yaml).not.toBe('');
    expect(validatePolicyText(`docs/${name}`, yaml).errors).toEqual([]);
  });
});
