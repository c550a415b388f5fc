-- Companies (empresas) and the notifications their users read.
CREATE TABLE IF NOT EXISTS empresas (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cnpj varchar(14) NOT NULL UNIQUE,
  nome varchar(120) NOT NULL,
  criado_em timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  empresa_id bigint NOT NULL REFERENCES empresas (id),
  titulo text NOT NULL,
  criado_em timestamptz NOT NULL DEFAULT now()
);
