//! Turning an outbox row into an email. The words come from [`words`], the attachments
//! from [`enclosures`]; this module looks up what they need (the case, the agency's
//! request, the digest's rows) and builds the MIME message with its fixed
//! `Message-ID`.
//!
//! What a message may say: the case reference, the step, dates, working days and a
//! link. Never the incident, the children, a rationale or chronology text. The one
//! exception is an agency's request, whose referral form travels as an attachment
//! because the agency needs it to make its return.

mod enclosures;
mod words;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Calendar;
use domain::deadlines::RuleSet;
use domain::events::AgencySlug;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use store::{CaseRecord, OutboxMessage, ReturnRequest, Store, StoreError};

use crate::settings::MailSettings;

/// A message's words and files, before it is addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
    pub attachments: Vec<File>,
}

/// An attached file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Why a row could not become an email.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the database could not be read: {0}")]
    Store(#[from] StoreError),
    /// The row can never be sent (its case or address is gone or wrong).
    #[error("{0}")]
    Unsendable(String),
}

/// What composing needs, shared by a batch: the settings, the calendar and rules in
/// force, the day and time, and what has been looked up already.
#[derive(Debug)]
pub struct Sources<'a> {
    pub store: &'a Store,
    pub settings: &'a MailSettings,
    pub calendar: Calendar,
    pub rules: RuleSet,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    cases: HashMap<String, CaseRecord>,
    agency_names: HashMap<AgencySlug, String>,
    /// Agencies that receive secure email (the referral form travels to them attached).
    secure_agencies: std::collections::HashSet<AgencySlug>,
}

impl<'a> Sources<'a> {
    /// Reads the calendar, rules and agency names in force.
    pub async fn load(
        store: &'a Store,
        settings: &'a MailSettings,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Sources<'a>, StoreError> {
        let agencies = store.list_agencies().await?;
        let secure_agencies = agencies
            .iter()
            .filter(|a| a.secure_email)
            .map(|a| a.slug.clone())
            .collect();
        let agency_names = agencies.into_iter().map(|a| (a.slug, a.name)).collect();
        Ok(Sources {
            store,
            settings,
            calendar: store.calendar().await?,
            rules: store.rules().await?,
            today,
            now,
            cases: HashMap::new(),
            agency_names,
            secure_agencies,
        })
    }

    async fn case(&mut self, message: &OutboxMessage) -> Result<CaseRecord, ComposeError> {
        let id = message
            .case_id
            .as_deref()
            .ok_or_else(|| ComposeError::Unsendable("the message names no case".into()))?;
        if let Some(record) = self.cases.get(id) {
            return Ok(record.clone());
        }
        let record = self
            .store
            .case(id)
            .await?
            .ok_or_else(|| ComposeError::Unsendable("the case no longer exists".into()))?;
        self.cases.insert(id.to_owned(), record.clone());
        Ok(record)
    }

    /// Whether `agency` receives secure email.
    fn secure_email(&self, agency: &AgencySlug) -> bool {
        self.secure_agencies.contains(agency)
    }

    fn agency_name(&self, agency: &AgencySlug) -> String {
        self.agency_names
            .get(agency)
            .cloned()
            .unwrap_or_else(|| agency.as_str().to_owned())
    }

    async fn request(&self, case_id: &str, agency: &AgencySlug) -> Result<Option<ReturnRequest>, StoreError> {
        Ok(self
            .store
            .requests_for_case(case_id)
            .await?
            .into_iter()
            .find(|r| &r.agency == agency))
    }

    /// The link an agency uses for its return, while it works.
    fn return_link(&self, request: &ReturnRequest) -> Option<String> {
        let state = request.state();
        (!state.revoked && !state.case_closed && request.expires_on >= self.today).then(|| {
            format!(
                "{}/returns/{}",
                self.settings.public_url,
                self.store.return_token(request)
            )
        })
    }

    fn case_link(&self, case_id: &str) -> String {
        format!("{}/cases/{case_id}", self.settings.public_url)
    }
}

/// The words and files of `message`.
pub async fn compose(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    words::compose(sources, message).await
}

/// The `Message-ID` of a row: the same on every attempt, so a message sent twice (the
/// worker died between the server's reply and marking it sent) is seen as one.
pub fn message_id(message: &OutboxMessage, public_url: &str) -> String {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("rapid-review.invalid");
    format!("<outbox-{}-{}@{host}>", message.id, message.created_at.timestamp())
}

/// Addresses `composed` to the row's recipient as a MIME message.
pub fn email(message: &OutboxMessage, composed: Composed, settings: &MailSettings) -> Result<Message, ComposeError> {
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|_| ComposeError::Unsendable("the recipient's address is not valid".into()))?;
    let builder = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(composed.subject)
        .message_id(Some(message_id(message, &settings.public_url)));
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(composed.body);
    let built = if composed.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for file in composed.attachments {
            let content_type = ContentType::parse(file.content_type)
                .map_err(|e| ComposeError::Unsendable(format!("attachment type: {e}")))?;
            parts = parts.singlepart(Attachment::new(file.name).body(file.bytes, content_type));
        }
        builder.multipart(parts)
    };
    built.map_err(|e| ComposeError::Unsendable(format!("the message could not be built: {e}")))
}

/// "21 December 2026".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "1 working day", "3 working days".
pub fn working_days(n: i32) -> String {
    if n.abs() == 1 {
        "1 working day".to_owned()
    } else {
        format!("{} working days", n.abs())
    }
}
