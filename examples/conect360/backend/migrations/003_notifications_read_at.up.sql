-- /notifications shows unread ones first. A nullable column with no default is only a
-- catalog change; the release that reads it treats NULL as unread.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE notifications ADD COLUMN IF NOT EXISTS lida_em timestamptz;
