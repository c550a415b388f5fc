/**
 * The `api` component of the engine's integration policies: the bundled sample app under the
 * process target, each release's settings in releases/<version>.env. Needs `npm run build`.
 */
export function sampleAppComponent(readyTimeout?: string): string {
  const app = new URL('../../dist/sample-app.cjs', import.meta.url).pathname;
  return `  api:
    kind: service
    artifact: { image: ghcr.io/shop/api }
    target:
      type: process
      command: '"${process.execPath}" --env-file=releases/{version}.env "${app}"'
      healthPath: /health${readyTimeout ? `\n      readyTimeout: ${readyTimeout}` : ''}`;
}
