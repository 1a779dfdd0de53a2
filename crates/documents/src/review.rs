//! The Rapid Review's own papers: the Rapid Review Template, the covering letter to
//! the National Panel, and the outcome letter to each agency and the referrer. Each
//! takes plain values (names, not keys; the web layer resolves them) and lays them out
//! as a partnership would send them, marked OFFICIAL-SENSITIVE.

use chrono::NaiveDate;

use crate::DocumentError;
use crate::docx::{grid, heading, long, official, pack, pairs_table, para, paras};
use crate::referral::long_or_not_yet;

/// What every paper says about the case at its top.
#[derive(Debug, Clone, Default)]
pub struct CaseHeading {
    pub reference: String,
    pub notification_reference: Option<String>,
    pub aware_on: Option<NaiveDate>,
    pub meeting_on: Option<NaiveDate>,
}

impl CaseHeading {
    fn rows(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Case reference", self.reference.clone()),
            (
                "National Panel notification reference",
                self.notification_reference
                    .clone()
                    .unwrap_or_else(|| "Not yet notified".into()),
            ),
            ("Local authority aware on", long_or_not_yet(self.aware_on)),
            ("Rapid Review meeting", long_or_not_yet(self.meeting_on)),
        ]
    }
}

/// A partner's sign-off: the partner's name, and who signed and when, if they have.
#[derive(Debug, Clone)]
pub struct SignOffLine {
    pub partner: String,
    pub signed: Option<(String, NaiveDate)>,
}

fn sign_off_table(lines: &[SignOffLine]) -> docx_rs::Table {
    grid(
        &["Partner", "Signed off by", "On"],
        lines
            .iter()
            .map(|l| match &l.signed {
                Some((by, on)) => vec![l.partner.clone(), by.clone(), long(*on)],
                None => vec![l.partner.clone(), "Not signed off".into(), String::new()],
            })
            .collect(),
    )
}

/// The Rapid Review Template at one version.
#[derive(Debug, Clone, Default)]
pub struct TemplateDocument {
    pub case: CaseHeading,
    /// 0 for the unsaved draft.
    pub version: u32,
    /// Who saved this version and when.
    pub saved: Option<(String, NaiveDate)>,
    /// (title, text) in the template's order.
    pub sections: Vec<(String, String)>,
    pub sign_offs: Vec<SignOffLine>,
    /// When this version went to the National Panel, if it did.
    pub submitted_on: Option<NaiveDate>,
}

pub fn rapid_review_template_docx(t: &TemplateDocument) -> Result<Vec<u8>, DocumentError> {
    let status = match (t.version, t.submitted_on, &t.saved) {
        (0, _, _) => "Draft from the case, not yet saved".to_owned(),
        (v, Some(on), _) => format!("Version {v}, submitted to the National Panel on {}", long(on)),
        (v, None, Some((by, on))) => format!("Version {v}, saved by {by} on {}", long(*on)),
        (v, None, None) => format!("Version {v}"),
    };
    let mut rows = t.case.rows();
    rows.push(("Template", status));
    let mut doc = official()
        .add_paragraph(heading("Rapid Review", 40))
        .add_paragraph(para(
            "The partnership's Rapid Review of a serious child safeguarding case, for the Child Safeguarding Practice Review Panel.",
        ))
        .add_table(pairs_table(&rows));
    for (n, (title, text)) in t.sections.iter().enumerate() {
        doc = paras(doc.add_paragraph(heading(&format!("{}. {title}", n + 1), 28)), text);
    }
    doc = doc
        .add_paragraph(heading("Sign-off by the safeguarding partners", 28))
        .add_table(sign_off_table(&t.sign_offs));
    pack(doc)
}

/// The covering letter that goes to the National Panel with the template.
#[derive(Debug, Clone, Default)]
pub struct PanelLetter {
    pub case: CaseHeading,
    pub partnership: String,
    pub submitted_on: Option<NaiveDate>,
    pub template_version: Option<u32>,
    pub recommendation: String,
    pub rationale: String,
    pub sign_offs: Vec<SignOffLine>,
    /// Why it went without a partner's sign-off, if it did.
    pub without_sign_off_reason: Option<String>,
}

