import { describe, expect, it } from 'vitest';
import { fillShellTemplate, fillTextTemplate, shellQuote } from './shell-template.js';

describe('shell templates', () => {
  it('quotes values so the shell sees one word and expands nothing', () => {
    expect(shellQuote("it's $(rm -rf /)")).toBe(`'it'\\''s $(rm -rf /)'`);
  });

  it('fills only the names given, never after a $', () => {
    const filled = fillShellTemplate('deploy.sh {version} v{version} {unknown} ${version} {a,b}', {
      version: '1.2.0; rm -rf /',
    });
    expect(filled).toBe(
      "deploy.sh '1.2.0; rm -rf /' v'1.2.0; rm -rf /' {unknown} ${version} {a,b}",
    );
  });

  it('fills text placeholders without quoting', () => {
    expect(fillTextTemplate('{url}/health?x=${url}', { url: 'http://127.0.0.1:8080' })).toBe(
      'http://127.0.0.1:8080/health?x=${url}',
    );
  });
});
