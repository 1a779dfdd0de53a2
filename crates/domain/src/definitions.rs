//! The definitions a decision rests on, in the service's own words, each with where it
//! comes from: what the threshold form shows beside the decision and
//! `GET /api/v1/definitions` serves.

use serde::Serialize;

/// One definition: a key, the term, what it means, and its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub key: &'static str,
    pub term: &'static str,
    /// What it means, paragraph by paragraph.
    pub meaning: &'static [&'static str],
    pub source: &'static str,
    pub source_url: &'static str,
}

const WORKING_TOGETHER: &str = "Working Together to Safeguard Children 2023, chapter 5 (HM Government)";
const WORKING_TOGETHER_URL: &str =
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2";

pub const DEFINITIONS: [Definition; 3] = [
    Definition {
        key: "serious_child_safeguarding_case",
        term: "Serious child safeguarding case",
        meaning: &[
            "A case in which abuse or neglect of a child is known or suspected, and the child has died or been seriously harmed. The child is under 18, and may be unborn.",
            "The local authority must notify the Child Safeguarding Practice Review Panel of such a case within 5 working days of becoming aware of it.",
        ],
        source: WORKING_TOGETHER,
        source_url: WORKING_TOGETHER_URL,
    },
    Definition {
        key: "serious_harm",
        term: "Serious harm",
        meaning: &[
            "Serious harm includes serious or long-term impairment of a child's mental health, or of their intellectual, emotional, social or behavioural development. It also includes serious or long-term impairment of physical health.",
            "The list is not complete. Decide each case on its facts: a case where impairment is likely to be long term counts, even when that is not yet certain.",
            "Harm does not need to be physical. Neglect, emotional abuse and exploitation can all cause serious harm.",
        ],
        source: WORKING_TOGETHER,
        source_url: WORKING_TOGETHER_URL,
    },
    Definition {
        key: "panel_guidance",
        term: "If in doubt, notify",
        meaning: &[
            "The Panel asks local authorities to notify it when they are unsure whether a case meets the criteria. The Rapid Review then gathers the facts, and the Panel can decide later that the case needs no further review.",
        ],
        source: "Child Safeguarding Practice Review Panel: practice guidance on notifications and rapid reviews",
        source_url: "https://www.gov.uk/government/publications/child-safeguarding-practice-review-panel-practice-guidance",
    },
];

/// The definition with this key.
pub fn definition(key: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serious_harm_is_defined_with_its_source() {
        let d = definition("serious_harm").unwrap();
        assert!(d.meaning.iter().any(|p| p.contains("long-term impairment")));
        assert!(d.source.contains("Working Together to Safeguard Children 2023"));
        let keys: std::collections::HashSet<_> = DEFINITIONS.iter().map(|d| d.key).collect();
        assert_eq!(keys.len(), DEFINITIONS.len(), "keys are unique");
    }
}
