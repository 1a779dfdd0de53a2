//! What counts as an email address where the service takes one: a user's, a meeting
//! invitee's.

/// Whether `email` looks like an address: one `@` with something either side, a host
/// that neither starts nor ends with a dot, no spaces, at most 254 characters.
pub fn is_email_address(email: &str) -> bool {
    email.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && !host.is_empty() && !host.contains('@') && !host.starts_with('.') && !host.ends_with('.')
    }) && !email.contains(char::is_whitespace)
        && !email.contains(char::is_control)
        && email.len() <= 254
}
