-- Only the delivery of a notice's copy changes its figures. An edit of a copy (when the notice
-- is withdrawn) settling marked the status for a refresh that showed nothing new.
DROP TRIGGER notice_delivery_changed;
CREATE TRIGGER notice_delivery_changed AFTER UPDATE OF state ON outbox
WHEN NEW.ref_type = 'notice' AND NEW.kind = 'send'
BEGIN
    UPDATE notices SET status_dirty = 1 WHERE id = NEW.ref_id AND status_dirty = 0;
END;
