import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';
import { THRESHOLD_PATTERN } from '../threshold.js';

/** Names of environments, roles, components, checks …: what a reference elsewhere points to. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, {
    message:
      'must be a lowercase name (letters, digits, ".", "_" or "-", starting with a letter or digit)',
  })
  .describe('A lowercase name: letters, digits, ".", "_" or "-".');

/** A person, as known to eclusa: a login, an e-mail address or a handle. */
export const personSchema = z
  .string()
  .min(1)
  .regex(/^[^\s]+$/, { message: 'must be a single login, e-mail or handle without spaces' })
  .describe('A person: a login, an e-mail address or a handle.');

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, { message: 'must be a duration such as 30s, 5m, 1h30m or 2d' })
  .describe('A duration such as 250ms, 30s, 5m, 1h30m, 2d.');

export const thresholdSchema = z
  .string()
  .regex(THRESHOLD_PATTERN, {
    message: 'must be a comparison such as "> 1%", ">= 2s", "< 99%" or "> 500ms"',
  })
  .describe(
    'A comparison: > | >= | < | <= followed by a number and an optional unit (%, ms, s, m).',
  );

/** `env:NAME` or `file:PATH`: where a secret is read at run time; the value never enters the policy. */
export const SECRET_REF_PATTERN = /^(?:env:[A-Za-z_][A-Za-z0-9_]*|file:\S+)$/;

export const secretRefSchema = z
  .string()
  .regex(SECRET_REF_PATTERN, {
    message: 'must be a secret reference (env:NAME or file:PATH), never the secret itself',
  })
  .describe('A secret reference: env:NAME (an environment variable) or file:PATH.');

export const clockTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time of day as HH:MM (24 h)' })
  .describe('A time of day, HH:MM on a 24-hour clock.');

export const isoDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$/, {
    message: 'must be a date or date-time such as 2026-12-20 or 2026-12-20T18:00',
  })
  .describe('An ISO 8601 date or local date-time, read in the window timezone.');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(WEEKDAYS);

/** Free text that may embed `${env:NAME}` / `${file:PATH}` references resolved at run time. */
export const templatedTextSchema = z
  .string()
  .describe('Text; secrets go in as ${env:NAME} or ${file:PATH}, never inline.');

export const envVarsSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), templatedTextSchema)
  .describe('Environment variables; secret values as ${env:NAME} or ${file:PATH}.');
