//! Section B — visit and enumerator (spec §1.3, Regsosek Blok II analogue).

use crate::form::cond::Cond;
use crate::form::model::{Calc, Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::form::Scope;
use crate::ids::FieldId;
use crate::record::{HouseholdRecord, Timestamp};
use crate::text::Text;

pub const TANGGAL_KUNJUNGAN: FieldId = FieldId::new("tanggal_kunjungan");
pub const NAMA_PETUGAS: FieldId = FieldId::new("nama_petugas");
pub const PERAN_PETUGAS: FieldId = FieldId::new("peran_petugas");
pub const TANGGAL_PEMERIKSAAN: FieldId = FieldId::new("tanggal_pemeriksaan");
pub const NAMA_PEMERIKSA: FieldId = FieldId::new("nama_pemeriksa");
pub const HASIL_WAWANCARA: FieldId = FieldId::new("hasil_wawancara");
pub const NAMA_RESPONDEN: FieldId = FieldId::new("nama_responden");
pub const HUBUNGAN_RESPONDEN: FieldId = FieldId::new("hubungan_responden");

/// Someone answered, fully or in part.
pub const INTERVIEWED: Cond = Cond::Is(HASIL_WAWANCARA, &["1", "2"]);

const ROLES: &[Choice] = &[
    Choice::new("1", "Operator/perangkat desa", "Village operator/official"),
    Choice::new("2", "TKSK", "TKSK (sub-district social welfare worker)"),
    Choice::new("3", "Pendamping PKH", "PKH facilitator"),
    Choice::new("4", "PSM/kader", "Community social worker/cadre"),
    Choice::new("5", "Pendamping desa", "Village facilitator"),
    Choice::new("6", "PLKB", "Family planning field officer (PLKB)"),
    Choice::new("7", "Kasi Kesra kecamatan", "Sub-district welfare section head"),
    Choice::new("9", "Lainnya", "Other"),
];

const RESULTS: &[Choice] = &[
    Choice::new("1", "Terisi lengkap", "Completed"),
    Choice::new("2", "Terisi tidak lengkap", "Partly completed"),
    Choice::new(
        "3",
        "Tidak ada responden sampai akhir masa pendataan",
        "No respondent until the end of the fieldwork",
    ),
    Choice::new("4", "Responden menolak", "Respondent refused"),
    Choice::new("5", "Keluarga pindah", "Family moved"),
];

const NAME: Kind = Kind::Text {
    min_len: 1,
    max_len: 100,
    format: TextFormat::Name,
};

/// The visit is today unless the enumerator says otherwise: filled in once, never over
/// what was chosen.
fn today(scope: &Scope<'_>) -> Option<String> {
    Some(scope.today.to_string())
}

pub(super) static ITEMS: [SectionItem; 8] = [
    SectionItem::Question(Question {
        calc: Some(Calc::prefill(today)),
        ..Question::new(
            TANGGAL_KUNJUNGAN,
            Text::new("Tanggal kunjungan", "Visit date"),
            Kind::Date {
                past_only: true,
                unknown_parts: false,
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question::new(
        NAMA_PETUGAS,
        Text::new("Nama petugas", "Enumerator name"),
        NAME,
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        PERAN_PETUGAS,
        Text::new("Unsur petugas", "Enumerator role"),
        Kind::SelectOne(ROLES),
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        TANGGAL_PEMERIKSAAN,
        Text::new("Tanggal pemeriksaan", "Supervisor check date"),
        Kind::Date {
            past_only: true,
            unknown_parts: false,
        },
        Required::No,
    )),
    SectionItem::Question(Question::new(
        NAMA_PEMERIKSA,
        Text::new("Nama pemeriksa", "Supervisor name"),
        NAME,
        Required::No,
    )),
    SectionItem::Question(Question::new(
        HASIL_WAWANCARA,
        Text::new("Hasil pendataan keluarga", "Interview result"),
        Kind::SelectOne(RESULTS),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        relevant: Some(INTERVIEWED),
        ..Question::new(
            NAMA_RESPONDEN,
            Text::new("Nama responden", "Respondent name"),
            NAME,
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(INTERVIEWED),
        ..Question::new(
            HUBUNGAN_RESPONDEN,
            Text::new(
                "Hubungan responden dengan kepala keluarga",
                "Respondent's relation to the head",
            ),
            Kind::SelectOne(super::codes::RESPONDENT_RELATIONS),
            Required::Yes,
        )
    }),
];

/// The enumerator a record names (name, role code), when both are given: what the next
/// family on the phone starts with.
pub fn enumerator_of(record: &HouseholdRecord) -> Option<(String, String)> {
    let name = record.answers.get(NAMA_PETUGAS).trim();
    let role = record.answers.get(PERAN_PETUGAS).trim();
    (!name.is_empty() && !role.is_empty()).then(|| (name.to_owned(), role.to_owned()))
}

/// Fills in the enumerator of a new family, where nothing is entered yet: one less thing to
/// type for every family of the day.
pub fn with_enumerator(record: &mut HouseholdRecord, (name, role): (&str, &str), now: Timestamp) {
    if record.answers.get(NAMA_PETUGAS).is_empty() {
        record.set_answer(NAMA_PETUGAS, name, now);
    }
    if record.answers.get(PERAN_PETUGAS).is_empty() {
        record.set_answer(PERAN_PETUGAS, role, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordId;

    #[test]
    fn a_new_family_starts_with_the_last_enumerator_and_keeps_what_it_has() {
        let mut done = HouseholdRecord::new(RecordId::from_random_bytes([1; 16]), Timestamp(1));
        assert_eq!(enumerator_of(&done), None);
        done.set_answer(NAMA_PETUGAS, "SITI AMINAH", Timestamp(2));
        assert_eq!(
            enumerator_of(&done),
            None,
            "a name without a role is not a profile"
        );
        done.set_answer(PERAN_PETUGAS, "1", Timestamp(2));
        let profile = enumerator_of(&done).expect("profile");
        assert_eq!(profile, ("SITI AMINAH".to_owned(), "1".to_owned()));

        let mut next = HouseholdRecord::new(RecordId::from_random_bytes([2; 16]), Timestamp(3));
        next.set_answer(PERAN_PETUGAS, "3", Timestamp(3));
        with_enumerator(&mut next, (&profile.0, &profile.1), Timestamp(4));
        assert_eq!(next.answers.get(NAMA_PETUGAS), "SITI AMINAH");
        assert_eq!(next.answers.get(PERAN_PETUGAS), "3", "what was chosen stays");
    }
}
