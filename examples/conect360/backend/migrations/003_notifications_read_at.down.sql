SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE notifications DROP COLUMN IF EXISTS lida_em;
