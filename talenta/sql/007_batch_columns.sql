-- 007: which columns each batch wrote, per table. A history row holds NULL both for "the file said
-- empty" and for "the file had no such column"; undo must tell them apart to restore, column by
-- column, the value of the latest remaining batch that wrote that column (talenta/ingest/loader.py).
CREATE TABLE IF NOT EXISTS import_batch_column (
    batch_id   INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,             -- employee | performance | assessment
    columns    VARCHAR[] NOT NULL,
    PRIMARY KEY (batch_id, table_name)
);

-- Batches imported before 007 did not record it: a column counts as written when the file's header
-- mapping names it or any of the batch's rows holds a value in it (columns derived from the NIP, such
-- as tanggal_lahir, are never empty when derived). Only a column the file had but left empty in every
-- row is missed; undo then keeps the earlier value there instead of NULL.

INSERT INTO import_batch_column
SELECT batch_id, 'employee', list_filter(['nip', 'nama', 'gelar_depan', 'gelar_belakang', 'instansi', 'opd', 'unit_kerja', 'jenis_asn', 'jenis_kelamin', 'tanggal_lahir', 'jenis_jabatan', 'jabatan', 'eselon', 'golongan', 'pendidikan', 'tmt_cpns'],
                                   lambda c, i: flags[i] OR list_contains(mapped, c))
FROM (SELECT h.batch_id, [bool_or(h.nip IS NOT NULL), bool_or(h.nama IS NOT NULL), bool_or(h.gelar_depan IS NOT NULL), bool_or(h.gelar_belakang IS NOT NULL), bool_or(h.instansi IS NOT NULL), bool_or(h.opd IS NOT NULL), bool_or(h.unit_kerja IS NOT NULL), bool_or(h.jenis_asn IS NOT NULL), bool_or(h.jenis_kelamin IS NOT NULL), bool_or(h.tanggal_lahir IS NOT NULL), bool_or(h.jenis_jabatan IS NOT NULL), bool_or(h.jabatan IS NOT NULL), bool_or(h.eselon IS NOT NULL), bool_or(h.golongan IS NOT NULL), bool_or(h.pendidikan IS NOT NULL), bool_or(h.tmt_cpns IS NOT NULL)] AS flags,
             coalesce(json_keys(any_value(b.header_mapping)), []) AS mapped
      FROM employee_history h JOIN import_batch b USING (batch_id)
      WHERE h.batch_id NOT IN (SELECT batch_id FROM import_batch_column WHERE table_name = 'employee')
      GROUP BY h.batch_id);

INSERT INTO import_batch_column
SELECT batch_id, 'performance', list_filter(['nip', 'tahun', 'predikat', 'rating_hasil_kerja', 'rating_perilaku', 'nilai_kinerja'],
                                   lambda c, i: flags[i] OR list_contains(mapped, c))
FROM (SELECT h.batch_id, [bool_or(h.nip IS NOT NULL), bool_or(h.tahun IS NOT NULL), bool_or(h.predikat IS NOT NULL), bool_or(h.rating_hasil_kerja IS NOT NULL), bool_or(h.rating_perilaku IS NOT NULL), bool_or(h.nilai_kinerja IS NOT NULL)] AS flags,
             coalesce(json_keys(any_value(b.header_mapping)), []) AS mapped
      FROM performance_history h JOIN import_batch b USING (batch_id)
      WHERE h.batch_id NOT IN (SELECT batch_id FROM import_batch_column WHERE table_name = 'performance')
      GROUP BY h.batch_id);

INSERT INTO import_batch_column
SELECT batch_id, 'assessment', list_filter(['nip', 'tahun', 'jpm', 'nilai_potensi', 'nilai_manajerial', 'nilai_sosial_kultural', 'nilai_teknis', 'kategori_jpm', 'rekomendasi_asesmen'],
                                   lambda c, i: flags[i] OR list_contains(mapped, c))
FROM (SELECT h.batch_id, [bool_or(h.nip IS NOT NULL), bool_or(h.tahun IS NOT NULL), bool_or(h.jpm IS NOT NULL), bool_or(h.nilai_potensi IS NOT NULL), bool_or(h.nilai_manajerial IS NOT NULL), bool_or(h.nilai_sosial_kultural IS NOT NULL), bool_or(h.nilai_teknis IS NOT NULL), bool_or(h.kategori_jpm IS NOT NULL), bool_or(h.rekomendasi_asesmen IS NOT NULL)] AS flags,
             coalesce(json_keys(any_value(b.header_mapping)), []) AS mapped
      FROM assessment_history h JOIN import_batch b USING (batch_id)
      WHERE h.batch_id NOT IN (SELECT batch_id FROM import_batch_column WHERE table_name = 'assessment')
      GROUP BY h.batch_id);
