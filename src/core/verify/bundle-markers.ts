/**
 * How a bundle check knows the page serves the new frontend: an asset the page references
 * (a script or stylesheet) whose name or content carries the release’s version (optionally after a "v"), delimited
 * (so 1.2.0 does not match 1.2.01 or 11.2.0), or the first 12 hex digits of the frontend
 * artifact's digest. See docs/verification.md.
 */
export interface BundleMarker {
  /** "version 2.4.1" or "digest 3f9a1b2c4d5e", for messages. */
  readonly label: string;
  readonly test: (text: string) => boolean;
}

export const DIGEST_PREFIX_LENGTH = 12;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function bundleMarkers(version: string, digest: string | undefined): BundleMarker[] {
  const versionPattern = new RegExp(`(?<![0-9A-Za-z.])v?${escape(version)}(?![0-9A-Za-z]|\\.\\d)`);
  const markers: BundleMarker[] = [
    { label: `version ${version}`, test: (text) => versionPattern.test(text) },
  ];
  const hex = digest?.replace(/^sha256:/i, '').toLowerCase();
  if (hex !== undefined && /^[0-9a-f]{12,}$/.test(hex)) {
    const prefix = hex.slice(0, DIGEST_PREFIX_LENGTH);
    markers.push({
      label: `digest ${prefix}`,
      test: (text) => text.toLowerCase().includes(prefix),
    });
  }
  return markers;
}

/**
 * URLs of the scripts and stylesheets an HTML page references, in page order. A regular
 * scan of `<script src>` and `<link href>` is enough for that, and no HTML parser is among
 * eclusa's dependencies.
 */
export function assetReferences(html: string): string[] {
  const found: string[] = [];
  const tags = /<(script|link)\b([^>]*)>/gi;
  for (const [, tag, attributes = ''] of html.matchAll(tags)) {
    const isScript = tag?.toLowerCase() === 'script';
    if (!isScript) {
      const rel = attribute(attributes, 'rel')?.toLowerCase() ?? '';
      if (!/\b(stylesheet|modulepreload|preload|prefetch)\b/.test(rel)) continue;
    }
    const url = attribute(attributes, isScript ? 'src' : 'href');
    if (url !== undefined && url !== '' && !found.includes(url)) found.push(url);
  }
  return found;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(
    `(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`,
    'i',
  ).exec(attributes);
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3]);
}
