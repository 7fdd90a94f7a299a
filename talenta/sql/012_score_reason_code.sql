-- 012: the reason an employee is not placed, as a small number (talentmap.py: alasan_kode, the position in
-- privacy.REASONS from 1; NULL when placed). Counting the unplaced by reason then reads one narrow column
-- in the same scan as the box counts, instead of a second read of two text columns. Entries built before
-- this column existed are dropped: the next read builds them again (as after any import).
ALTER TABLE talent_score ADD COLUMN IF NOT EXISTS alasan_kode UTINYINT;
DELETE FROM talent_score;
DELETE FROM talent_score_key;
