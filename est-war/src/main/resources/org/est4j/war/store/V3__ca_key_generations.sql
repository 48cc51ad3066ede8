-- Every key generation of each local CA (docs/rollover.md): the root certificate of generation 1 (the key the CA was
-- created with, the one V1's ca_certificate recorded) and of each key a rollover made. An instance holding an older
-- generation than the newest recorded refuses to start; the same or a newer one is accepted (a newer one is recorded).
CREATE TABLE ca_key_generation (
    ca_name     VARCHAR(64) NOT NULL,
    generation  INTEGER NOT NULL,
    der         BYTEA NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (ca_name, generation)
);

INSERT INTO ca_key_generation (ca_name, generation, der, recorded_at)
    SELECT ca_name, 1, der, recorded_at FROM ca_certificate;
