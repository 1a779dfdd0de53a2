//! The pages a public-sector service has, linked from every page's footer and open to
//! everyone, signed in or not: the accessibility statement, the privacy notice, the
//! cookies page (one session cookie, nothing else) and help, with a glossary that
//! writes out every abbreviation the service uses.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use super::{Nav, nav_of};
use crate::auth::{IDLE_MINUTES, SESSION_COOKIE};

#[derive(Template, WebTemplate)]
#[template(path = "about_accessibility.html")]
pub struct Accessibility {
    pub nav: Option<Nav>,
}

#[derive(Template, WebTemplate)]
#[template(path = "about_privacy.html")]
pub struct Privacy {
    pub nav: Option<Nav>,
}

#[derive(Template, WebTemplate)]
#[template(path = "about_cookies.html")]
pub struct Cookies {
    pub nav: Option<Nav>,
    pub cookie: &'static str,
    pub idle_minutes: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "about_help.html")]
pub struct Help {
    pub nav: Option<Nav>,
    /// (abbreviation, in full, what it is)
    pub glossary: Vec<(&'static str, &'static str, &'static str)>,
}

/// The abbreviations the service uses, written out.
pub const GLOSSARY: [(&str, &str, &str); 8] = [
    (
        "ALA",
        "Alternative Learning Activity",
        "Learning the partnership takes from a case that does not meet the criteria for a local review, instead of a review.",
    ),
    (
        "CSPR",
        "Child Safeguarding Practice Review",
        "A review of a serious child safeguarding case, by the partnership or by the National Panel.",
    ),
    (
        "ESG",
        "Executive Strategic Group",
        "The partnership's senior group. The Joint Case Review group recommends to it which sub-group leads quality assurance and learning.",
    ),
    (
        "JCR",
        "Joint Case Review",
        "The partnership's group that considers serious incidents. Its chair chairs the Rapid Review meeting and makes the recommendation.",
    ),
    (
        "LA",
        "Local Authority",
        "The council. Its Children's Services Head of Service decides whether the Serious Harm threshold is met.",
    ),
    (
        "LCSPR",
        "Local Child Safeguarding Practice Review",
        "The review a Rapid Review may recommend, commissioned by the partnership and published.",
    ),
    (
        "National Panel",
        "Child Safeguarding Practice Review Panel",
        "The national panel that is notified of each serious incident and receives each Rapid Review.",
    ),
    (
        "Working day",
        "Working day",
        "A day that is not a weekend or a bank holiday in England. Every clock in the service counts working days, on the partnership's own calendar.",
    ),
];

/// `GET /accessibility`
pub async fn accessibility(req: Request) -> Response {
    Accessibility {
        nav: nav_of(req.extensions()),
    }
    .into_response()
}

/// `GET /privacy`
pub async fn privacy(req: Request) -> Response {
    Privacy {
        nav: nav_of(req.extensions()),
    }
    .into_response()
}

/// `GET /cookies`
pub async fn cookies(req: Request) -> Response {
    Cookies {
        nav: nav_of(req.extensions()),
        cookie: SESSION_COOKIE,
        idle_minutes: IDLE_MINUTES,
    }
    .into_response()
}

/// `GET /help`
pub async fn help(req: Request) -> Response {
    Help {
        nav: nav_of(req.extensions()),
        glossary: GLOSSARY.to_vec(),
    }
    .into_response()
}
