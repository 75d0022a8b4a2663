//! SIKS-NG entry help (issue #24): what Kemensos' SIKS-NG asks of a proposed family (usulan),
//! in the order of its screens, and every field a verified family still lacks for it.
//!
//! SIKS-NG has no bulk import: a village or Dinsos operator re-keys each family, and one empty
//! field (the PLN customer id, a member's NIK) invalidates the record after the fact. So a
//! family is "siap diinput" only when nothing SIKS-NG needs is missing — including answers the
//! verification form itself leaves optional (the PLN id) — and the view lists the values in
//! the order the operator types them. A field counts only where the form asks it (its
//! section, repeat and own relevance hold): no PLN id is needed from a house without a PLN
//! meter, no NIK from a member who died or moved away.

use crate::date::Date;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::asked::{asked_rows, family_answer};
use crate::form::cond::Values;
use crate::form::default::{
    ART, BAHAN_BAKAR_MASAK, BANTUAN_DIUSULKAN, DAYA_TERPASANG, DEFAULT_FORM, FASILITAS_BAB, HUBUNGAN_KK,
    ID_PELANGGAN_PLN, JENIS_ATAP, JENIS_DINDING, JENIS_KELAMIN, JENIS_LANTAI, KODE_DESA, LIVING, LUAS_LANTAI,
    NAMA, NIK, NIK_TIDAK_ADA, NO_URUT, RT, RW, STATUS_BANGUNAN, STATUS_KAWIN, SUMBER_AIR_MINUM,
    SUMBER_PENERANGAN, TANGGAL_LAHIR,
};
use crate::form::scope::Scope;
use crate::form::validate::is_relevant;
use crate::ids::FieldId;
use crate::record::HouseholdRecord;
use crate::text::Text;

/// The SIKS-NG usulan screens, in the order the operator goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Screen {
    /// Data keluarga: the card, the address and the village.
    Family,
    /// Anggota keluarga: one form per member living in the family.
    Members,
    /// Data rumah: the house and its utilities.
    House,
    /// Usulan: the programmes proposed.
    Proposal,
}

impl Screen {
    pub const ALL: [Screen; 4] = [Screen::Family, Screen::Members, Screen::House, Screen::Proposal];

    pub fn label(self) -> Text {
        match self {
            Screen::Family => Text::new("Data keluarga", "Family"),
            Screen::Members => Text::new("Anggota keluarga", "Members"),
            Screen::House => Text::new("Data rumah", "House"),
            Screen::Proposal => Text::new("Usulan bantuan", "Aid proposed"),
        }
    }

    /// The fields of this screen, in its order; [`Screen::Members`]' are asked per member.
    pub fn fields(self) -> &'static [FieldId] {
        match self {
            Screen::Family => &[NOMOR_KK, NAMA_KEPALA_KELUARGA, KODE_DESA, ALAMAT, RT, RW],
            Screen::Members => &[NIK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR, HUBUNGAN_KK, STATUS_KAWIN],
            Screen::House => &[
                STATUS_BANGUNAN,
                LUAS_LANTAI,
                JENIS_LANTAI,
                JENIS_DINDING,
                JENIS_ATAP,
                SUMBER_AIR_MINUM,
                SUMBER_PENERANGAN,
                DAYA_TERPASANG,
                ID_PELANGGAN_PLN,
                BAHAN_BAKAR_MASAK,
                FASILITAS_BAB,
            ],
            Screen::Proposal => &[BANTUAN_DIUSULKAN],
        }
    }
}

/// One value the operator types into SIKS-NG, or one that is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub screen: Screen,
    pub field: FieldId,
    /// The member's number in the family (`no_urut`) on [`Screen::Members`].
    pub member: Option<String>,
    /// The answer as stored (codes for choices; the page shows their labels).
    pub value: String,
}

impl Entry {
    pub fn is_missing(&self) -> bool {
        self.value.trim().is_empty()
    }

    /// The question's label, from the form (one name for each field).
    pub fn label(&self) -> Text {
        DEFAULT_FORM
            .question(self.field)
            .map_or(Text::new("", ""), |q| q.label)
    }
}

/// Every value SIKS-NG asks of this family that the form asks here, screen by screen, each
/// with its answer (empty when missing). A member's NIK marked "tidak ada" is missing: SIKS-NG
/// takes no member without one.
pub fn entries(record: &HouseholdRecord, today: Date) -> Vec<Entry> {
    let family = Scope::family(record, today);
    let mut out = Vec::new();
    for screen in Screen::ALL {
        match screen {
            Screen::Members => members(family, &mut out),
            _ => {
                for &field in screen.fields() {
                    if let Some(value) = family_answer(&DEFAULT_FORM, field, &family) {
                        out.push(Entry {
                            screen,
                            field,
                            member: None,
                            value,
                        });
                    }
                }
            }
        }
    }
    out
}

fn members(family: Scope<'_>, out: &mut Vec<Entry>) {
    let Some(repeat) = DEFAULT_FORM.repeat(ART) else {
        return;
    };
    for (position, row) in asked_rows(&DEFAULT_FORM, repeat, &family) {
        let scope = family.in_row(row, position);
        if !LIVING.holds(&scope) {
            continue;
        }
        for &field in Screen::Members.fields() {
            let Some(question) = repeat.questions.iter().find(|q| q.id == field) else {
                continue;
            };
            if !is_relevant(question, &scope) {
                continue;
            }
            let value = match field == NIK && scope.value(NIK_TIDAK_ADA).trim() == "1" {
                true => String::new(),
                false => scope.value(field).to_owned(),
            };
            out.push(Entry {
                screen: Screen::Members,
                field,
                member: Some(scope.value(NO_URUT).to_owned()).filter(|n| !n.is_empty()),
                value,
            });
        }
    }
}

/// What SIKS-NG still needs from this family: every missing entry, in screen order. Empty:
/// the family is ready to be entered ("siap diinput").
pub fn missing(record: &HouseholdRecord, today: Date) -> Vec<Entry> {
    entries(record, today)
        .into_iter()
        .filter(Entry::is_missing)
        .collect()
}
