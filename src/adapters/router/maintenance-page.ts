/** Seconds a client is asked to wait before trying again while maintenance is on. */
export const MAINTENANCE_RETRY_AFTER_S = 30;

export interface MaintenancePage {
  readonly status: 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The small page every router serves during maintenance: HTML, or JSON when asked for. */
export function maintenanceHtml(message: string): string {
  const text = escapeHtml(message);
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Maintenance</title></head><body style="font-family:sans-serif;margin:3rem">` +
    `<h1>Under maintenance</h1><p>${text}</p></body></html>`
  );
}

export function maintenanceJson(message: string): string {
  return JSON.stringify({ error: 'maintenance', message, retryAfter: MAINTENANCE_RETRY_AFTER_S });
}

/** JSON only when the client prefers it over HTML (an API client), HTML otherwise. */
export function maintenancePage(message: string, accept: string | undefined): MaintenancePage {
  const wantsJson = /application\/json/i.test(accept ?? '') && !/text\/html/i.test(accept ?? '');
  const body = wantsJson ? maintenanceJson(message) : maintenanceHtml(message);
  return {
    status: 503,
    headers: {
      'content-type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'retry-after': String(MAINTENANCE_RETRY_AFTER_S),
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}
