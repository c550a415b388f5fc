import { valid } from 'semver';
import { invalidInput, refused } from '../errors/eclusa-error.js';
import { parseArtifactSpec } from '../release/artifact-spec.js';
import {
  changedFields,
  releaseContentDigest,
  type ReleaseContent,
} from '../release/release-content.js';
import type { ReleaseRecord } from '../store/records.js';
import { nowIso, type GovernanceContext } from './governance-context.js';

export interface CreateReleaseInput {
  readonly version: string;
  readonly commit: string;
  readonly tag?: string;
  readonly changelog?: string;
  readonly owner?: string;
  readonly artifacts: readonly string[];
}

const COMMIT_PATTERN = /^[0-9a-f]{7,64}$/;

/**
 * Records an immutable release. The same content again is a no-op; different content under
 * the same version is refused, since a version must always mean the same artifacts.
 */
export async function createRelease(
  context: GovernanceContext,
  input: CreateReleaseInput,
): Promise<{ release: ReleaseRecord; created: boolean }> {
  if (valid(input.version) === null || input.version.startsWith('v')) {
    throw invalidInput('INVALID_VERSION', `"${input.version}" is not a SemVer version`, {
      hint: 'use MAJOR.MINOR.PATCH such as 1.4.0 or 2.0.0-rc.1 (the tag may be v1.4.0)',
    });
  }
  if (!COMMIT_PATTERN.test(input.commit)) {
    throw invalidInput('INVALID_COMMIT', `"${input.commit}" is not a commit SHA`, {
      hint: 'pass the full (or at least 7-character) lowercase hex SHA, e.g. $(git rev-parse HEAD)',
    });
  }
  if (input.artifacts.length === 0) {
    throw invalidInput('NO_ARTIFACTS', 'a release needs at least one --artifact', {
      hint: 'e.g. --artifact api=ghcr.io/acme/api:1.4.0@sha256:…',
    });
  }
  const artifacts = input.artifacts.map((spec) => parseArtifactSpec(spec, context.policy));
  const duplicate = artifacts.find(
    (a, i) => artifacts.findIndex((b) => b.component === a.component) !== i,
  );
  if (duplicate)
    throw invalidInput(
      'DUPLICATE_ARTIFACT',
      `two artifacts for component "${duplicate.component}"`,
      { hint: 'give one --artifact per component' },
    );

  const content: ReleaseContent = {
    version: input.version,
    commit: input.commit,
    ...(input.tag === undefined ? {} : { tag: input.tag }),
    ...(input.changelog === undefined ? {} : { changelog: input.changelog }),
    owner: input.owner ?? context.actor.id,
    artifacts,
  };
  const contentDigest = releaseContentDigest(content);
  return context.store.write(async (writer) => {
    const existing = await writer.getRelease(input.version);
    if (existing) {
      if (existing.contentDigest === contentDigest) return { release: existing, created: false };
      throw refused(
        'RELEASE_IMMUTABLE',
        `release ${input.version} already exists with a different ${changedFields(existing, content).join(', ')}`,
        {
          hint: 'a release never changes: create a new version (e.g. bump the patch number)',
        },
      );
    }
    const release: ReleaseRecord = {
      ...content,
      createdBy: context.actor.id,
      createdAt: nowIso(context),
      contentDigest,
    };
    await writer.insertRelease(release);
    await context.audit.append(writer, {
      kind: 'release.created',
      subject: `release/${release.version}`,
      actor: context.actor,
      data: {
        version: release.version,
        commit: release.commit,
        tag: release.tag ?? null,
        owner: release.owner,
        artifacts: release.artifacts.map((a) => ({
          component: a.component,
          ref: a.ref,
          digest: a.digest ?? null,
        })),
        contentDigest,
      },
    });
    return { release, created: true };
  });
}
