-- Every filterable column leads an index ending in id (keyset pages stay index scans).
CREATE INDEX policy_documents_issuer_id ON policy_documents (issuer, id);
CREATE INDEX policy_documents_admin_level_id ON policy_documents (admin_level, id);
CREATE INDEX policy_drafts_region_id ON policy_drafts (region, id);
