//! Offline readiness: what a phone must hold to work a whole day with no signal, and how
//! the app says whether it holds it.
//!
//! The app's own files are kept by the service worker at its first visit. The region tables
//! are not (all provinces together are megabytes): the phone keeps the tables of its *work
//! area*, the provinces it learnt from enrolment, an assignment, a family it filled or the
//! enumerator's own choice. Without them no family can be given a village, so none can be
//! finalized.

use crate::text::Text;

/// Where the build writes the region tables; the version is idn-area-data's (checked by
/// tests/build/regions.test.mjs against package.json).
pub const REGION_TABLES: &str = "data/regions/4.0.1/";

/// The list of provinces, the table the form's first region question needs.
pub const PROVINCE_LIST: &str = "provinces";

/// The address (relative to the app) of one region table: [`PROVINCE_LIST`] or a province.
pub fn table_file(table: &str) -> String {
    format!("{REGION_TABLES}{table}.json")
}

/// The province a region code lies in: `35` for `35.13.14.2001`, for `3513142001` (the
/// hub's undotted form) and for `35`. `None` for anything that does not start with a
/// province code.
pub fn province_of(code: &str) -> Option<&str> {
    let province = code.get(..2)?;
    let digits = province.bytes().all(|b| b.is_ascii_digit());
    let rest_ok = code[2..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
    (digits && province != "00" && rest_ok).then_some(province)
}

/// The work area as stored (`35,33`) with the provinces of `codes` added: sorted, each once.
/// Codes that name no province are left out.
pub fn widen_area<S: AsRef<str>>(stored: &str, codes: impl IntoIterator<Item = S>) -> String {
    let added: Vec<S> = codes.into_iter().collect();
    let mut provinces: Vec<&str> = stored
        .split(',')
        .chain(added.iter().map(AsRef::as_ref))
        .filter_map(province_of)
        .collect();
    provinces.sort_unstable();
    provinces.dedup();
    provinces.join(",")
}

/// The provinces of a stored work area.
pub fn area_provinces(stored: &str) -> Vec<&str> {
    stored.split(',').filter_map(province_of).collect()
}

/// Whether the phone can work with no signal, and if not the first thing it lacks: one
/// thing to do at a time, in the order they can be done. The service worker's side
/// (`src/offline_ready.js`) answers with these numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// The app's files are still being stored (first visit).
    Preparing = 0,
    Ready = 1,
    /// The app's own files are not (all) stored, or this browser keeps none.
    NoApp = 2,
    /// No province is known: nothing says which region tables to keep.
    NoWorkArea = 3,
    /// A region table of the work area (or the province list) is neither stored nor could be
    /// fetched now.
    NoTables = 4,
}

impl Readiness {
    /// Every state, each at its number.
    pub const ALL: [Readiness; 5] = [
        Readiness::Preparing,
        Readiness::Ready,
        Readiness::NoApp,
        Readiness::NoWorkArea,
        Readiness::NoTables,
    ];

    /// The state numbered `number`; `Preparing` for an unknown number. The list page keeps
    /// readiness as a number: its signal shares the code of the page's other number signals.
    pub fn at(number: u32) -> Readiness {
        Readiness::ALL
            .get(number as usize)
            .copied()
            .unwrap_or(Readiness::Preparing)
    }

    /// What the enumerator reads.
    pub fn text(self) -> Text {
        match self {
            Readiness::Preparing => Text::new(
                "Menyiapkan agar bisa dipakai tanpa sinyal…",
                "Preparing to work without signal…",
            ),
            Readiness::Ready => Text::new("✓ Siap dipakai tanpa sinyal.", "✓ Ready to use without signal."),
            Readiness::NoApp => Text::new(
                "Belum siap tanpa sinyal: buka Verval di Chrome selagi ada sinyal.",
                "Not ready without signal: open Verval in Chrome while there is signal.",
            ),
            Readiness::NoWorkArea => Text::new(
                "Belum siap tanpa sinyal: pilih provinsi di Daftar kunjungan.",
                "Not ready without signal: choose a province in the visit list.",
            ),
            Readiness::NoTables => Text::new(
                "Belum siap tanpa sinyal: tabel wilayah belum terunduh; buka lagi selagi ada sinyal.",
                "Not ready without signal: region tables not downloaded; open again while there is signal.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_province_is_read_from_every_form_of_region_code() {
        assert_eq!(province_of("35.13.14.2001"), Some("35"));
        assert_eq!(province_of("3513142001"), Some("35"));
        assert_eq!(province_of("35"), Some("35"));
        assert_eq!(province_of("00.13"), None);
        assert_eq!(province_of("3"), None);
        assert_eq!(province_of("ab"), None);
        assert_eq!(province_of("35-13"), None);
        assert_eq!(province_of(""), None);
    }

    #[test]
    fn the_area_grows_by_province_each_once() {
        let area = widen_area("", ["35.13.14.2001", "3513142002", "33.01"]);
        assert_eq!(area, "33,35");
        assert_eq!(widen_area(&area, ["35", "x", "11.01"]), "11,33,35");
        assert_eq!(widen_area("garbage", Vec::<&str>::new()), "");
        assert_eq!(area_provinces("33,35,zz"), vec!["33", "35"]);
    }

    #[test]
    fn a_table_is_a_file_of_the_build() {
        assert_eq!(table_file("35"), "data/regions/4.0.1/35.json");
        assert_eq!(table_file(PROVINCE_LIST), "data/regions/4.0.1/provinces.json");
    }

    #[test]
    fn each_state_has_its_number_and_words() {
        use Readiness::*;
        for (number, state) in Readiness::ALL.into_iter().enumerate() {
            assert_eq!(state as usize, number);
            assert_eq!(Readiness::at(number as u32), state);
            assert!(!state.text().id.is_empty() && !state.text().en.is_empty());
        }
        assert_eq!(Readiness::at(99), Preparing);
        assert!(NoWorkArea.text().id.contains("pilih provinsi"));
        assert!(Ready.text().id.contains("Siap dipakai tanpa sinyal"));
    }
}
