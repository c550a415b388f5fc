-- The local profile's stand-in for the Alembic revisions: expand only, idempotent.
create table if not exists charges (
  id bigserial primary key,
  customer text not null,
  amount_cents bigint not null,
  status text not null default 'draft',
  created_at timestamptz not null default now()
);
