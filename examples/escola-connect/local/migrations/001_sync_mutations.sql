-- The local profile's stand-in for the Doctrine migrations: idempotent, as the runbook asks.
CREATE TABLE IF NOT EXISTS sync_mutations (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  device_id VARCHAR(64) NOT NULL,
  entity VARCHAR(64) NOT NULL,
  etag VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
