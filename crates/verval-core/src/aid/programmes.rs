//! The aid programmes a district knows: the form's list (section G, `PROGRAMMES`) and those
//! the district adds — a regency's own aid, a local philanthropy — each with its funding
//! source. The district's additions are for aid recorded at the hub (deliveries after the
//! round), which the recap then counts; the phone's form keeps its own list.

use crate::form::default::{default_funding, FUNDING, PROGRAMMES};

/// A programme the district added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistrictProgramme {
    /// Upper-case letters, digits and `_`, as the form's codes: it is an export value.
    pub code: String,
    pub label: String,
    /// A `FUNDING` code.
    pub funding: String,
}

const LONGEST_CODE: usize = 24;
const LONGEST_LABEL: usize = 100;

impl DistrictProgramme {
    /// A programme as typed, every problem named; `known` are the district's programmes already.
    pub fn read(
        code: &str,
        label: &str,
        funding: &str,
        known: &[DistrictProgramme],
    ) -> Result<DistrictProgramme, String> {
        let (code, label, funding) = (code.trim().to_uppercase(), label.trim(), funding.trim());
        let mut problems = Vec::new();
        let well_formed = (2..=LONGEST_CODE).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && code.starts_with(|c: char| c.is_ascii_uppercase());
        if !well_formed {
            problems.push(format!(
                "kode {code:?}: 2–{LONGEST_CODE} huruf besar, angka atau _, diawali huruf (2–{LONGEST_CODE} capitals, digits or _, starting with a letter)"
            ));
        } else if PROGRAMMES.iter().any(|c| c.code == code) || known.iter().any(|p| p.code == code) {
            problems.push(format!("kode {code} sudah dipakai (the code is taken)"));
        }
        if label.is_empty() || label.chars().count() > LONGEST_LABEL || label.chars().any(char::is_control) {
            problems.push(format!(
                "nama program harus 1–{LONGEST_LABEL} karakter tanpa karakter kendali (the name must be 1–{LONGEST_LABEL} characters)"
            ));
        }
        if !FUNDING.iter().any(|c| c.code == funding) {
            problems.push(format!(
                "sumber dana tidak dikenal (unknown funding source): {funding:?}"
            ));
        }
        match problems.is_empty() {
            true => Ok(DistrictProgramme {
                code,
                label: label.to_owned(),
                funding: funding.to_owned(),
            }),
            false => Err(problems.join("; ")),
        }
    }
}

/// Every programme the district knows: the form's, then its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct Programmes<'a> {
    pub district: &'a [DistrictProgramme],
}

impl<'a> Programmes<'a> {
    pub fn new(district: &'a [DistrictProgramme]) -> Programmes<'a> {
        Programmes { district }
    }

    pub fn knows(&self, code: &str) -> bool {
        PROGRAMMES.iter().any(|c| c.code == code) || self.district.iter().any(|p| p.code == code)
    }

    /// The programme's name; the code itself when unknown.
    pub fn label(&self, code: &str) -> String {
        PROGRAMMES
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.id.to_owned())
            .or_else(|| {
                self.district
                    .iter()
                    .find(|p| p.code == code)
                    .map(|p| p.label.clone())
            })
            .unwrap_or_else(|| code.to_owned())
    }

    /// The programme's usual funding source.
    pub fn funding_of(&self, code: &str) -> Option<&str> {
        default_funding(code).or_else(|| {
            self.district
                .iter()
                .find(|p| p.code == code)
                .map(|p| p.funding.as_str())
        })
    }

    /// `(code, name)` of every programme, the form's first.
    pub fn all(&self) -> impl Iterator<Item = (&str, String)> + '_ {
        PROGRAMMES
            .iter()
            .map(|c| (c.code, c.label.id.to_owned()))
            .chain(self.district.iter().map(|p| (p.code.as_str(), p.label.clone())))
    }
}
