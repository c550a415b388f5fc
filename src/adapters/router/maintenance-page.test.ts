import { describe, expect, it } from 'vitest';
import { maintenancePage } from './maintenance-page.js';

describe('maintenancePage', () => {
  it('is HTML for a browser, with the message escaped', () => {
    const page = maintenancePage('<script>alert(1)</script> back at 10', 'text/html,*/*');
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['retry-after']).toBe('30');
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62; back at 10');
    expect(page.body).not.toContain('<script>');
  });

  it('is JSON for a client that asks for JSON only', () => {
    const page = maintenancePage('back "soon"', 'application/json');
    expect(JSON.parse(page.body)).toEqual({
      error: 'maintenance',
      message: 'back "soon"',
      retryAfter: 30,
    });
    expect(page.headers['content-length']).toBe(String(Buffer.byteLength(page.body)));
  });
});
