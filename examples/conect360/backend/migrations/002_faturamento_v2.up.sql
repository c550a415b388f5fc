-- Faturamento v2 (behind the faturamento-v2 flag): invoices of a company. The new table
-- references empresas, which locks empresas briefly: bounded by lock_timeout.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
CREATE TABLE IF NOT EXISTS faturas (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  empresa_id bigint NOT NULL REFERENCES empresas (id),
  competencia date NOT NULL,
  valor numeric(12, 2) NOT NULL CHECK (valor >= 0),
  status text NOT NULL DEFAULT 'aberta'
);
