import { assetReferences, bundleMarkers, type BundleMarker } from './bundle-markers.js';
import { exchange } from './http-exchange.js';
import type { AttemptContext, AttemptResult } from './retry-loop.js';
import {
  resolveText,
  type CheckContext,
  type VerificationDocument,
} from './verification-context.js';

type BundleCheck = Extract<VerificationDocument, { type: 'bundle' }>;

/** Assets fetched to look inside, at most: a page that needs more is not a frontend bundle. */
const MAX_ASSETS = 10;
const ASSET_LIMIT_BYTES = 5 * 1_048_576;

/** A bundle check: the page at `url` references the release's frontend bundle (docs/verification.md). */
export function prepareBundleCheck(
  check: BundleCheck,
  context: CheckContext,
): (attempt: AttemptContext) => Promise<AttemptResult> {
  const url = resolveText(context, check.url, `${context.field}.url`);
  const markers = bundleMarkers(context.target.version, context.target.digests[check.component]);
  const wanted = markers.map((marker) => marker.label).join(' or ');

  return async (attempt) => {
    const page = await exchange(context, attempt, {
      method: 'GET',
      url,
      headers: { accept: 'text/html' },
    });
    if ('failure' in page) return { ok: false, detail: page.failure };
    const { status, body } = page.response;
    if (status < 200 || status >= 300)
      return { ok: false, status, detail: `GET ${context.redact(url)} answered ${status}` };
    const assets = assetReferences(body);
    if (assets.length === 0)
      return {
        ok: false,
        status,
        detail: `the page at ${context.redact(url)} references no script or stylesheet`,
      };
    const named = findMarked(assets, markers);
    if (named !== undefined)
      return {
        ok: true,
        status,
        detail: `the page references ${named.text} (${named.marker.label})`,
      };

    for (const asset of assets.slice(0, MAX_ASSETS)) {
      let assetUrl: URL;
      try {
        assetUrl = new URL(asset, url);
      } catch {
        continue;
      }
      if (assetUrl.protocol !== 'http:' && assetUrl.protocol !== 'https:') continue;
      const fetched = await exchange(
        context,
        attempt,
        { method: 'GET', url: assetUrl.href, headers: {} },
        ASSET_LIMIT_BYTES,
      );
      if ('failure' in fetched) {
        if (attempt.signal.aborted) return { ok: false, status, detail: fetched.failure };
        continue;
      }
      if (fetched.response.status < 200 || fetched.response.status >= 300) continue;
      const marker = markers.find((candidate) => candidate.test(fetched.response.body));
      if (marker !== undefined)
        return { ok: true, status, detail: `${asset} contains ${marker.label}` };
    }
    const listed = assets.slice(0, 3).join(', ') + (assets.length > 3 ? ', …' : '');
    return {
      ok: false,
      status,
      detail: `the page references ${assets.length} asset(s) (${listed}) and none names or contains ${wanted}`,
    };
  };
}

function findMarked(
  assets: readonly string[],
  markers: readonly BundleMarker[],
): { text: string; marker: BundleMarker } | undefined {
  for (const text of assets) {
    const marker = markers.find((candidate) => candidate.test(text));
    if (marker !== undefined) return { text, marker };
  }
  return undefined;
}