pub fn panel_letter_docx(l: &PanelLetter) -> Result<Vec<u8>, DocumentError> {
    let date = l.submitted_on.map_or_else(|| "Draft: not yet sent".to_owned(), long);
    let notification = l
        .case
        .notification_reference
        .clone()
        .unwrap_or_else(|| "not yet notified".into());
    let mut doc = official()
        .add_paragraph(para(&l.partnership))
        .add_paragraph(para(&date))
        .add_paragraph(para("The Child Safeguarding Practice Review Panel"))
        .add_paragraph(heading(
            &format!(
                "Rapid Review {}: National Panel notification {notification}",
                l.case.reference
            ),
            28,
        ))
        .add_paragraph(para("Dear Panel members,"));
    let version = l
        .template_version
        .map_or_else(String::new, |v| format!(" (version {v} of the template)"));
    let meeting = l.case.meeting_on.map_or_else(
        || "the Rapid Review meeting".to_owned(),
        |d| format!("the Rapid Review meeting on {}", long(d)),
    );
    doc = doc
        .add_paragraph(para(&format!(
            "Please find enclosed the partnership's Rapid Review{version} of the serious child safeguarding case notified to you under reference {notification}."
        )))
        .add_paragraph(para(&format!("At {meeting} the partners recommended: {}.", l.recommendation)))
        .add_paragraph(para(&l.rationale))
        .add_paragraph(para("The three safeguarding partners have signed off the Rapid Review as follows."))
        .add_table(sign_off_table(&l.sign_offs));
    if let Some(reason) = &l.without_sign_off_reason {
        doc = doc.add_paragraph(para(&format!(
            "It is sent without every partner's sign-off because: {reason}"
        )));
    }
    doc = doc
        .add_paragraph(para(
            "We would welcome the Panel's view on the recommendation, and on whether a national review should be considered.",
        ))
        .add_paragraph(para("Yours sincerely,"))
        .add_paragraph(para(&format!("The Partnership Manager, on behalf of {}", l.partnership)));
    pack(doc)
}

/// The outcome as one agency (or the referrer) is told it.
#[derive(Debug, Clone, Default)]
pub struct OutcomeLetter {
    pub case: CaseHeading,
    pub partnership: String,
    pub agency: String,
    pub referred: bool,
    pub asked: bool,
    pub date: NaiveDate,
    pub recommendation: String,
    pub rationale: String,
    pub submitted_on: Option<NaiveDate>,
    /// (action, owner, due) agreed at the meeting.
    pub immediate_actions: Vec<(String, String, NaiveDate)>,
}

pub fn outcome_letter_docx(l: &OutcomeLetter) -> Result<Vec<u8>, DocumentError> {
    let part = match (l.referred, l.asked) {
        (true, true) => "for referring this case and for your agency's return",
        (true, false) => "for referring this case",
        _ => "for your agency's return",
    };
    let mut doc = official()
        .add_paragraph(para(&l.partnership))
        .add_paragraph(para(&long(l.date)))
        .add_paragraph(para(&l.agency))
        .add_paragraph(heading(&format!("Outcome of Rapid Review {}", l.case.reference), 28))
        .add_paragraph(para(&format!("Thank you {part}.")));
    let meeting = l.case.meeting_on.map_or_else(
        || "The Rapid Review meeting".to_owned(),
        |d| format!("The Rapid Review meeting on {}", long(d)),
    );
    doc = doc
        .add_paragraph(para(&format!("{meeting} recommended: {}.", l.recommendation)))
        .add_paragraph(para(&l.rationale));
    if let Some(on) = l.submitted_on {
        doc = doc.add_paragraph(para(&format!(
            "The Rapid Review went to the Child Safeguarding Practice Review Panel on {}.",
            long(on)
        )));
    }
    if !l.immediate_actions.is_empty() {
        doc = doc
            .add_paragraph(heading("Immediate actions agreed", 24))
            .add_table(grid(
                &["Action", "Owner", "Due"],
                l.immediate_actions
                    .iter()
                    .map(|(a, o, d)| vec![a.clone(), o.clone(), long(*d)])
                    .collect(),
            ));
    }
    doc = doc
        .add_paragraph(para(
            "The Business Unit will be in touch about any learning activity that follows. Please share this letter only with those in your agency who need it.",
        ))
        .add_paragraph(para("Yours sincerely,"))
        .add_paragraph(para(&format!("The Business Unit, {}", l.partnership)));
    pack(doc)
}
