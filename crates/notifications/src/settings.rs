//! Where mail goes and how: `RAPID_REVIEW_SMTP_URL`, `RAPID_REVIEW_MAIL_FROM` and
//! `RAPID_REVIEW_PUBLIC_URL`, plus the outbox's retry and lease times. Without an SMTP
//! URL nothing is sent: messages wait in the outbox (the demo works this way).
//!
//! SMTP URLs: `smtp://host:port` (plain, for a relay on a trusted network),
//! `smtp://user:pass@host:587?tls=starttls` (STARTTLS, required), and
//! `smtps://user:pass@host:465` (TLS from the start). The password is never shown: not
//! in `Debug`, not in logs, not in errors.

use std::time::Duration;

use lettre::message::Mailbox;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS: only for a relay on loopback or a trusted network.
    Plain,
    /// Upgrade with STARTTLS, and refuse to send if the server cannot.
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

/// A parsed `RAPID_REVIEW_SMTP_URL`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpUrl")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for SmtpUrl {
    /// The URL without its password, for logs and the admin page.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.security == Security::Tls {
            "smtps"
        } else {
            "smtp"
        };
        let user = self.username.as_deref().map(|u| format!("{u}@")).unwrap_or_default();
        let tls = if self.security == Security::StartTls {
            "?tls=starttls"
        } else {
            ""
        };
        write!(f, "{scheme}://{user}{}:{}{tls}", self.host, self.port)
    }
}

impl SmtpUrl {
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
}

impl std::str::FromStr for SmtpUrl {
    type Err = String;

    /// Parses an SMTP URL; the error names what is wrong and never repeats a password.
    fn from_str(url: &str) -> Result<SmtpUrl, String> {
        let bad = |why: &str| format!("RAPID_REVIEW_SMTP_URL: {why}");
        let (scheme, rest) = url
            .trim()
            .split_once("://")
            .ok_or_else(|| bad("give smtp://host:port or smtps://host:port"))?;
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, authority),
        };
        let tls_asked = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "tls")
            .map(|(_, v)| v);
        let (security, default_port) = match (scheme, tls_asked) {
            ("smtps", None) => (Security::Tls, 465),
            ("smtp", Some("starttls" | "required")) => (Security::StartTls, 587),
            ("smtp", None | Some("none")) => (Security::Plain, 25),
            ("smtp" | "smtps", Some(_)) => {
                return Err(bad("tls must be starttls or none (smtp://) or absent (smtps://)"));
            }
            _ => return Err(bad("the scheme must be smtp or smtps")),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad("the port must be a number from 1 to 65535"))?,
            ),
            None => (host_port, default_port),
        };
        if host.is_empty() || port == 0 || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("give the SMTP server's host name and port"));
        }
        let (username, password) = match credentials {
            Some(c) => {
                let (u, p) = c.split_once(':').unwrap_or((c, ""));
                let u = percent_decode(u).ok_or_else(|| bad("the user name is not valid percent-encoding"))?;
                let p = percent_decode(p).ok_or_else(|| bad("the password is not valid percent-encoding"))?;
                (Some(u), Some(p).filter(|p| !p.is_empty()))
            }
            None => (None, None),
        };
        Ok(SmtpUrl {
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port,
            security,
            username,
            password,
        })
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Everything the worker needs to know to send.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// None: keep messages in the outbox.
    pub smtp: Option<SmtpUrl>,
    pub from: Mailbox,
    /// Where people reach the service, without a trailing slash, for links.
    pub public_url: String,
    /// The wait after a first failure; it doubles each time, up to an hour.
    pub retry_after: Duration,
    /// Attempts before a message is marked failed for an administrator to retry.
    pub max_attempts: u32,
    /// How long a claimed batch is the worker's before other instances may take it.
    pub lease: Duration,
    /// How the attached letters name the partnership (`RAPID_REVIEW_PARTNERSHIP_NAME`).
    pub partnership: String,
}

/// The sender unless `RAPID_REVIEW_MAIL_FROM` says otherwise.
pub const DEFAULT_FROM: &str = "Rapid Review <rapid-review@localhost>";

/// Whether `text` is one email address (as the National Panel's address must be).
pub fn is_email_address(text: &str) -> bool {
    text.parse::<lettre::Address>().is_ok()
}

impl MailSettings {
    /// Settings from the values of the environment variables (None: unset).
    pub fn new(smtp_url: Option<&str>, from: Option<&str>, public_url: &str) -> Result<MailSettings, String> {
        let smtp = smtp_url.filter(|u| !u.trim().is_empty()).map(str::parse).transpose()?;
        let from: Mailbox = from
            .unwrap_or(DEFAULT_FROM)
            .parse()
            .map_err(|e| format!("RAPID_REVIEW_MAIL_FROM: not an email address ({e})"))?;
        Ok(MailSettings {
            smtp,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
            retry_after: Duration::from_secs(30),
            max_attempts: 8,
            lease: Duration::from_secs(60),
            partnership: documents::DEFAULT_PARTNERSHIP.to_owned(),
        })
    }

    /// The wait before attempt `attempts + 1`: `retry_after`, doubling, at most an hour.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.min(16));
        self.retry_after.saturating_mul(factor).min(Duration::from_secs(3600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_url_on_loopback_has_no_tls_and_no_credentials() {
        let url: SmtpUrl = "smtp://127.0.0.1:2525".parse().unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.security),
            ("127.0.0.1", 2525, Security::Plain)
        );
        assert_eq!(url.username, None);
    }

    #[test]
    fn starttls_and_smtps_urls_carry_their_credentials_decoded() {
        let url: SmtpUrl = "smtp://user%40org:p%40ss@mail.example.org:587?tls=starttls"
            .parse()
            .unwrap();
        assert_eq!(url.security, Security::StartTls);
        assert_eq!(url.username.as_deref(), Some("user@org"));
        assert_eq!(url.password(), Some("p@ss"));
        let url: SmtpUrl = "smtps://u:secret@mail.example.org".parse().unwrap();
        assert_eq!((url.port, url.security), (465, Security::Tls));
    }

    #[test]
    fn the_password_never_shows_in_debug_display_or_errors() {
        let url: SmtpUrl = "smtps://u:hunter2hunter2@mail.example.org".parse().unwrap();
        assert!(!format!("{url:?} {url}").contains("hunter2"));
        let err = "smtp://u:hunter2hunter2@mail.example.org:notaport"
            .parse::<SmtpUrl>()
            .unwrap_err();
        assert!(!err.contains("hunter2") && err.contains("port"), "{err}");
    }

    #[test]
    fn a_wrong_scheme_or_tls_mode_is_refused_naming_the_setting() {
        for bad in [
            "http://mail.example.org",
            "mail.example.org",
            "smtp://h:25?tls=maybe",
            "smtp://:25",
        ] {
            let err = bad.parse::<SmtpUrl>().unwrap_err();
            assert!(err.starts_with("RAPID_REVIEW_SMTP_URL"), "{bad}: {err}");
        }
    }

    #[test]
    fn retries_back_off_doubling_up_to_an_hour() {
        let settings = MailSettings::new(None, None, "http://localhost:8080/").unwrap();
        assert_eq!(settings.public_url, "http://localhost:8080");
        assert_eq!(settings.backoff(0), Duration::from_secs(30));
        assert_eq!(settings.backoff(3), Duration::from_secs(240));
        assert_eq!(settings.backoff(30), Duration::from_secs(3600));
    }
}
