-- The legal representative's home address: sensitive personal information (L4).
ALTER TABLE enterprises ADD COLUMN legal_rep_home_address text;
