-- The PostgreSQL schema of hocon/examples/cluster-postgres.conf (Akka.Persistence.Sql 1.5.73, table-mapping default),
-- for databases where the service account may not create tables: run it once as the schema owner, then start the
-- nodes with auto-initialize off:
--   psql "host=127.0.0.1 port=5432 dbname=akkawal user=akkawal" -v ON_ERROR_STOP=1 -f hocon/examples/cluster-postgres.sql
--   akkawal serve ... --set akka.persistence.journal.sql.auto-initialize=off --set akka.persistence.snapshot-store.sql.auto-initialize=off
-- It is what auto-initialize creates (a test runs the pipeline on it with auto-initialize off).

CREATE TABLE journal (
    ordering        bigserial NOT NULL,
    created         bigint    NOT NULL,
    deleted         boolean   NOT NULL,
    persistence_id  text      NOT NULL,
    sequence_number bigint    NOT NULL,
    message         bytea     NOT NULL,
    manifest        text,
    identifier      integer,
    writer_uuid     text,
    CONSTRAINT "PK_journal" PRIMARY KEY (ordering),
    CONSTRAINT journal_uq UNIQUE (persistence_id, sequence_number)
);
CREATE INDEX journal_created_idx ON journal (created);
CREATE INDEX journal_sequence_number_idx ON journal (sequence_number);

CREATE TABLE tags (
    ordering_id    bigint NOT NULL,
    tag            text   NOT NULL,
    sequence_nr    bigint NOT NULL,
    persistence_id text   NOT NULL,
    CONSTRAINT "PK_tags" PRIMARY KEY (ordering_id, tag)
);
CREATE INDEX tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr);
CREATE INDEX tags_tag_idx ON tags (tag);

CREATE TABLE snapshot (
    persistence_id  text   NOT NULL,
    sequence_number bigint NOT NULL,
    created         bigint NOT NULL,
    snapshot        bytea,
    manifest        text,
    serializer_id   integer,
    CONSTRAINT "PK_snapshot" PRIMARY KEY (persistence_id, sequence_number)
);
CREATE INDEX snapshot_created_idx ON snapshot (created);
CREATE INDEX snapshot_sequence_number_idx ON snapshot (sequence_number);
