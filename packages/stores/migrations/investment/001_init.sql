-- Investment store: private financing, listed companies, investor KYC.
CREATE TABLE funds (
  id            bigint PRIMARY KEY,
  fund_code     text NOT NULL UNIQUE,
  name          text NOT NULL,
  manager       text NOT NULL,
  fund_type     text NOT NULL,
  registered_on date NOT NULL
);

CREATE TABLE financing_events (
  id              bigint PRIMARY KEY,
  enterprise_uscc text NOT NULL,
  enterprise_name text NOT NULL,
  round           text NOT NULL,
  amount          numeric(18,2) NOT NULL,
  currency        text NOT NULL,
  announced_on    date NOT NULL,
  investors       text NOT NULL,
  valuation       numeric(18,2),
  terms           text
);
CREATE INDEX financing_events_uscc ON financing_events (enterprise_uscc, id);

CREATE TABLE listed_companies (
  id         bigint PRIMARY KEY,
  stock_code text NOT NULL UNIQUE,
  name       text NOT NULL,
  exchange   text NOT NULL,
  uscc       text NOT NULL,
  industry   text NOT NULL,
  listed_on  date NOT NULL
);

CREATE TABLE daily_quotes (
  id          bigint PRIMARY KEY,
  company_id  bigint NOT NULL REFERENCES listed_companies(id),
  trade_date  date NOT NULL,
  open        numeric(12,2) NOT NULL,
  close       numeric(12,2) NOT NULL,
  high        numeric(12,2) NOT NULL,
  low         numeric(12,2) NOT NULL,
  volume      bigint NOT NULL,
  UNIQUE (company_id, trade_date)
);

CREATE TABLE financial_indicators (
  id            bigint PRIMARY KEY,
  company_id    bigint NOT NULL REFERENCES listed_companies(id),
  report_period text NOT NULL,
  revenue       numeric(18,2) NOT NULL,
  net_profit    numeric(18,2) NOT NULL,
  eps           numeric(10,4) NOT NULL,
  roe           numeric(8,4) NOT NULL
);

CREATE TABLE material_information (
  id          bigint PRIMARY KEY,
  company_id  bigint NOT NULL REFERENCES listed_companies(id),
  title       text NOT NULL,
  content     text NOT NULL,
  recorded_on date NOT NULL
);

CREATE TABLE investors (
  id             bigint PRIMARY KEY,
  name           text NOT NULL,
  investor_type  text NOT NULL,
  id_number      text NOT NULL,
  mobile         text NOT NULL,
  bank_name      text NOT NULL,
  bank_account   text NOT NULL,
  asset_proof    text NOT NULL,
  risk_level     text NOT NULL,
  verified_at    timestamptz NOT NULL
);
