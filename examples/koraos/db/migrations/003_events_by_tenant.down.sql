-- eclusa:no-transaction
SET lock_timeout = '5s';
SET statement_timeout = '5min';
DROP INDEX CONCURRENTLY IF EXISTS runtime_events_tenant_created_idx;
