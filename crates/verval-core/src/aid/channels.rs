//! The channels a village meeting's agreed proposals go on by (issue #24): each programme
//! proposed goes by its funding source — the state's programmes into SIKS-NG, the province's
//! and regency's into the APBD proposal, the village fund's into the desa's BLT-DD list,
//! philanthropy's into a referral to BAZNAS, CSR or Lazis. Each list holds only families the
//! meeting agreed, with the programmes of its channel, in the columns the channel expects.

use super::ledger::FamilyAid;
use super::musdes::{programme_names, Listed, AGREED};
use crate::date::Date;
use crate::fields::NOMOR_KK;
use crate::form::asked::asked_rows;
use crate::form::default::{default_funding, ART, DEFAULT_FORM, HUBUNGAN_KK, KODE_DESA, NIK};
use crate::form::scope::Scope;
use crate::record::HouseholdRecord;
use crate::text::Text;

/// The code of the family head in `hubungan_kk`.
const HEAD: &str = "1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    SiksNg,
    Apbd,
    BltDd,
    Philanthropy,
}

/// Columns holding a NIK or KK number: masked for readers who may not see them.
pub const IDENTITY_COLUMNS: [&str; 2] = ["nomor_kk", "nik_kepala_keluarga"];

const PROPOSAL_COLUMNS: [(&str, &str); 12] = [
    ("nomor", "No"),
    ("nomor_kk", "Nomor KK"),
    ("nik_kepala_keluarga", "NIK kepala keluarga"),
    ("nama_kepala_keluarga", "Nama kepala keluarga"),
    ("alamat", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("kode_desa", "Kode desa"),
    ("status_kesejahteraan_usulan", "Usulan status kesejahteraan"),
    ("program_diusulkan", "Program diusulkan"),
    ("nomor_ba_musdes", "Nomor BA Musdes"),
    ("tanggal_musdes", "Tanggal Musdes"),
];

const BLT_DD_COLUMNS: [(&str, &str); 9] = [
    ("nomor", "No"),
    ("nik_kepala_keluarga", "NIK kepala keluarga"),
    ("nama_kepala_keluarga", "Nama kepala keluarga"),
    ("alamat", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("program_diusulkan", "Bantuan"),
    ("alasan_usulan", "Kriteria / alasan"),
    ("nomor_ba_musdes", "Nomor BA Musdes"),
];

/// A referral names and places the family and what it needs; no NIK or KK leaves the
/// government for a private body by this list.
const REFERRAL_COLUMNS: [(&str, &str); 9] = [
    ("nomor", "No"),
    ("nama_kepala_keluarga", "Nama kepala keluarga"),
    ("alamat", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("kode_desa", "Kode desa"),
    (
        "status_kesejahteraan_usulan",
        "Kondisi (usulan status kesejahteraan)",
    ),
    ("program_diusulkan", "Kebutuhan"),
    ("alasan_usulan", "Alasan usulan"),
];

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::SiksNg,
        Channel::Apbd,
        Channel::BltDd,
        Channel::Philanthropy,
    ];

    /// Stable: in addresses and file names.
    pub fn code(self) -> &'static str {
        match self {
            Channel::SiksNg => "siks-ng",
            Channel::Apbd => "apbd",
            Channel::BltDd => "blt-dd",
            Channel::Philanthropy => "filantropi",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Channel::SiksNg => Text::new("Daftar usulan SIKS-NG (APBN)", "SIKS-NG proposals (state budget)"),
            Channel::Apbd => Text::new(
                "Daftar usulan APBD provinsi/kabupaten",
                "provincial and regency budget proposals",
            ),
            Channel::BltDd => Text::new(
                "Daftar penerima BLT-DD / APBDes",
                "the village fund's beneficiary list",
            ),
            Channel::Philanthropy => Text::new("Daftar rujukan BAZNAS/CSR/Lazis", "philanthropy referrals"),
        }
    }

    /// The channel a proposed programme goes by: its funding source's.
    pub fn of_programme(programme: &str) -> Option<Channel> {
        match default_funding(programme)? {
            "1" => Some(Channel::SiksNg),
            "2" | "3" => Some(Channel::Apbd),
            "4" => Some(Channel::BltDd),
            "5" => Some(Channel::Philanthropy),
            _ => None,
        }
    }

    /// The list's columns, `(id, heading)`, in order.
    pub fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Channel::SiksNg | Channel::Apbd => &PROPOSAL_COLUMNS,
            Channel::BltDd => &BLT_DD_COLUMNS,
            Channel::Philanthropy => &REFERRAL_COLUMNS,
        }
    }
}

