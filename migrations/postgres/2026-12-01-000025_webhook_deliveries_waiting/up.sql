-- The dispatcher walks the deliveries still to make in due order and stops
-- at its batch: an index of those alone, in that order.
CREATE INDEX webhook_deliveries_waiting ON webhook_deliveries (next_attempt_at, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
