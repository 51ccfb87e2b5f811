-- PostgreSQL's form of 0018_agency_order.sql: the seeded agencies in the order 0001 added them.
ALTER TABLE agencies ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE agencies SET position = array_position(
    ARRAY['STHLM', 'SKV', 'AF', 'EBM', 'TULL', 'FK', 'KVV', 'SAPO', 'KBV', 'MIGR', 'POL', 'AM'],
    code
);
