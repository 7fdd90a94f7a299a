-- 002: versioned rule sets. Exactly one is active; every talent map names the one it used.
CREATE SEQUENCE IF NOT EXISTS seq_rule_set START 2;

CREATE TABLE IF NOT EXISTS rule_set (
    rule_set_id  INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL,
    params       JSON NOT NULL,
    note         VARCHAR,
    created_by   VARCHAR,
    created_at   TIMESTAMP NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT false,
    activated_by VARCHAR,
    activated_at TIMESTAMP
);

-- The default rule set (talenta/rules.py RuleSet(); a test checks that the two are identical).
INSERT INTO rule_set (rule_set_id, name, params, note, created_by, created_at, active, activated_by, activated_at)
SELECT 1, 'Bawaan (PermenPANRB 3/2020, JPM pemetaan 90/78)',
       '{"asesmen_years": 3, "jpm_cap": 100.0, "kinerja_atas": 90.0, "kinerja_sesuai": 70.0, "kinerja_years": 2, "potensial_menengah": 78.0, "potensial_tinggi": 90.0, "predikat_points": {"Baik": 80.0, "Butuh Perbaikan": 60.0, "Kurang": 40.0, "Sangat Baik": 100.0, "Sangat Kurang": 20.0}, "weights": {"nilai_manajerial": 1.0, "nilai_potensi": 1.0, "nilai_sosial_kultural": 1.0, "nilai_teknis": 1.0}}',
       'Aturan bawaan Talenta: predikat 100/80/60/40/20, kinerja 90/70, potensial (JPM) 90/78.',
       'sistem', now()::TIMESTAMP, true, 'sistem', now()::TIMESTAMP
WHERE NOT EXISTS (SELECT 1 FROM rule_set);
