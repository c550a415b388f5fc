import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/store.js';
import { describeAuditCases } from './store-contract-audit.case.js';
import { describeEngineCases } from './store-contract-engine.case.js';
import { describeDatabaseCases } from './store-contract-database.case.js';
import type { StoreContractContext } from './store-contract-fixtures.js';
import { describeIncidentCases } from './store-contract-incidents.case.js';
import { describeRecordCases } from './store-contract-records.case.js';
import { describeTransactionCases } from './store-contract-transactions.case.js';

/**
 * The contract every Store adapter passes.
 *
 * `open()` opens a store over fresh, empty storage; `open(store)` opens another store over
 * the same storage as `store` (as another process would). `cleanup` runs once at the end,
 * after every store the suite opened has been closed.
 */
export function describeStoreContract(
  name: string,
  open: (sameStorageAs?: Store) => Promise<Store>,
  cleanup: () => Promise<void> = () => Promise.resolve(),
): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const track = async (opening: Promise<Store>): Promise<Store> => {
      const store = await opening;
      opened.push(store);
      return store;
    };
    const ctx: StoreContractContext = {
      fresh: () => track(open()),
      reopen: (store) => track(open(store)),
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    afterAll(cleanup);

    it('names its kind and a location', async () => {
      const store = await ctx.fresh();
      expect(['sqlite', 'postgres']).toContain(store.kind);
      expect(store.location).not.toBe('');
    });

    describeRecordCases(ctx);
    describeAuditCases(ctx);
    describeTransactionCases(ctx);
    describeEngineCases(ctx);
    describeDatabaseCases(ctx);
    describeIncidentCases(ctx);
  });
}
