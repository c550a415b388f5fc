drop table if exists charges;
