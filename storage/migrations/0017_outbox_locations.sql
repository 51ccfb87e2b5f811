-- A message may be a Telegram location (a flag's place, sent after its card as a real pin,
-- protected like the card) instead of text: "lat,lon".
ALTER TABLE outbox ADD COLUMN location TEXT;
