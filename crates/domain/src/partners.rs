//! The three statutory safeguarding partners: what a partner representative speaks for,
//! an attendee represents and a sign-off names. Its own module, so that the events
//! (which name partners) and the roles (which name events) do not name each other.

crate::keyed! {
    /// The three statutory safeguarding partners.
    pub enum Partner {
        LocalAuthority = "local_authority", "Local authority";
        Health = "health", "Health";
        Police = "police", "Police";
    }
}
