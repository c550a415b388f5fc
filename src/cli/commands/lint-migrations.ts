import { isAbsolute, resolve } from 'node:path';
import { createLibpgQueryParser } from '../../adapters/sql/libpg-query/libpg-query-parser.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { countErrors, formatFinding } from '../../core/migrations/lint/lint-finding.js';
import { lintMigrations } from '../../core/migrations/lint/lint-migrations.js';
import { toSarif } from '../../core/migrations/lint/sarif-report.js';
import { readMigrationDir } from '../../core/migrations/read-migration-dir.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { VERSION } from '../version.js';

export interface LintMigrationsOptions {
  readonly json?: boolean;
  readonly format?: string;
  readonly release?: string;
}

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function outputFormat(options: LintMigrationsOptions): Format {
  const format = options.format ?? (options.json ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(format))
    throw invalidInput('USAGE', `--format ${format} is not a lint output format`, {
      hint: `use one of ${FORMATS.join(', ')}`,
    });
  if (options.json && format === 'text')
    throw invalidInput('USAGE', '--json and --format text contradict each other', {
      hint: 'drop one of them',
    });
  return format as Format;
}

/** `eclusa lint migrations DIR`: every finding with file:line; exit 3 when any is an error. */
export async function lintMigrationsCommand(
  io: CliIo,
  dir: string,
  options: LintMigrationsOptions,
): Promise<number> {
  const format = outputFormat(options);
  const absolute = isAbsolute(dir) ? dir : resolve(io.cwd, dir);
  const sources = await readMigrationDir(absolute, dir);
  const parser = await createLibpgQueryParser();
  const report = lintMigrations(sources, parser, {
    ...(options.release === undefined ? {} : { release: options.release }),
  });
  const code = report.ok ? 0 : 3;
  if (format === 'sarif') {
    writeJson(io, toSarif(report, VERSION));
    return code;
  }
  if (format === 'json') {
    writeJson(io, {
      ok: report.ok,
      findings: report.findings,
      suppressed: report.suppressed,
      files: report.files,
      statements: report.statements,
    });
    return code;
  }
  if (report.files === 0) io.err(`no .sql files in ${dir}`);
  for (const finding of report.findings) io.out(formatFinding(finding));
  const errors = countErrors(report.findings);
  const suppressed = report.suppressed.length > 0 ? `, ${report.suppressed.length} suppressed` : '';
  io.out(
    `${errors} error(s), ${report.findings.length - errors} warning(s)${suppressed} in ${report.files} file(s), ${report.statements} statement(s)`,
  );
  return code;
}
