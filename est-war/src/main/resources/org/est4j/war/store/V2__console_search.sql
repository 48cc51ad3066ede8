-- The operator console's search of issued certificates (docs/console.md): newest first, and by date range, per CA.
-- A serial is found through the primary key; a subject substring (ILIKE) scans the CA's rows.
CREATE INDEX issued_certificate_issued_at ON issued_certificate (ca_name, issued_at DESC);
