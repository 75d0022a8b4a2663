//! Region scopes (issue #19): the part of the district an account may see, as Kemendagri
//! codes at any level. Lists, counts, household pages and exports are filtered by it in the
//! query itself ([`Scope::condition`]), never after.

use verval_core::region::RegionCode;

/// The regions an account may see; empty means the whole district.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope(Vec<RegionCode>);

impl Scope {
    /// The whole district.
    pub fn everywhere() -> Scope {
        Scope(Vec::new())
    }

    /// Codes separated by commas, spaces or new lines; empty for the whole district.
    pub fn parse(text: &str) -> Result<Scope, String> {
        let mut codes: Vec<RegionCode> = Vec::new();
        for part in text
            .split([',', ' ', '\n', '\r', ';'])
            .filter(|p| !p.trim().is_empty())
        {
            let code = RegionCode::parse(part.trim())
                .map_err(|e| format!("kode wilayah {part:?} salah (bad region code): {e}"))?;
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        Ok(Scope(codes))
    }

    /// One region (a kecamatan, a village…) and what lies within it.
    pub fn only(code: RegionCode) -> Scope {
        Scope(vec![code])
    }

    pub fn is_everywhere(&self) -> bool {
        self.0.is_empty()
    }

    pub fn codes(&self) -> &[RegionCode] {
        &self.0
    }

    /// As stored and shown: `35.13.14,35.13.15`.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(RegionCode::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether a village (or any region code) lies within the scope.
    pub fn contains(&self, code: &str) -> bool {
        self.is_everywhere()
            || self
                .0
                .iter()
                .any(|r| code == r.as_str() || code.starts_with(&format!("{}.", r.as_str())))
    }

    /// An SQL condition on `column` (a region code) for this scope, with placeholders from
    /// `$first`, and the values to bind in order: `TRUE`-like `1 = 1` for the whole district.
    pub fn condition(&self, column: &str, first: usize) -> (String, Vec<String>) {
        if self.is_everywhere() {
            return ("1 = 1".to_owned(), Vec::new());
        }
        let mut parts = Vec::new();
        let mut binds = Vec::new();
        for code in &self.0 {
            let n = first + binds.len();
            parts.push(format!("{column} = ${n} OR {column} LIKE ${}", n + 1));
            binds.push(code.as_str().to_owned());
            binds.push(format!("{}.%", code.as_str()));
        }
        (format!("({})", parts.join(" OR ")), binds)
    }
}

impl Scope {
    /// [`Scope::condition`] for the villages both this scope and `region` (a page's choice:
    /// a kecamatan, a village) hold.
    pub fn condition_within(
        &self,
        region: Option<&RegionCode>,
        column: &str,
        first: usize,
    ) -> (String, Vec<String>) {
        let (in_scope, mut binds) = self.condition(column, first);
        let Some(region) = region else {
            return (in_scope, binds);
        };
        let (in_region, more) = Scope::only(region.clone()).condition(column, first + binds.len());
        binds.extend(more);
        (format!("{in_scope} AND {in_region}"), binds)
    }
}

/// A NIK or KK number with its middle hidden: `3513**********01`. The first four digits
/// (province and regency) and the last two stay, so staff can still tell numbers apart.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 6;
    chars[..4]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - 2..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kecamatan_holds_its_villages_and_not_its_neighbours() {
        let scope = Scope::parse("35.13.14").expect("scope");
        assert!(scope.contains("35.13.14.2001"));
        assert!(scope.contains("35.13.14"));
        assert!(!scope.contains("35.13.15.2001"));
        assert!(!scope.contains("35.13.140"), "a prefix is not a region");
        assert!(Scope::everywhere().contains("35.13.15.2001"));
        let (sql, binds) = scope.condition("kode_desa", 3);
        assert_eq!(sql, "(kode_desa = $3 OR kode_desa LIKE $4)");
        assert_eq!(binds, ["35.13.14", "35.13.14.%"]);
        assert!(Scope::parse("35.13.14, 99x").is_err());
        assert_eq!(
            Scope::parse("35.13.14\n35.13.15,35.13.14")
                .expect("two")
                .to_text(),
            "35.13.14,35.13.15"
        );
    }

    #[test]
    fn identity_numbers_are_masked_in_the_middle() {
        assert_eq!(mask("3513141203580001"), "3513**********01");
        assert_eq!(mask("12345"), "*****");
        assert_eq!(mask(""), "");
    }
}
