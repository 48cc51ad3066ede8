-- bench/run.sh, scenario 5: :count prior issuances of CA :ca in est4j's issued_certificate, as a store that has issued
-- them over the past year would hold them. Run as a user allowed to insert there, after est4j's first start (Flyway
-- makes the table):
--   psql -v count=1000000 -v ca=default -v der=<hex of one certificate's DER> -f bench/pg-prior.sql
--
-- serial: est4j draws 127 random bits and stores BigInteger.toString(16) (lower case, no leading zeros). The md5 of
-- the row number with its top bit cleared has that form, spreads over the primary-key index as randomly, and is the
-- same in every run; a clash with a serial est4j drew (about 2^-107 for the whole load) would stop the load with a
-- unique violation rather than go unnoticed.
-- der: one real certificate of this CA (~500 bytes) in every row. PostgreSQL neither compresses nor moves out of line
-- a value under ~2 kB, so rows, pages and index are as large as with a million distinct certificates; est4j reads der
-- only to serve one certificate by serial, never to issue.
\set ON_ERROR_STOP on

INSERT INTO issued_certificate (ca_name, serial, issued_at, subject, not_after, der)
SELECT :'ca', serial, issued_at, 'CN=prior-' || serial, issued_at + interval '365 days', decode(:'der', 'hex')
FROM (SELECT ltrim(translate(left(h, 1), '89abcdef', '01234567') || substr(h, 2), '0') AS serial,
             now() - interval '366 days' + g * (interval '365 days' / :count) AS issued_at
      FROM generate_series(1, :count) AS g, LATERAL md5('est4j-bench-prior-' || g) AS h) AS prior;

-- what a store that grew over a year would look like to the planner and on disk: statistics up to date, the
-- visibility map set, and no autovacuum or checkpoint of the load left to run during the measurement that follows
VACUUM (ANALYZE) issued_certificate;
CHECKPOINT;

SELECT 'size ' || pg_size_pretty(pg_total_relation_size('issued_certificate')) || ' (table, index and TOAST), '
       || (SELECT count(*) FROM issued_certificate) || ' rows';
