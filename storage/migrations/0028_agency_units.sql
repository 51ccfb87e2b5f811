-- Units within an agency (the city's social services and field assistants under the city):
-- a unit is an agency of its own (members, flags, staffing address it by its code) that
-- names the agency it belongs to, so lists can say whose unit it is.
ALTER TABLE agencies ADD COLUMN parent_code TEXT REFERENCES agencies (code);
