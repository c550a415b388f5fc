-- The local profile's stand-in for the Django migrations run inside green.
create table if not exists audit_events (
  id bigserial primary key,
  company_id bigint not null,
  kind text not null,
  created_at timestamptz not null default now()
);
