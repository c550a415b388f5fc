import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRouterEntry } from './builtin-router-entry.js';

describe('defaultRouterEntry', () => {
  it('runs dist/router.cjs beside the CLI bundle', () => {
    const entry = defaultRouterEntry(pathToFileURL('/opt/eclusa/dist/eclusa.cjs').href);
    expect(entry).toEqual({ command: process.execPath, args: ['/opt/eclusa/dist/router.cjs'] });
  });

  it('runs the source through tsx from the repository root otherwise', () => {
    const entry = defaultRouterEntry();
    expect(entry.args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(entry.args[2]).toMatch(/src\/adapters\/router\/builtin\/builtin-router-main\.ts$/);
    expect(entry.cwd).toBeDefined();
  });
});
