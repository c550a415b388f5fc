-- eclusa:no-transaction
-- Unread notifications of a company, newest first, without blocking writes while it builds.
SET lock_timeout = '5s';
SET statement_timeout = '30min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS notifications_unread_idx
  ON notifications (empresa_id, criado_em DESC)
  WHERE lida_em IS NULL;
