import type { PolicyPath } from './policy-issue.js';
import type { PolicySource } from './policy-source.js';

type Data = Record<string, unknown>;
const isObject = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function nameOf(value: unknown): unknown {
  return isObject(value) ? value['name'] : undefined;
}

/** A value the overlay sets whole, its `null`s removing keys there too (nothing to merge with). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/**
 * A profile overlay on a policy (e.g. `eclusa.local.yaml` over `eclusa.yaml`): maps merge
 * key by key (unless the overlay changes its `type` or `kind`: then it replaces the map),
 * `environments` merge by name (a new name is appended), any other list and any scalar is
 * replaced, and `null` removes a key.
 */
export function mergePolicyData(base: unknown, overlay: unknown, path: PolicyPath = []): unknown {
  if (overlay === undefined) return base;
  if (
    path.length === 1 &&
    path[0] === 'environments' &&
    Array.isArray(base) &&
    Array.isArray(overlay)
  ) {
    const merged: unknown[] = [...(base as unknown[])];
    for (const entry of overlay as unknown[]) {
      const i = merged.findIndex((e) => nameOf(e) !== undefined && nameOf(e) === nameOf(entry));
      if (i >= 0) merged[i] = mergePolicyData(merged[i], entry, [...path, i]);
      else merged.push(entry);
    }
    return merged;
  }
  if (!isObject(base) || !isObject(overlay)) return withoutNulls(overlay);
  // Another `type`/`kind` is another shape: the overlay's map replaces the base's whole.
  for (const tag of ['type', 'kind']) {
    if (overlay[tag] !== undefined && overlay[tag] !== base[tag]) return withoutNulls(overlay);
  }
  const out: Data = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = mergePolicyData(base[key], value, [...path, key]);
  }
  return out;
}

/** The overlay's own path for a path of the merged document, when the overlay sets that value. */
function overlayPath(merged: unknown, overlay: unknown, path: PolicyPath): PolicyPath | undefined {
  const out: (string | number)[] = [];
  let m: unknown = merged;
  let o: unknown = overlay;
  for (const segment of path) {
    if (o === undefined || o === null) return undefined;
    if (
      out.length === 1 &&
      out[0] === 'environments' &&
      Array.isArray(o) &&
      typeof segment === 'number'
    ) {
      const name = nameOf(Array.isArray(m) ? m[segment] : undefined);
      const i = o.findIndex((e) => nameOf(e) === name);
      if (i < 0) return undefined;
      out.push(i);
      o = o[i];
    } else if (Array.isArray(o) && typeof segment === 'number') {
      out.push(segment);
      o = o[segment];
    } else if (isObject(o)) {
      if (!(String(segment) in o)) return undefined;
      out.push(segment);
      o = o[String(segment)];
    } else return undefined;
    m = isObject(m)
      ? m[String(segment)]
      : Array.isArray(m) && typeof segment === 'number'
        ? m[segment]
        : undefined;
  }
  return out;
}

/** The merged document, whose positions point into whichever file set the value. */
export function overlaySource(base: PolicySource, overlay: PolicySource): PolicySource {
  const data = mergePolicyData(base.data, overlay.data);
  return {
    file: base.file,
    data,
    syntaxIssues: [...base.syntaxIssues, ...overlay.syntaxIssues],
    locate: (path, at) => {
      const own = overlayPath(data, overlay.data, path);
      return own ? overlay.locate(own, at) : base.locate(path, at);
    },
    fileAt: (path) => (overlayPath(data, overlay.data, path) ? overlay.file : base.file),
  };
}
