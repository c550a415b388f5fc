import { describe, expect, it } from 'vitest';
import { fillPlaceholders, neutralPlaceholders, sideMatcher } from './prometheus-placeholders.js';

const canary = { id: 'api-green', version: '2.1.0', endpoint: { host: '10.0.0.7', port: 8080 } };
const stable = { id: 'api-blue', version: '2.0.0' };

describe('{{canary}} and {{stable}} in PromQL', () => {
  it('fills instances, versions and ids', () => {
    expect(
      fillPlaceholders(
        'sum(rate(x{instance="{{canary}}"}[1m])) / sum(rate(x{version="{{stable.version}}",id="{{ canary.id }}",i="{{stable}}"}[1m]))',
        { canary, stable },
      ),
    ).toEqual({
      query:
        'sum(rate(x{instance="10.0.0.7:8080"}[1m])) / sum(rate(x{version="2.0.0",id="api-green",i="api-blue"}[1m]))',
    });
  });

  it('names an unknown placeholder and a missing side', () => {
    expect(fillPlaceholders('x{i="{{canari}}"}', { canary })).toEqual({
      problem:
        'unknown placeholder {{canari}}: use {{canary}}, {{stable}} or {{canary.version|id|instance}}',
    });
    expect(fillPlaceholders('x{i="{{stable}}"}', { canary })).toEqual({
      problem: '{{stable}} is used but this analysis has no stable side',
    });
    expect(neutralPlaceholders('x{i="{{stable.version}}"}')).toBe('x{i="stable-placeholder"}');
  });

  it('selects a side by its instance unless told otherwise, escaping quotes', () => {
    expect(sideMatcher('instance="{{instance}}"', canary)).toBe('instance="10.0.0.7:8080"');
    expect(sideMatcher('version="{{version}}"', { ...stable, version: '2"0' })).toBe(
      'version="2\\"0"',
    );
  });
});
