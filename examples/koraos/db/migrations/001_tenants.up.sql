-- Tenants and their runtime events; every row of an event belongs to one tenant and row-level
-- security keeps tenants apart. New tables: nobody reads them yet, so nothing here needs a
-- lock timeout.
CREATE TABLE IF NOT EXISTS tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS runtime_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE runtime_events ENABLE ROW LEVEL SECURITY;
-- CREATE POLICY has no IF NOT EXISTS: dropping it first keeps the file safe to run again.
DROP POLICY IF EXISTS tenant_isolation ON runtime_events;
CREATE POLICY tenant_isolation ON runtime_events
  USING (tenant_id = current_setting('app.tenant_id')::uuid);
