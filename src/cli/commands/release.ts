import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { createRelease } from '../../core/services/release-service.js';
import { requireRelease } from '../../core/services/governance-context.js';
import type { ReleaseRecord } from '../../core/store/records.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

export interface ReleaseCreateOptions {
  readonly version: string;
  readonly commit: string;
  readonly tag?: string;
  readonly artifact: string[];
  readonly changelog?: string;
  readonly owner?: string;
  readonly file?: string;
  readonly json?: boolean;
}

async function readChangelog(io: CliIo, path: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw invalidInput(
      'UNREADABLE_FILE',
      `cannot read changelog ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { hint: 'pass the path of a readable file' },
    );
  }
}

function describe(release: ReleaseRecord): string[] {
  return [
    `release ${release.version}  commit ${release.commit}${release.tag ? `  tag ${release.tag}` : ''}`,
    `  owner ${release.owner}, created by ${release.createdBy} at ${release.createdAt}`,
    ...release.artifacts.map(
      (a) => `  ${a.component.padEnd(12)} ${a.ref}${a.digest ? `@${a.digest}` : '  (mutable tag)'}`,
    ),
    `  content ${release.contentDigest}`,
  ];
}

export async function releaseCreate(io: CliIo, options: ReleaseCreateOptions): Promise<number> {
  const changelog =
    options.changelog === undefined ? undefined : await readChangelog(io, options.changelog);
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const { release, created } = await createRelease(context, {
      version: options.version,
      commit: options.commit,
      artifacts: options.artifact,
      ...(options.tag === undefined ? {} : { tag: options.tag }),
      ...(changelog === undefined ? {} : { changelog }),
      ...(options.owner === undefined ? {} : { owner: options.owner }),
    });
    if (options.json) writeJson(io, { ...release, created });
    else {
      io.out(
        created
          ? `created release ${release.version}`
          : `release ${release.version} already exists with this exact content: nothing to do`,
      );
      for (const line of describe(release)) io.out(line);
    }
    return 0;
  });
}

export async function releaseShow(
  io: CliIo,
  version: string,
  options: { file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: false }, async ({ store }) => {
    const release = await store.read((reader) => requireRelease(reader, version));
    if (options.json) writeJson(io, release);
    else {
      for (const line of describe(release)) io.out(line);
      if (release.changelog) io.out(`\n${release.changelog.trimEnd()}`);
    }
    return 0;
  });
}

export async function releaseList(
  io: CliIo,
  options: { file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: false }, async ({ store }) => {
    const releases = await store.read((reader) => reader.listReleases());
    if (options.json) writeJson(io, { releases });
    else if (releases.length === 0) io.out('no releases yet (eclusa release create)');
    else
      for (const r of releases)
        io.out(
          `${r.version.padEnd(16)} ${r.commit.slice(0, 12)}  ${r.owner.padEnd(16)} ${r.createdAt}`,
        );
    return 0;
  });
}
