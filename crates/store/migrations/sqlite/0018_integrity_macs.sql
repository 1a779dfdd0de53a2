-- Integrity MACs under keys from the key file, sealed once when this migration is
-- applied (see store/src/event_chain.rs and store/src/account_macs.rs):
-- each case's events form a MAC chain (an event's MAC covers its columns and the MAC
-- of the event before); a user's role, partner, agency, disabled flag and two-factor
-- state, and a token's owner, hash, expiry and revocation, carry a MAC of their own.
ALTER TABLE events ADD COLUMN mac TEXT;
ALTER TABLE users ADD COLUMN mac TEXT;
ALTER TABLE api_tokens ADD COLUMN mac TEXT;
