import { EclusaError } from '../errors/eclusa-error.js';

/** Reads secret values at run time; the CLI builds one over process.env and the file system. */
export interface SecretSource {
  env(name: string): string | undefined;
  file(path: string): string | undefined;
}

const REFERENCE = /\$\{(env|file):([^}\s]+)\}/g;

/**
 * Resolves `env:NAME` / `file:PATH` references and `${env:NAME}` inside text. Every value it
 * hands out is remembered, so `redact` can blank it from logs, errors, outputs and evidence.
 */
export class SecretResolver {
  private readonly values = new Set<string>();

  constructor(private readonly source: SecretSource) {}

  /** A whole-value reference (`env:NAME` or `file:PATH`), e.g. a database connection. */
  reference(ref: string, field: string): string {
    const match = /^(env|file):(.+)$/.exec(ref);
    if (!match) {
      throw new EclusaError(
        'invalid-input',
        'SECRET_REFERENCE',
        `${field} is not a secret reference`,
        {
          hint: 'write env:NAME or file:PATH',
        },
      );
    }
    return this.lookup(match[1] as 'env' | 'file', match[2] ?? '', field);
  }

  /** Text with `${env:NAME}` / `${file:PATH}` inside; the text around them is kept. */
  text(template: string, field: string): string {
    return template.replace(REFERENCE, (_all, kind: string, name: string) =>
      this.lookup(kind as 'env' | 'file', name, field),
    );
  }

  /** Every value of a record of templates, e.g. headers or environment variables. */
  record(
    templates: Readonly<Record<string, string>> | undefined,
    field: string,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(templates ?? {}))
      out[key] = this.text(value, `${field}.${key}`);
    return out;
  }

  /** Replaces every secret value handed out so far with `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (value.length >= 4) out = out.split(value).join('[redacted]');
    }
    return out;
  }

  private lookup(kind: 'env' | 'file', name: string, field: string): string {
    const value = kind === 'env' ? this.source.env(name) : this.source.file(name);
    if (value === undefined) {
      throw new EclusaError(
        'invalid-input',
        'SECRET_MISSING',
        `${field}: the secret ${kind}:${name} is not set`,
        { hint: kind === 'env' ? `export ${name}=… before running eclusa` : `create ${name}` },
      );
    }
    const trimmed = kind === 'file' ? value.replace(/\r?\n$/, '') : value;
    this.values.add(trimmed);
    return trimmed;
  }
}
