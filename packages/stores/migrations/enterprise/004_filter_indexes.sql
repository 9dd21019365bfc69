-- Every filterable column leads an index ending in id, so a filtered keyset page
-- is an index range scan even on hundreds of millions of rows.
CREATE INDEX enterprises_enterprise_type_id ON enterprises (enterprise_type, id);
CREATE INDEX enterprises_industry_code_id ON enterprises (industry_code, id);
CREATE INDEX enterprises_status_id ON enterprises (status, id);
CREATE INDEX enterprises_legal_rep_id_number_id ON enterprises (legal_rep_id_number, id);
CREATE INDEX enterprises_legal_rep_mobile_id ON enterprises (legal_rep_mobile, id);
CREATE INDEX enterprise_requests_category_id ON enterprise_requests (category, id);
CREATE INDEX enterprise_requests_status_id ON enterprise_requests (status, id);
