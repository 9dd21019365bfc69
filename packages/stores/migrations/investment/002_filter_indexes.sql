-- Every filterable column leads an index ending in id (keyset pages stay index scans).
CREATE INDEX funds_fund_type_id ON funds (fund_type, id);
CREATE INDEX financing_events_round_id ON financing_events (round, id);
CREATE INDEX listed_companies_exchange_id ON listed_companies (exchange, id);
CREATE INDEX listed_companies_uscc_id ON listed_companies (uscc, id);
CREATE INDEX investors_investor_type_id ON investors (investor_type, id);
CREATE INDEX investors_id_number_id ON investors (id_number, id);
CREATE INDEX investors_risk_level_id ON investors (risk_level, id);
