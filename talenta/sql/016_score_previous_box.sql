-- 016: each score-cache entry also stores every employee's box in the period before, under the same rule values
-- and data (kotak_sebelumnya; kunci_sebelumnya names the entry it was read from, NULL when that entry was not
-- built). The movement between two consecutive periods (Talent Pool's Perpindahan tab, the deck's movement
-- slide, the CLI's `movement`) then reads one entry instead of joining two 5,6M-row entries on the NIP.
-- Entries built before this column existed keep NULL there and are read by the join, as before.
ALTER TABLE talent_score ADD COLUMN IF NOT EXISTS kotak_sebelumnya UTINYINT;
ALTER TABLE talent_score_key ADD COLUMN IF NOT EXISTS kunci_sebelumnya VARCHAR;
