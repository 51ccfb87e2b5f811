-- PostgreSQL's form of 0014_notice_figures.sql: the trigger as a function.
-- Only the delivery of a notice's copy changes its figures. An edit of a copy (when the notice
-- is withdrawn) settling marked the status for a refresh that showed nothing new.
DROP TRIGGER notice_delivery_changed ON outbox;
CREATE TRIGGER notice_delivery_changed AFTER UPDATE OF state ON outbox
FOR EACH ROW WHEN (NEW.ref_type = 'notice' AND NEW.kind = 'send')
EXECUTE FUNCTION notice_delivery_changed();
