import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to run the router process: a command, its arguments (the state directory follows). */
export interface RouterEntry {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

/**
 * Inside the CLI bundle (dist/eclusa.cjs) the router is its sibling dist/router.cjs. From
 * source (tests, `tsx src/cli/main.ts`) there is no bundle to trust to be current, so the
 * router's source runs through tsx, from the repository root where tsx is installed.
 */
export function defaultRouterEntry(moduleUrl: string = import.meta.url): RouterEntry {
  if (moduleUrl.endsWith('.cjs')) {
    const bundled = fileURLToPath(new URL('./router.cjs', moduleUrl));
    return { command: process.execPath, args: [bundled] };
  }
  const main = fileURLToPath(new URL('./builtin-router-main.ts', moduleUrl));
  const root = fileURLToPath(new URL('../../../../', moduleUrl));
  if (!existsSync(main)) {
    throw new Error(`the builtin router's entry point is missing: ${main} (run npm run build)`);
  }
  return { command: process.execPath, args: ['--import', 'tsx', main], cwd: root };
}
