-- 011: the Komite Talenta's calibration (kalibrasi). One session per (instansi, periode); what happens in
-- it is an APPEND-ONLY list of events (the code has no UPDATE or DELETE path for either table):
--   pindah        a move of one employee: the computed box at that moment, the box it goes to, a reason
--                 code and a free text. The effective calibrated box of a person is their latest move
--                 (a move back to the computed box cancels the calibration).
--   tetapkan      the session is closed (locked) by pimpinan/admin;
--   buka_kembali  reopened, with a mandatory reason;
--   peserta       a participant of the meeting named for the minutes (berita acara).
-- The computed box is never stored here and never overwritten: it stays in the score cache (006) and
-- follows the data and the rule set; moves are keyed by (instansi, periode, nip), so they survive a
-- re-import.
CREATE SEQUENCE IF NOT EXISTS seq_kalibrasi_sesi START 1;
CREATE SEQUENCE IF NOT EXISTS seq_kalibrasi_event START 1;

CREATE TABLE IF NOT EXISTS kalibrasi_sesi (
    sesi_id     INTEGER PRIMARY KEY,
    instansi    VARCHAR NOT NULL,
    periode     INTEGER NOT NULL,
    dibuka_oleh VARCHAR NOT NULL,
    dibuka_pada TIMESTAMP NOT NULL,
    UNIQUE (instansi, periode)
);

CREATE TABLE IF NOT EXISTS kalibrasi_event (
    event_id        INTEGER PRIMARY KEY,
    sesi_id         INTEGER NOT NULL,
    jenis           VARCHAR NOT NULL CHECK (jenis IN ('pindah', 'tetapkan', 'buka_kembali', 'peserta')),
    nip             VARCHAR,
    kotak_terhitung INTEGER CHECK (kotak_terhitung BETWEEN 1 AND 9),
    kotak_ke        INTEGER CHECK (kotak_ke BETWEEN 1 AND 9),
    kode_alasan     VARCHAR CHECK (kode_alasan IN ('bukti_kinerja', 'wawancara', 'data_keliru', 'lainnya')),
    alasan          VARCHAR,
    oleh            VARCHAR NOT NULL,
    peran           VARCHAR,
    pada            TIMESTAMP NOT NULL
);
