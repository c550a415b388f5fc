/**
 * SQL that fills a database with about `megabytes` MiB (tables and indexes, as
 * pg_database_size counts them) of application-like data: customers with jsonb, orders with
 * numerics, uuids and nullable columns, an event log of semi-repetitive text, and narrow
 * sensor readings under a composite primary key, with secondary indexes.
 */
export function benchDatabaseSql(megabytes: number): string {
  // Measured on PostgreSQL 15: 550,000 units fill about 1,045 MiB.
  const n = Math.max(1000, Math.round((megabytes * 550_000) / 1045));
  const customers = Math.max(100, Math.round(n / 10));
  return `
create table customers (
  id bigint primary key, email text not null unique, name text not null,
  country char(2) not null, created_on date not null, balance numeric(12,2) not null,
  active boolean not null, preferences jsonb not null);
insert into customers
select g, 'customer' || g || '@example.com', 'Customer ' || initcap(md5(g::text)),
  (array['PT','ES','FR','DE','US','BR','GB','IT'])[1 + g % 8],
  date '2015-01-01' + (g % 3650), round((random() * 10000)::numeric, 2), g % 7 <> 0,
  jsonb_build_object('lang', (array['pt','en','es'])[1 + g % 3], 'newsletter', g % 2 = 0, 'theme', 'dark')
from generate_series(1, ${customers}) g;

create table orders (
  id bigint primary key, customer_id bigint not null, status text not null,
  amount numeric(12,2) not null, currency char(3) not null, created_at timestamptz not null,
  shipped_at timestamptz, reference uuid not null, note text);
insert into orders
select g, 1 + (g::bigint * 7919) % ${customers},
  (array['new','paid','shipped','delivered','cancelled'])[1 + g % 5],
  round((random() * 500)::numeric, 2), 'EUR', timestamptz '2024-01-01' + g * interval '7 seconds',
  case when g % 5 >= 2 then timestamptz '2024-01-02' + g * interval '7 seconds' end,
  gen_random_uuid(), case when g % 4 = 0 then 'leave at the door, ring twice ' || (g % 100) end
from generate_series(1, ${n * 3}) g;
create index on orders (customer_id);
create index on orders (created_at);

create table events (
  id bigint primary key, at timestamptz not null, kind text not null, actor bigint,
  body text not null);
insert into events
select g, timestamptz '2024-01-01' + g * interval '1 second',
  (array['login','view','click','purchase','logout','search'])[1 + g % 6], 1 + g % ${customers},
  'request ' || md5(g::text) || ' path=/products/' || (g % 5000) || '?page=' || (g % 20) ||
  ' agent=Mozilla/5.0 (X11; Linux x86_64) ' || repeat(md5((g % 1000)::text), 2) || ' ' || md5(random()::text)
from generate_series(1, ${n * 3}) g;
create index on events (at);

create table readings (
  sensor int not null, at timestamptz not null, value double precision not null,
  quality smallint not null, primary key (sensor, at));
insert into readings
select g % 500, timestamptz '2024-01-01' + (g / 500) * interval '1 minute', random() * 100, (g % 3)::smallint
from generate_series(1, ${n * 5}) g;
`;
}
