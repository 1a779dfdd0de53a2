//! A child's ethnicity as the DfE's school census codes, the national notification's
//! categories. Records made when ethnicity was free text are read through
//! [`Ethnicity::from_legacy`]: a code or a category's name becomes that code; anything
//! else becomes `OOTH` ("any other ethnic group") with the text kept beside it.

crate::keyed! {
    /// The DfE census ethnicity codes (main categories), with refused and not obtained.
    pub enum Ethnicity {
        Wbri = "WBRI", "White: British";
        Wiri = "WIRI", "White: Irish";
        Wirt = "WIRT", "White: Traveller of Irish heritage";
        Wrom = "WROM", "White: Gypsy or Roma";
        Woth = "WOTH", "White: any other White background";
        Mwbc = "MWBC", "Mixed: White and Black Caribbean";
        Mwba = "MWBA", "Mixed: White and Black African";
        Mwas = "MWAS", "Mixed: White and Asian";
        Moth = "MOTH", "Mixed: any other mixed background";
        Aind = "AIND", "Asian or Asian British: Indian";
        Apkn = "APKN", "Asian or Asian British: Pakistani";
        Aban = "ABAN", "Asian or Asian British: Bangladeshi";
        Aoth = "AOTH", "Asian or Asian British: any other Asian background";
        Bcrb = "BCRB", "Black or Black British: Caribbean";
        Bafr = "BAFR", "Black or Black British: African";
        Both = "BOTH", "Black or Black British: any other Black background";
        Chne = "CHNE", "Chinese";
        Ooth = "OOTH", "Any other ethnic group";
        Refu = "REFU", "Refused";
        Nobt = "NOBT", "Information not yet obtained";
    }
}

/// Lower-case letters and digits only, for matching free text.
fn plain(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Other ways people wrote a category, as plain text.
const ALIASES: [(&str, Ethnicity); 14] = [
    ("whitebritish", Ethnicity::Wbri),
    ("british", Ethnicity::Wbri),
    ("whiteirish", Ethnicity::Wiri),
    ("irish", Ethnicity::Wiri),
    ("gypsyroma", Ethnicity::Wrom),
    ("indian", Ethnicity::Aind),
    ("pakistani", Ethnicity::Apkn),
    ("bangladeshi", Ethnicity::Aban),
    ("blackcaribbean", Ethnicity::Bcrb),
    ("caribbean", Ethnicity::Bcrb),
    ("blackafrican", Ethnicity::Bafr),
    ("african", Ethnicity::Bafr),
    ("refused", Ethnicity::Refu),
    ("notknown", Ethnicity::Nobt),
];

impl Ethnicity {
    /// The code for text recorded before the codes: a code, a category's name or a
    /// common way of writing one; otherwise `OOTH`, with the text to keep.
    pub fn from_legacy(text: &str) -> (Ethnicity, Option<String>) {
        let wanted = plain(text);
        let known = Ethnicity::ALL
            .iter()
            .copied()
            .find(|e| plain(e.as_str()) == wanted || plain(e.label()) == wanted)
            .or_else(|| ALIASES.iter().find(|(alias, _)| *alias == wanted).map(|(_, e)| *e));
        match known {
            Some(e) => (e, None),
            None => (Ethnicity::Ooth, Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_common_spellings_map_to_their_code() {
        assert_eq!(Ethnicity::from_legacy("WBRI"), (Ethnicity::Wbri, None));
        assert_eq!(Ethnicity::from_legacy("wbri"), (Ethnicity::Wbri, None));
        assert_eq!(Ethnicity::from_legacy("White British"), (Ethnicity::Wbri, None));
        assert_eq!(
            Ethnicity::from_legacy("Black or Black British: African"),
            (Ethnicity::Bafr, None)
        );
        assert_eq!(Ethnicity::from_legacy("Pakistani"), (Ethnicity::Apkn, None));
    }

    #[test]
    fn other_text_becomes_any_other_ethnic_group_and_is_kept() {
        assert_eq!(
            Ethnicity::from_legacy(" Kurdish "),
            (Ethnicity::Ooth, Some("Kurdish".to_owned()))
        );
    }

    #[test]
    fn the_api_takes_the_codes_and_nothing_else() {
        assert_eq!(Ethnicity::parse("BAFR"), Some(Ethnicity::Bafr));
        assert_eq!(Ethnicity::parse("Black African"), None);
        assert_eq!(Ethnicity::ALL.len(), 20);
    }
}
