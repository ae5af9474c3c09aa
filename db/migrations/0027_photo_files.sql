-- Product photos resized for the shop (issue 19), when the service runs as a cluster: every API
-- replica reads the same files. Content-addressed: `name` is `<sha256 of the upload>-<width>.<jpg|webp>`,
-- so a row is written once and never changes. (One process with its private database keeps them in a
-- folder under the data directory instead; deploy/SCALING.md says which to use.)
CREATE TABLE photo_files (
    name        text PRIMARY KEY CHECK (name ~ '^[0-9a-f]{64}-[0-9]{2,4}\.(jpg|webp)$'),
    bytes       bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 10485760),
    created_at  timestamptz NOT NULL DEFAULT now()
);
