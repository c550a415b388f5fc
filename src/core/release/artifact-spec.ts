import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { Artifact } from '../store/records.js';

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses `NAME=REF@DIGEST` (e.g. `api=ghcr.io/acme/api:1.4.0@sha256:…`). The digest is what
 * makes a release immutable: a tag alone can be moved to another image later, so it is
 * refused unless the policy allows a mutable tag for that component.
 */
export function parseArtifactSpec(spec: string, policy: CompiledPolicy): Artifact {
  const eq = spec.indexOf('=');
  if (eq <= 0) {
    throw invalidInput('INVALID_ARTIFACT', `--artifact "${spec}" is not NAME=REF@DIGEST`, {
      hint: 'e.g. --artifact api=ghcr.io/acme/api:1.4.0@sha256:<64 hex digits>',
    });
  }
  const component = spec.slice(0, eq);
  const reference = spec.slice(eq + 1);
  const definition = policy.components[component];
  if (!definition) {
    throw invalidInput('UNKNOWN_COMPONENT', `component "${component}" is not in the policy`, {
      hint: `components: ${Object.keys(policy.components).join(', ')}`,
    });
  }
  if (definition.kind === 'database') {
    throw invalidInput(
      'INVALID_ARTIFACT',
      `"${component}" is a database: it has migrations, not artifacts`,
      { hint: 'give artifacts for the deployable components only' },
    );
  }
  const at = reference.lastIndexOf('@');
  if (at === -1) {
    if (definition.artifact?.allowMutableTag) return { component, ref: reference };
    throw refused(
      'MUTABLE_ARTIFACT',
      `artifact for "${component}" has no digest: "${reference}" could point to another image tomorrow`,
      {
        hint: `pin it as ${reference}@sha256:<digest> (docker buildx imagetools inspect, crane digest …), or set components.${component}.artifact.allowMutableTag: true`,
      },
    );
  }
  const ref = reference.slice(0, at);
  const digest = reference.slice(at + 1);
  if (ref === '')
    throw invalidInput(
      'INVALID_ARTIFACT',
      `artifact for "${component}" has a digest but no reference`,
      { hint: 'write REF@DIGEST, e.g. ghcr.io/acme/api:1.4.0@sha256:…' },
    );
  if (!DIGEST_PATTERN.test(digest)) {
    throw invalidInput('INVALID_DIGEST', `"${digest}" is not a sha256 digest`, {
      hint: 'a digest is "sha256:" followed by 64 lowercase hex digits',
    });
  }
  const image = definition.artifact?.image;
  if (image !== undefined && ref !== image && !ref.startsWith(`${image}:`)) {
    throw invalidInput(
      'ARTIFACT_MISMATCH',
      `artifact for "${component}" comes from ${ref}, but the policy says ${image}`,
      { hint: `use ${image}:<tag>@<digest> or change components.${component}.artifact.image` },
    );
  }
  return { component, ref, digest };
}