/// A family on a meeting's list, with the meeting's decision on it.
pub struct Decided<'a> {
    pub record: &'a HouseholdRecord,
    pub decision: &'a str,
}

/// What a channel's list says of the meeting: its Berita Acara number and day.
pub struct MeetingRef<'a> {
    pub number: &'a str,
    pub held_on: &'a str,
}

/// The programmes of `channel` proposed for a family and not received already, when the
/// meeting agreed; else none.
pub fn programmes_for(channel: Channel, family: &Decided<'_>, today: Date) -> Vec<String> {
    waiting(family, today)
        .into_iter()
        .filter(|p| Channel::of_programme(p) == Some(channel))
        .collect()
}

/// What an agreed family was proposed and does not receive yet.
fn waiting(family: &Decided<'_>, today: Date) -> Vec<String> {
    if family.decision != AGREED {
        return Vec::new();
    }
    let aid = FamilyAid::of(family.record, Vec::new(), today);
    aid.waiting().into_iter().map(str::to_owned).collect()
}

/// Whether an agreed family waits for a programme no channel carries ("Lainnya"): it is on
/// no list, and the district must follow it up by hand.
pub fn unrouted(family: &Decided<'_>, today: Date) -> bool {
    waiting(family, today)
        .iter()
        .any(|p| Channel::of_programme(p).is_none())
}

/// The NIK of the family's head, as the members' section asked it.
fn head_nik(family: &Scope<'_>) -> String {
    DEFAULT_FORM
        .repeat(ART)
        .map(|repeat| asked_rows(&DEFAULT_FORM, repeat, family))
        .unwrap_or_default()
        .into_iter()
        .find(|(_, row)| row.answers.get(HUBUNGAN_KK).trim() == HEAD)
        .map(|(_, row)| row.answers.get(NIK).trim().to_owned())
        .unwrap_or_default()
}

/// The channel's list: one row per family the meeting agreed with a programme of the channel
/// proposed, numbered, in [`Channel::columns`]' order.
pub fn channel_rows(
    channel: Channel,
    families: &[Decided<'_>],
    meeting: &MeetingRef<'_>,
    today: Date,
) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for family in families {
        let programmes = programmes_for(channel, family, today);
        if programmes.is_empty() {
            continue;
        }
        let record = family.record;
        // What the meeting read of the family: the same words on every list.
        let listed = Listed::of(record, today);
        let number = rows.len() + 1;
        let value = |id: &str| -> String {
            match id {
                "nomor" => number.to_string(),
                "nomor_kk" => record.answers.get(NOMOR_KK).trim().to_owned(),
                "nik_kepala_keluarga" => head_nik(&Scope::family(record, today)),
                "nama_kepala_keluarga" => listed.head.clone(),
                "alamat" => listed.address.clone(),
                "rt" => listed.rt.clone(),
                "rw" => listed.rw.clone(),
                "kode_desa" => record.answers.get(KODE_DESA).trim().to_owned(),
                "status_kesejahteraan_usulan" => listed.welfare.clone(),
                "program_diusulkan" => programme_names(&programmes),
                "alasan_usulan" => listed.justification.clone(),
                "nomor_ba_musdes" => meeting.number.to_owned(),
                "tanggal_musdes" => meeting.held_on.to_owned(),
                _ => String::new(),
            }
        };
        rows.push(channel.columns().iter().map(|(id, _)| value(id)).collect());
    }
    rows
}
