-- The purge deletes check-ins, shifts and handovers by age; every deleted row's references
-- are checked (foreign keys), and without these indexes each check reads a whole table.
CREATE INDEX handovers_presence ON handovers (presence_id);
CREATE INDEX presences_shift ON presences (shift_id) WHERE shift_id IS NOT NULL;
CREATE INDEX swap_offers_shift ON swap_offers (shift_id);
