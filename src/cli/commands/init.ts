import { randomUUID } from 'node:crypto';
import { access, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EclusaError } from '../../core/errors/eclusa-error.js';
import { validatePolicyText } from '../../core/policy/load-policy.js';
import { NAME_PATTERN } from '../../core/policy/schema/common.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { policyPath } from '../policy-file.js';
import { initTemplate } from './init-template.js';

export interface InitOptions {
  readonly file?: string;
  readonly yes?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly project?: string;
}

function defaultProjectName(cwd: string): string {
  const name = basename(cwd)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return NAME_PATTERN.test(name) ? name : 'my-app';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `eclusa init`: writes a starter eclusa.yaml; asks for the project name on a terminal unless --yes. */
export async function initCommand(io: CliIo, options: InitOptions): Promise<number> {
  const { absolute, shown } = policyPath(io, options.file);
  if (!options.force && (await exists(absolute))) {
    throw new EclusaError('refused', 'POLICY_EXISTS', `${shown} already exists`, {
      hint: 'pass --force to overwrite it, or --file to write elsewhere',
    });
  }
  let project = options.project ?? defaultProjectName(io.cwd);
  const owner = (io.env['ECLUSA_ACTOR'] ?? io.env['USER'] ?? 'me').replace(/\s+/g, '-') || 'me';
  if (!options.yes && !options.json && io.isTty && options.project === undefined) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = (await prompt.question(`project name (${project}): `)).trim();
      if (answer !== '') project = answer;
    } finally {
      prompt.close();
    }
  }
  if (!NAME_PATTERN.test(project)) {
    throw new EclusaError(
      'invalid-input',
      'INVALID_NAME',
      `"${project}" is not a valid project name`,
      { hint: 'use lowercase letters, digits, ".", "_" or "-"' },
    );
  }
  const text = initTemplate(project, owner);
  const checked = validatePolicyText(shown, text);
  if (!checked.ok)
    throw new Error(
      `the init template is invalid: ${checked.errors.map((e) => e.message).join('; ')}`,
    );
  // Write beside the target and rename, so an interrupted init never leaves half a file.
  const temporary = join(dirname(absolute), `.eclusa-init-${randomUUID()}.tmp`);
  await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
  await rename(temporary, absolute);
  if (options.json) writeJson(io, { ok: true, file: shown, project });
  else
    io.out(
      `wrote ${shown} for project ${project}; next: edit it, then run \`eclusa policy check\``,
    );
  return 0;
}
