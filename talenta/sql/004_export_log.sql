-- 004: every export and deck leaves a line: what was exported, from which data, under which rules, by whom.
CREATE SEQUENCE IF NOT EXISTS seq_export START 1;

CREATE TABLE IF NOT EXISTS export_log (
    export_id    INTEGER PRIMARY KEY,
    kind         VARCHAR NOT NULL,          -- pptx | xlsx | png | csv
    file_name    VARCHAR,
    instansi     VARCHAR,
    period       INTEGER,
    filters      VARCHAR,
    rule_set_id  INTEGER,
    rule_set     VARCHAR,
    batches      INTEGER[],
    masked       BOOLEAN NOT NULL,
    generated_at TIMESTAMP NOT NULL,
    generated_by VARCHAR,
    stamp        VARCHAR NOT NULL
);
