-- An agency that receives secure email gets the referral form attached to its request;
-- every other agency reads it through its return link (notifications `enclosures`).
ALTER TABLE agencies ADD COLUMN secure_email BIGINT NOT NULL DEFAULT 0;
