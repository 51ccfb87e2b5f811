-- Agencies by name, not code: each has its name in English beside the Swedish one, and the
-- short form people use where space is tight (buttons, chart axes, compact lists), in both
-- languages. Empty means "as the Swedish": a deployment's own agency needs only its name.
ALTER TABLE agencies ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN short_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN short_en TEXT NOT NULL DEFAULT '';
UPDATE agencies SET name_en = 'City of Stockholm', short_sv = 'Staden', short_en = 'City'
    WHERE code = 'STHLM';
UPDATE agencies SET name_en = 'Swedish Tax Agency', short_sv = 'SKV' WHERE code = 'SKV';
UPDATE agencies SET name_en = 'Swedish Public Employment Service', short_sv = 'AF'
    WHERE code = 'AF';
UPDATE agencies SET name_en = 'Swedish Economic Crime Authority', short_sv = 'EBM'
    WHERE code = 'EBM';
UPDATE agencies SET name_en = 'Swedish Customs', short_sv = 'Tull', short_en = 'Customs'
    WHERE code = 'TULL';
UPDATE agencies SET name_en = 'Swedish Social Insurance Agency', short_sv = 'FK'
    WHERE code = 'FK';
UPDATE agencies SET name_en = 'Swedish Prison and Probation Service', short_sv = 'KVV'
    WHERE code = 'KVV';
UPDATE agencies SET name_en = 'Swedish Security Service', short_sv = 'Säpo' WHERE code = 'SAPO';
UPDATE agencies SET name_en = 'Swedish Coast Guard', short_sv = 'KBV' WHERE code = 'KBV';
UPDATE agencies SET name_en = 'Swedish Migration Agency', short_sv = 'MV' WHERE code = 'MIGR';
UPDATE agencies SET name_en = 'Swedish Police Authority', short_sv = 'Polisen', short_en = 'Police'
    WHERE code = 'POL';
UPDATE agencies SET name_en = 'Swedish Prosecution Authority', short_sv = 'ÅM' WHERE code = 'AM';
