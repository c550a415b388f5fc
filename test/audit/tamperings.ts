import { type Kysely, sql } from 'kysely';
import { signCheckpoint } from '../../src/core/audit/checkpoint.js';
import { auditEventHash } from '../../src/core/audit/audit-event.js';
import type { Signer } from '../../src/core/audit/signer.js';
import type { AuditCheckpointRecord, AuditEventRecord } from '../../src/core/store/records.js';

/** A checkpoint row with the key that tells rows at the same seq apart. */
export type CheckpointRow = AuditCheckpointRecord & { readonly ord: number };

export interface TamperContext {
  /** Raw SQL inside the transaction that is rolled back after verification. */
  readonly db: Kysely<unknown>;
  readonly random: () => number;
  /** The untouched log, in seq order. */
  readonly events: readonly AuditEventRecord[];
  readonly checkpoints: readonly CheckpointRow[];
  /** Every seq a checkpoint or the anchor covers, ascending. */
  readonly coveredSeqs: readonly number[];
  /** A key the verifier does not trust. */
  readonly stranger: Signer;
}

/** One kind of tampering: applies a random instance and returns the seq verification must name. */
export interface Tampering {
  readonly name: string;
  apply(context: TamperContext): Promise<number>;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const between = (random: () => number, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));
const otherHex = (random: () => number, not: string): string => {
  for (;;) {
    const hex = Array.from({ length: 64 }, () => '0123456789abcdef'[between(random, 0, 15)]).join(
      '',
    );
    if (hex !== not) return hex;
  }
};

const flipOneBit = (random: () => number, base64: string): string => {
  const bytes = Buffer.from(base64, 'base64');
  const bit = between(random, 0, bytes.length * 8 - 1);
  bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
  return bytes.toString('base64');
};

async function setEvent(db: Kysely<unknown>, seq: number, column: string, value: string) {
  await sql`update audit_events set ${sql.ref(column)} = ${value} where seq = ${seq}`.execute(db);
}

export const TAMPERINGS: readonly Tampering[] = [
  {
    name: 'edit one character of a body',
    async apply({ db, random, events }) {
      const event = pick(random, events);
      const at = between(random, 0, event.body.length - 1);
      const code = event.body.charCodeAt(at);
      const replacement = String.fromCharCode(33 + ((code - 33 + between(random, 1, 93)) % 94));
      const body = event.body.slice(0, at) + replacement + event.body.slice(at + 1);
      await setEvent(db, event.seq, 'body', body);
      return event.seq;
    },
  },
  {
    name: 'edit a hash or a previous hash',
    async apply({ db, random, events }) {
      const event = pick(random, events);
      const column = pick(random, ['hash', 'prev_hash'] as const);
      const old = column === 'hash' ? event.hash : event.prevHash;
      await setEvent(db, event.seq, column, otherHex(random, old));
      return event.seq;
    },
  },
  {
    name: 'edit a kind, subject or time column',
    async apply({ db, random, events }) {
      const event = pick(random, events);
      const column = pick(random, ['kind', 'subject', 'at'] as const);
      const value =
        column === 'at'
          ? new Date(Date.parse(event.at) + between(random, 1, 1e9)).toISOString()
          : `${event[column]}${pick(random, ['x', '.forged', ' ', '"'])}`;
      await setEvent(db, event.seq, column, value);
      return event.seq;
    },
  },
  {
    name: 'delete an event',
    async apply({ db, random, events }) {
      const { seq } = pick(random, events);
      await sql`delete from audit_events where seq = ${seq}`.execute(db);
      return seq;
    },
  },
  {
    name: 'swap the contents of two events',
    async apply({ db, random, events }) {
      const i = between(random, 0, events.length - 2);
      const a = events[i]!;
      const b = events[between(random, i + 1, events.length - 1)]!;
      for (const [target, source] of [
        [a, b],
        [b, a],
      ] as const) {
        await sql`update audit_events set at = ${source.at}, kind = ${source.kind},
          subject = ${source.subject}, body = ${source.body}, prev_hash = ${source.prevHash},
          hash = ${source.hash} where seq = ${target.seq}`.execute(db);
      }
      return a.seq;
    },
  },
  {
    name: 'truncate the tail, checkpoints included, while the anchor file remains',
    async apply({ db, random, events }) {
      const from = between(random, 1, events.length);
      await sql`delete from audit_events where seq >= ${from}`.execute(db);
      await sql`delete from audit_checkpoints where seq >= ${from}`.execute(db);
      return from;
    },
  },
  {
    name: 're-sign a checkpoint with another key, added to the key table',
    async apply({ db, random, checkpoints, stranger }) {
      const checkpoint = pick(random, checkpoints);
      const forged = signCheckpoint(checkpoint, checkpoint.at, stranger);
      await sql`update audit_checkpoints set key_id = ${forged.keyId},
        signature = ${forged.signature} where ord = ${checkpoint.ord}`.execute(db);
      await sql`insert into audit_keys (key_id, public_key, created_at)
        values (${stranger.keyId}, ${stranger.publicKeyPem}, ${checkpoint.at})`.execute(db);
      return checkpoint.seq;
    },
  },
  {
    name: "edit a checkpoint's hash, seq, time or signature",
    async apply({ db, random, events, checkpoints }) {
      const checkpoint = pick(random, checkpoints);
      const field = pick(random, ['hash', 'seq', 'at', 'signature'] as const);
      if (field === 'seq') {
        const seq = pick(
          random,
          events.filter((event) => event.seq !== checkpoint.seq),
        ).seq;
        await sql`update audit_checkpoints set seq = ${seq} where ord = ${checkpoint.ord}`.execute(
          db,
        );
        // Its signature covers its old seq; the walk meets it at the new one.
        return seq;
      }
      const value =
        field === 'hash'
          ? otherHex(random, checkpoint.hash)
          : field === 'at'
            ? new Date(Date.parse(checkpoint.at) + between(random, 1, 1e9)).toISOString()
            : flipOneBit(random, checkpoint.signature);
      await sql`update audit_checkpoints set ${sql.ref(field)} = ${value}
        where ord = ${checkpoint.ord}`.execute(db);
      return checkpoint.seq;
    },
  },
  {
    name: 'rewrite history from an event on, every later hash recomputed',
    async apply({ db, random, events, coveredSeqs }) {
      const from = between(random, 1, events.length);
      let prevHash = events[from - 2]?.hash ?? '0'.repeat(64);
      for (const event of events.slice(from - 1)) {
        const body =
          event.seq === from ? event.body.replace(/"(staging|production)"/, '"qa"') : event.body;
        const hash = auditEventHash(prevHash, body);
        await sql`update audit_events set body = ${body}, prev_hash = ${prevHash},
          hash = ${hash} where seq = ${event.seq}`.execute(db);
        prevHash = hash;
      }
      return coveredSeqs.find((seq) => seq >= from)!;
    },
  },
];
