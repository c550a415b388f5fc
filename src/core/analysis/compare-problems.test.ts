import { describe, expect, it } from 'vitest';
import { lineOf, withReplaced } from '../../../test/policy/policy-fixture.js';
import { validatePolicyText } from '../policy/load-policy.js';
import { analysisProblems, compileAnalysis, type AnalysisDocument } from './analysis-config.js';

const sprt = (compare: Partial<NonNullable<AnalysisDocument['compare']>>): AnalysisDocument => ({
  compare: { metrics: ['error_rate'], ...compare },
});

describe('compare: test sprt', () => {
  it('compiles with the defaults: detect a doubling of the error odds with 90 % power', () => {
    expect(compileAnalysis('judge', sprt({ test: 'sprt' })).compare).toEqual({
      errorRate: true,
      latency: false,
      maxDegradation: 0.1,
      alpha: 0.01,
      sprt: { detect: 1, power: 0.9, boundaries: 'exact' },
    });
    expect(
      compileAnalysis('judge', sprt({ test: 'sprt', boundaries: 'corrected' })).compare?.sprt,
    ).toEqual({ detect: 1, power: 0.9, boundaries: 'corrected' });
    expect(compileAnalysis('judge', sprt({})).compare?.sprt).toBeUndefined();
  });

  it('refuses SPRT settings on the mixture test, naming the field and the fix', () => {
    const problems = analysisProblems('judge', sprt({ detect: 1, power: 0.95 }));
    expect(problems.map((p) => [p.path.join('.'), p.code, p.hint])).toEqual([
      ['analyses.judge.compare.detect', 'ANALYSIS_SPRT_ONLY', 'add test: sprt, or remove detect'],
      ['analyses.judge.compare.power', 'ANALYSIS_SPRT_ONLY', 'add test: sprt, or remove power'],
    ]);
  });

  it('refuses corrected boundaries without test: sprt, at the line, with the fix', () => {
    const problems = analysisProblems('judge', sprt({ boundaries: 'corrected' }));
    expect(problems.map((p) => [p.path.join('.'), p.code, p.message, p.hint])).toEqual([
      [
        'analyses.judge.compare.boundaries',
        'ANALYSIS_SPRT_ONLY',
        'boundaries applies to the sequential probability ratio test, and this comparison uses the mixture test',
        'add test: sprt, or remove boundaries',
      ],
    ]);
    const text = withReplaced(
      'analyses:\n  health:\n',
      'analyses:\n  judge:\n    compare:\n      metrics: [error_rate]\n      test: mixture\n      boundaries: corrected\n  health:\n',
    );
    expect(validatePolicyText('eclusa.yaml', text).errors).toMatchObject([
      { code: 'ANALYSIS_SPRT_ONLY', line: lineOf(text, 'boundaries: corrected') },
    ]);
    const unknown = withReplaced(
      'analyses:\n  health:\n',
      'analyses:\n  judge:\n    compare:\n      metrics: [error_rate]\n      test: sprt\n      boundaries: wald\n  health:\n',
    );
    expect(validatePolicyText('eclusa.yaml', unknown).errors).toMatchObject([
      { line: lineOf(unknown, 'boundaries: wald') },
    ]);
  });

  it('refuses a degradation to detect no larger than the one tolerated', () => {
    const problems = analysisProblems(
      'judge',
      sprt({ test: 'sprt', maxDegradation: 0.5, detect: 0.5 }),
    );
    expect(problems).toMatchObject([
      {
        path: ['analyses', 'judge', 'compare', 'detect'],
        code: 'ANALYSIS_SPRT_RANGE',
        message: expect.stringContaining('detect 0.5 is not above maxDegradation 0.5') as unknown,
      },
    ]);
    expect(() => compileAnalysis('judge', sprt({ test: 'sprt', maxDegradation: 2 }))).toThrow(
      /analyses\.judge\.compare\.test: detect 1 is not above maxDegradation 2/,
    );
  });

  it('refuses an SPRT with no error rate to judge', () => {
    const problems = analysisProblems('judge', {
      compare: { metrics: ['latency'], test: 'sprt' },
    });
    expect(problems.map((p) => p.code)).toEqual(['ANALYSIS_SPRT_ONLY']);
  });

  it('is checked by policy check, at the line of the field', () => {
    const text = withReplaced(
      'analyses:\n  health:\n',
      'analyses:\n  judge:\n    compare:\n      metrics: [error_rate]\n      detect: 2\n  health:\n',
    );
    expect(validatePolicyText('eclusa.yaml', text).errors).toMatchObject([
      { code: 'ANALYSIS_SPRT_ONLY', line: lineOf(text, 'detect: 2') },
    ]);
    const power = withReplaced(
      'analyses:\n  health:\n',
      'analyses:\n  judge:\n    compare:\n      metrics: [error_rate]\n      test: sprt\n      power: 1\n  health:\n',
    );
    // power < 1 is an exclusive bound: the message must not say "at most 1".
    expect(validatePolicyText('eclusa.yaml', power).errors).toMatchObject([
      {
        code: 'OUT_OF_RANGE',
        line: lineOf(power, 'power: 1'),
        message: 'analyses.judge.compare.power is number 1, below 1 allowed',
        hint: 'use a value below 1',
      },
    ]);
  });
});
