import type { z } from 'zod';
import type { CommandRunner } from '../command/command-runner.js';
import { invalidInput } from '../errors/eclusa-error.js';
import type { verificationSchema } from '../policy/schema/verification.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import { fillTextTemplate } from '../command/shell-template.js';
import type { Clock } from '../time/clock.js';
import type { HttpClient } from './http-client.js';
import type { VerificationTarget } from './verification.js';

export type VerificationDocument = z.output<typeof verificationSchema>;

/** What running a verification needs from the world; the CLI and the engine build it from adapters. */
export interface VerificationDeps {
  readonly http: HttpClient;
  readonly commands: CommandRunner;
  readonly secrets: SecretResolver;
  readonly clock: Clock;
  /** Waits between attempts; rejects when the signal aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A signal aborting after `ms`; default AbortSignal.timeout. */
  readonly timeout?: (ms: number) => AbortSignal;
  /** Directory of the policy file: a command check's relative `cwd` starts there. */
  readonly baseDir: string;
  /** What command checks inherit (ECLUSA_* removed); default nothing but the policy's env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cancels the check (the deployment was aborted). */
  readonly signal?: AbortSignal;
}

/** One check being run: where it points, how to fill its templates, what to hide. */
export interface CheckContext {
  readonly name: string;
  /** `environments.<env>.verify.<name>`: how errors name the check in the policy. */
  readonly field: string;
  readonly target: VerificationTarget;
  readonly deps: VerificationDeps;
  /** Blanks every secret value (and login token) from text leaving the check. */
  readonly redact: (text: string) => string;
  /** Adds a value (a token obtained at run time) to what `redact` blanks. */
  readonly hide: (value: string) => void;
}

/** `{url}`, `{version}`, `{release}`, `{environment}` of a verification. */
export function checkPlaceholders(
  context: CheckContext,
  template: string,
  field: string,
): Record<string, string> {
  const { target } = context;
  if (template.includes('{url}') && target.url === undefined) {
    throw invalidInput(
      'VERIFY_NO_BASE_URL',
      `${field} uses {url}, but this verification runs without a base URL`,
      {
        hint: 'give the component a url, or write the full URL in the check',
      },
    );
  }
  return {
    ...(target.url === undefined ? {} : { url: target.url.replace(/\/+$/, '') }),
    version: target.version,
    release: target.release,
    environment: target.environment,
  };
}

/** A text template of the check with placeholders filled, then `${env:…}` secrets resolved. */
export function resolveText(context: CheckContext, template: string, field: string): string {
  return context.deps.secrets.text(
    fillTextTemplate(template, checkPlaceholders(context, template, field)),
    field,
  );
}

export function resolveRecord(
  context: CheckContext,
  templates: Readonly<Record<string, string>> | undefined,
  field: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(templates ?? {}))
    out[key] = resolveText(context, template, `${field}.${key}`);
  return out;
}
