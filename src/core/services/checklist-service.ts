import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { ChecklistConfirmationRecord } from '../store/records.js';
import { newId } from './ids.js';
import {
  nowIso,
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';

export interface ConfirmInput {
  readonly release: string;
  readonly environment: string;
  readonly checklist: string;
  /** Item text or 1-based number; undefined confirms every item. */
  readonly items?: readonly string[];
}

/** A named person holding the checklist's role confirms items for one release in one environment. */
export async function confirmChecklist(
  context: GovernanceContext,
  input: ConfirmInput,
): Promise<ChecklistConfirmationRecord[]> {
  const environment = requireEnvironment(context.policy, input.environment);
  const checklist = context.policy.checklists?.[input.checklist];
  const used = [
    ...(environment.gates?.checklists ?? []),
    ...environment.pipeline.flatMap((s) => (s.kind === 'checklist' ? [s.checklist] : [])),
  ];
  if (!checklist || !used.includes(input.checklist)) {
    throw invalidInput(
      'UNKNOWN_CHECKLIST',
      `${environment.name} has no checklist "${input.checklist}"`,
      { hint: `checklists here: ${used.join(', ') || '(none)'}` },
    );
  }
  const me = context.actor.id;
  const role = checklist.confirmedBy;
  if (!(context.policy.roles?.[role]?.members ?? []).includes(me)) {
    throw refused(
      'NOT_IN_ROLE',
      `checklist ${input.checklist} is confirmed by ${role}, and ${me} is not one`,
      { hint: `${role}: ${(context.policy.roles?.[role]?.members ?? []).join(', ')}` },
    );
  }
  const items = (input.items ?? checklist.items).map((wanted) => {
    const byNumber = /^\d+$/.test(wanted) ? checklist.items[Number(wanted) - 1] : undefined;
    const item = byNumber ?? checklist.items.find((text) => text === wanted);
    if (item === undefined)
      throw invalidInput('UNKNOWN_ITEM', `checklist ${input.checklist} has no item "${wanted}"`, {
        hint: checklist.items.map((text, i) => `${i + 1}. ${text}`).join(' | '),
      });
    return item;
  });
  return context.store.write(async (writer) => {
    await requireRelease(writer, input.release);
    const done = await writer.listChecklistConfirmations(input.release, environment.name);
    const records: ChecklistConfirmationRecord[] = [];
    for (const item of [...new Set(items)]) {
      if (done.some((c) => c.checklist === input.checklist && c.item === item && c.actor === me))
        continue;
      const record: ChecklistConfirmationRecord = {
        id: newId('ckl'),
        release: input.release,
        environment: environment.name,
        checklist: input.checklist,
        item,
        actor: me,
        role,
        confirmedAt: nowIso(context),
      };
      await writer.insertChecklistConfirmation(record);
      records.push(record);
    }
    if (records.length > 0) {
      await context.audit.append(writer, {
        kind: 'checklist.confirmed',
        subject: `release/${input.release}/${environment.name}`,
        actor: context.actor,
        data: { checklist: input.checklist, role, items: records.map((r) => r.item) },
      });
    }
    return records;
  });
}
