-- Search by the children's initials as well as by any part of the reference: each
-- case's snapshot keeps its children's initials (as corrected), space-separated.
ALTER TABLE cases ADD COLUMN initials TEXT;
