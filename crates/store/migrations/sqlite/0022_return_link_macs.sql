-- A return link's security-relevant columns carry a MAC under the accounts key, sealed
-- once when this migration is applied (see store/src/link_macs.rs): its request, case,
-- agency, look-up hash, generation, expiry, revocation, submission and "go ahead
-- without". A link whose row was changed outside the service opens nothing.
ALTER TABLE agency_requests ADD COLUMN mac TEXT;
