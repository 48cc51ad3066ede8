-- est4j's shared state for several instances (docs/scaling.md). Tested on PostgreSQL 15.
-- Serials are lower-case hex without leading zeros (as openssl x509 -serial prints them, in lower case).

-- The certificate of each local CA, as the first instance recorded it: every instance must issue with the same CA.
CREATE TABLE ca_certificate (
    ca_name     VARCHAR(64) PRIMARY KEY,
    der         BYTEA NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every certificate issued, committed before it reaches its client. The primary key makes a serial unique per CA.
CREATE TABLE issued_certificate (
    ca_name   VARCHAR(64) NOT NULL,
    serial    VARCHAR(40) NOT NULL,
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    subject   TEXT NOT NULL,
    not_after TIMESTAMP WITH TIME ZONE NOT NULL,
    der       BYTEA NOT NULL,
    PRIMARY KEY (ca_name, serial)
);

-- Revocations: never removed. reason is an RFC 5280 CRLReason code.
CREATE TABLE revocation (
    ca_name    VARCHAR(64) NOT NULL,
    serial     VARCHAR(40) NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    reason     SMALLINT NOT NULL,
    revoked_by TEXT NOT NULL,
    PRIMARY KEY (ca_name, serial)
);

-- Every CRL made; the primary key keeps two instances from using one CRL number (RFC 5280 section 5.2.3).
CREATE TABLE crl (
    ca_name    VARCHAR(64) NOT NULL,
    crl_number NUMERIC(49, 0) NOT NULL,
    made_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    der        BYTEA NOT NULL,
    PRIMARY KEY (ca_name, crl_number)
);

-- Requests waiting for a person (RFC 7030 section 4.2.3). details: java.util.Properties lines, as the file store keeps.
CREATE TABLE approval (
    ca_name     VARCHAR(64) NOT NULL,
    id          CHAR(32) NOT NULL,
    state       VARCHAR(16) NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'ISSUED')),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    details     TEXT NOT NULL,
    decided_at  TIMESTAMP WITH TIME ZONE,
    decided_by  TEXT,
    note        TEXT,
    serial      VARCHAR(40),
    issued_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (ca_name, id)
);

-- SHA-256 (hex) of each unused one-time password (RFC 7030 section 3.2.3); deleted when used.
CREATE TABLE one_time_password (
    digest     CHAR(64) PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- RFC 8295 returns. label '' for requests without a label; client_key NULL when the client had no identity to key.
CREATE TABLE package_return (
    id          BIGSERIAL PRIMARY KEY,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    label       TEXT NOT NULL,
    client_key  TEXT,
    kind        VARCHAR(32) NOT NULL,
    package_id  TEXT NOT NULL,
    outcome     VARCHAR(16) NOT NULL,
    detail      TEXT NOT NULL,
    message     BYTEA NOT NULL
);
CREATE INDEX package_return_accepted ON package_return (client_key, package_id) WHERE outcome = 'ACCEPTED';
