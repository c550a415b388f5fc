import { describe, expect, it } from 'vitest';
import { instanceShare, instanceSplit } from './instance-split.js';

describe('instanceSplit', () => {
  it('gives one of ten copies for 10 % ("1 instance with 10 % of the traffic")', () => {
    expect(instanceSplit(10, 10)).toEqual({ canary: 1, stable: 9 });
    expect(instanceShare(instanceSplit(10, 10))).toBe(10);
  });

  it('rounds the canary up, so a small weight still runs one canary copy', () => {
    expect(instanceSplit(4, 10)).toEqual({ canary: 1, stable: 3 });
    expect(instanceSplit(4, 30)).toEqual({ canary: 2, stable: 2 });
    expect(instanceSplit(10, 55)).toEqual({ canary: 6, stable: 4 });
  });

  it('keeps a stable copy below 100 % and moves every copy at 100 %', () => {
    expect(instanceSplit(2, 90)).toEqual({ canary: 2, stable: 1 });
    expect(instanceSplit(3, 100)).toEqual({ canary: 3, stable: 0 });
  });

  it('runs the canary beside a single copy: the finest split one copy allows', () => {
    const split = instanceSplit(1, 10);
    expect(split).toEqual({ canary: 1, stable: 1 });
    expect(instanceShare(split)).toBe(50);
  });

  it('runs no canary at 0 % and nothing with no copies', () => {
    expect(instanceSplit(10, 0)).toEqual({ canary: 0, stable: 10 });
    expect(instanceSplit(0, 50)).toEqual({ canary: 0, stable: 0 });
  });
});
