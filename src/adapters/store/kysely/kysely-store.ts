import type { Store, StoreReader, StoreWriter } from '../../../core/store/store.js';
import { KyselyStoreReader } from './kysely-store-reader.js';
import { KyselyStoreWriter } from './kysely-store-writer.js';
import { SerialQueue } from './serial-queue.js';
import type { StoreConnections } from './store-connections.js';

/** The Store port over any database that supplies `StoreConnections`. */
export class KyselyStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  readonly #connections: StoreConnections;
  // Writers in this process wait here rather than each holding a connection while they
  // wait for the cross-process lock.
  readonly #writes = new SerialQueue();
  #closed: Promise<void> | undefined;

  constructor(connections: StoreConnections) {
    this.#connections = connections;
    this.kind = connections.kind;
    this.location = connections.location;
  }

  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
    return this.#connections.snapshot((session) => scoped(new KyselyStoreReader(session), fn));
  }

  write<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T> {
    return this.#writes.run(() =>
      this.#connections.exclusive((session) => scoped(new KyselyStoreWriter(session), fn)),
    );
  }

  close(): Promise<void> {
    this.#closed ??= this.#writes.drained().then(() => this.#connections.close());
    return this.#closed;
  }
}

async function scoped<R extends KyselyStoreReader, T>(
  reader: R,
  fn: (reader: R) => Promise<T>,
): Promise<T> {
  try {
    return await fn(reader);
  } finally {
    reader.end();
  }
}
