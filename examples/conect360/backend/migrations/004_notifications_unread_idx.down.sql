-- eclusa:no-transaction
SET lock_timeout = '5s';
SET statement_timeout = '5min';
DROP INDEX CONCURRENTLY IF EXISTS notifications_unread_idx;
