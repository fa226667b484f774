-- Reveal rate limiting counts a user's recent reveal events.
CREATE INDEX audit_events_user_action ON audit_events(actor_user_id, action, at);
