import { describe, expect, it } from 'vitest';
import { assetReferences, bundleMarkers } from './bundle-markers.js';

describe('bundle markers', () => {
  it('finds scripts and stylesheets in page order, not icons or links', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/favicon.ico">
      <link rel="stylesheet" href="/assets/index-9a8b.css">
      <link rel=modulepreload href=/assets/vendor-77.js>
      <SCRIPT type="module" crossorigin src='/assets/index-1f2e.js'></SCRIPT>
      <script>inline()</script>
      <a href="/assets/not-an-asset.js">x</a>
    </head></html>`;
    expect(assetReferences(html)).toEqual([
      '/assets/index-9a8b.css',
      '/assets/vendor-77.js',
      '/assets/index-1f2e.js',
    ]);
  });

  it('matches the version only as a whole version', () => {
    const [version] = bundleMarkers('1.2.0', undefined);
    const test = (text: string) => version?.test(text);
    expect(test('/assets/app-1.2.0.js')).toBe(true);
    expect(test('/v1.2.0/app.js')).toBe(true);
    expect(test('/assets/app-1.2.01.js')).toBe(false);
    expect(test('/assets/app-11.2.0.js')).toBe(false);
    expect(test('/assets/app-1.2.0.1.js')).toBe(false);
    expect(test('/assets/app-1x2y0.js')).toBe(false);
    expect(test('/assets/appv1.2.0.js')).toBe(false);
  });

  it('matches the first 12 hex digits of the digest, in any case', () => {
    const markers = bundleMarkers('2.0.0', 'sha256:3F9A1B2C4D5E6F708192');
    expect(markers.map((marker) => marker.label)).toEqual(['version 2.0.0', 'digest 3f9a1b2c4d5e']);
    expect(markers[1]?.test('/assets/index.3F9A1B2C4D5E.js')).toBe(true);
    expect(markers[1]?.test('/assets/index.3f9a1b2c.js')).toBe(false);
    expect(bundleMarkers('2.0.0', 'latest')).toHaveLength(1);
  });
});
