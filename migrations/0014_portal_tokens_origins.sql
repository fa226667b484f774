-- Portal tokens (short-lived, for a partner's own portal to call the API from the browser; hashes
-- only) and the browser origins each partner allows (CORS).
CREATE TABLE portal_tokens (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     TEXT NOT NULL REFERENCES partner_users(id),
  partner_id  TEXT NOT NULL REFERENCES partners(id),
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE TABLE partner_origins (
  partner_id TEXT NOT NULL REFERENCES partners(id),
  origin     TEXT NOT NULL,
  PRIMARY KEY (partner_id, origin)
) WITHOUT ROWID;
CREATE INDEX partner_origins_origin ON partner_origins(origin);
