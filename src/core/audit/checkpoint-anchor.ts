import type { AuditCheckpointRecord } from '../store/records.js';

/**
 * The latest checkpoint, kept beside the store as well as in it. Someone who can edit the
 * database can delete its newest events and checkpoints together; the copy outside still
 * says how far the log reached.
 */
export interface CheckpointAnchor {
  read(): Promise<AuditCheckpointRecord | undefined>;
  /** Keeps `checkpoint` unless the anchor already holds a later one. */
  write(checkpoint: AuditCheckpointRecord): Promise<void>;
}
