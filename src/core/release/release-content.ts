import { createHash } from 'node:crypto';
import type { Artifact } from '../store/records.js';

export interface ReleaseContent {
  readonly version: string;
  readonly commit: string;
  readonly tag?: string;
  readonly changelog?: string;
  readonly owner: string;
  readonly artifacts: readonly Artifact[];
}

/**
 * A digest of what a release *is* (not who created it or when), so that creating the same
 * release twice is recognised as the same, and anything else as a change.
 */
export function releaseContentDigest(content: ReleaseContent): string {
  const artifacts = [...content.artifacts]
    .sort((a, b) => a.component.localeCompare(b.component))
    .map((a) => [a.component, a.ref, a.digest ?? null]);
  const canonical = JSON.stringify([
    content.version,
    content.commit,
    content.tag ?? null,
    content.changelog ?? null,
    content.owner,
    artifacts,
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** Fields that differ between two releases' contents, for the immutability refusal. */
export function changedFields(a: ReleaseContent, b: ReleaseContent): string[] {
  const fields: string[] = [];
  if (a.commit !== b.commit) fields.push('commit');
  if ((a.tag ?? null) !== (b.tag ?? null)) fields.push('tag');
  if ((a.changelog ?? null) !== (b.changelog ?? null)) fields.push('changelog');
  if (a.owner !== b.owner) fields.push('owner');
  const key = (list: readonly Artifact[]): string =>
    JSON.stringify([...list].sort((x, y) => x.component.localeCompare(y.component)));
  if (key(a.artifacts) !== key(b.artifacts)) fields.push('artifacts');
  return fields;
}
