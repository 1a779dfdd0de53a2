//! The page behind every credential form (a second-factor code, setting up two-factor
//! sign-in, a new password): a heading, a few lines of explanation, the fields with
//! their errors in GOV.UK style, and a button.

use askama::Template;
use askama_web::WebTemplate;

use super::Nav;

#[derive(Template, WebTemplate)]
#[template(path = "credentials.html")]
pub struct CredentialsPage {
    pub nav: Option<Nav>,
    pub heading: String,
    pub intro: Vec<String>,
    /// A TOTP key being set up, shown as text beside its QR code.
    pub key: Option<String>,
    pub action: String,
    pub csrf: String,
    pub fields: Vec<CredentialField>,
    pub button: String,
    pub links: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct CredentialField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub numeric: bool,
    pub width: bool,
    pub value: String,
    pub error: Option<String>,
}

impl CredentialField {
    pub fn password(name: &'static str, label: &'static str, hint: &'static str, autocomplete: &'static str) -> Self {
        CredentialField {
            name,
            label,
            hint,
            kind: "password",
            autocomplete,
            numeric: false,
            width: false,
            value: String::new(),
            error: None,
        }
    }

    /// The box for a 6-digit code (or a recovery code, when `recovery` is allowed).
    pub fn code(label: &'static str, hint: &'static str) -> Self {
        CredentialField {
            name: "code",
            label,
            hint,
            kind: "text",
            autocomplete: "one-time-code",
            numeric: false,
            width: true,
            value: String::new(),
            error: None,
        }
    }
}

impl CredentialsPage {
    pub fn new(heading: &str, action: &str, csrf: &str, button: &str, fields: Vec<CredentialField>) -> Self {
        CredentialsPage {
            nav: None,
            heading: heading.to_owned(),
            intro: Vec::new(),
            key: None,
            action: action.to_owned(),
            csrf: csrf.to_owned(),
            fields,
            button: button.to_owned(),
            links: Vec::new(),
            errors: Vec::new(),
        }
    }

    pub fn intro(mut self, lines: &[&str]) -> Self {
        self.intro = lines.iter().map(|l| (*l).to_owned()).collect();
        self
    }

    /// Shows `message` against the field `name`, and in the error summary.
    pub fn error(mut self, name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(message.clone());
        }
        self.errors.push((name.to_owned(), message));
        self
    }
}
