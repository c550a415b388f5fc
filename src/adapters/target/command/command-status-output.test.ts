import { describe, expect, it } from 'vitest';
import { failureOf } from '../../../../test/support/failure-of.js';
import { parseStatusOutput } from './command-status-output.js';

const parse = (stdout: string) =>
  parseStatusOutput(stdout, 'api', 'production', 'components.api.target.status');

describe('parseStatusOutput', () => {
  it('reads one JSON line per slot, with defaults for slot and state', () => {
    expect(
      parse(
        [
          '{"slot":"blue","version":"1.4.0","state":"running","url":"http://10.0.0.5:8081","pid":42,"digest":"sha256:ab"}',
          '{"version":"1.3.0","host":"10.0.0.6","port":9000}',
          '{"slot":"green","version":"1.5.0","state":"failed","url":"","reason":"container exited 137"}',
        ].join('\n'),
      ),
    ).toEqual([
      {
        component: 'api',
        environment: 'production',
        slot: 'blue',
        version: '1.4.0',
        state: 'running',
        digest: 'sha256:ab',
        endpoint: { host: '10.0.0.5', port: 8081 },
        pid: 42,
      },
      {
        component: 'api',
        environment: 'production',
        slot: 'main',
        version: '1.3.0',
        state: 'running',
        endpoint: { host: '10.0.0.6', port: 9000 },
      },
      {
        component: 'api',
        environment: 'production',
        slot: 'green',
        version: '1.5.0',
        state: 'failed',
        reason: 'container exited 137',
      },
    ]);
  });

  it('reads plain words: VERSION, SLOT VERSION, SLOT VERSION STATE; skips blanks and comments', () => {
    expect(parse('# what runs\n\n1.4.0\n').map((i) => [i.slot, i.version, i.state])).toEqual([
      ['main', '1.4.0', 'running'],
    ]);
    expect(
      parse('blue 1.4.0\r\ngreen 1.5.0 stopped\n').map((i) => [i.slot, i.version, i.state]),
    ).toEqual([
      ['blue', '1.4.0', 'running'],
      ['green', '1.5.0', 'stopped'],
    ]);
  });

  it('treats empty output as nothing running', () => {
    expect(parse('')).toEqual([]);
  });

  it.each([
    ['{"slot":"blue"}', 'a version is required'],
    ['{"version":"1.0.0","state":"sleeping"}', 'state must be one of'],
    ['{"version":"1.0.0","url":"not a url"}', 'is not a URL'],
    ['{"version":"1.0.0"', 'not valid JSON'],
    ['Blue 1.0.0', 'is not a lowercase name'],
    ['Pulling api ... done (3/3)', 'expected VERSION'],
  ])('refuses %s, saying why and on which line', async (line, why) => {
    const failure = await failureOf(Promise.resolve().then(() => parse(`blue 1.0.0\n${line}`)));
    expect(failure.code).toBe('TARGET_STATUS_UNREADABLE');
    expect(failure.message).toContain('line 2');
    expect(failure.message).toContain(why);
  });
});
