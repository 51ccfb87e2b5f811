-- Notice drafts begun before 0029: the step their choices so far lead to (else one in flight
-- at the upgrade would read as being at its text step, and Continue would ask for it again).
UPDATE notice_drafts SET step = CASE
    WHEN text IS NULL THEN 'text'
    WHEN audience IS NULL THEN 'audience'
    WHEN audience = 'group' AND group_id IS NULL THEN 'group'
    WHEN audience = 'agencies' AND agencies = '[]' THEN 'agencies'
    ELSE 'preview'
END;
