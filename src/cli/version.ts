import { createRequire } from 'node:module';

declare const __ECLUSA_VERSION__: string | undefined;

/** The package version: set by the bundler, or read from package.json when run from source. */
export const VERSION: string =
  typeof __ECLUSA_VERSION__ === 'string'
    ? __ECLUSA_VERSION__
    : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
