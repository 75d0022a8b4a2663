//! An assignment as the app takes it: the hub's answer to `GET /api/v1/assignment`, or the
//! same JSON saved as a file (`penugasan-….json`) and handed over. Read strictly: a file
//! that is not an assignment, or one whose families are not in its villages, is refused
//! with what is wrong, and the assignment already on the phone stays. A field a newer hub
//! added is left unread (`Assignment`), not a reason to refuse the families.

use crate::prelist::{Prelist, PrelistFamily};
use crate::region::{RegionCode, RegionLevel};
use crate::sync::api::Assignment;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("berkas ini bukan berkas penugasan Verval (not a Verval assignment file): {0}")]
    NotAnAssignment(String),
    #[error("kode desa {0:?} tidak sah (not a village code)")]
    BadVillage(String),
    #[error("keluarga ke-{0} tidak punya ID prelist (family without a prelist id)")]
    MissingId(usize),
    #[error("ID prelist {0} muncul dua kali (prelist id listed twice)")]
    DuplicateId(String),
    #[error("keluarga {id} berada di desa {village}, di luar desa penugasan (family outside the assigned villages)")]
    OutsideVillages { id: String, village: String },
    #[error("keluarga {id}: nomor {number:?} bukan 16 angka (NIK/KK is not 16 digits)")]
    BadNumber { id: String, number: String },
    #[error("keluarga {0} tidak punya kode desa; isi kode desa untuk baris tanpa kode (family without a village code)")]
    NoVillage(String),
    #[error("daftar tidak berisi keluarga (the list holds no family)")]
    Empty,
    #[error("musyawarah desa {village} ({period}) di luar desa penugasan (a village meeting outside the assigned villages)")]
    MeetingOutsideVillages { village: String, period: String },
}

fn sixteen_digits(n: &str) -> bool {
    n.len() == 16 && n.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and checks an assignment.
pub fn parse_assignment(bytes: &[u8]) -> Result<Assignment, AssignmentError> {
    let assignment: Assignment =
        serde_json::from_slice(bytes).map_err(|e| AssignmentError::NotAnAssignment(e.to_string()))?;
    check(&assignment)?;
    Ok(assignment)
}

/// An assignment from a prelist file read on the phone, for a district without a hub:
/// every family of the list, each in its village; `default_village` is the village of
/// families the list gives no code for (a village's own list often has no such column).
pub fn assignment_from_prelist(
    prelist: Prelist,
    source: &str,
    default_village: Option<&str>,
) -> Result<Assignment, AssignmentError> {
    if prelist.families.is_empty() {
        return Err(AssignmentError::Empty);
    }
    let mut families = prelist.families;
    for family in &mut families {
        if family.kode_desa.is_empty() {
            match default_village.map(str::trim).filter(|v| !v.is_empty()) {
                Some(v) => family.kode_desa = v.to_owned(),
                None => return Err(AssignmentError::NoVillage(family.prelist_id.clone())),
            }
        }
    }
    let villages: BTreeSet<String> = families.iter().map(|f| f.kode_desa.clone()).collect();
    let assignment = Assignment {
        hub: source.to_owned(),
        enumerator: String::new(),
        villages: villages.into_iter().collect(),
        families,
        visited: Vec::new(),
        district_keys: Vec::new(),
        musdes: Vec::new(),
        forms: Vec::new(),
        batch_part_bytes: None,
    };
    check(&assignment)?;
    Ok(assignment)
}

fn check(assignment: &Assignment) -> Result<(), AssignmentError> {
    for village in &assignment.villages {
        let ok = RegionCode::parse(village).is_ok_and(|c| c.level() == RegionLevel::Village);
        if !ok {
            return Err(AssignmentError::BadVillage(village.clone()));
        }
    }
    let villages: BTreeSet<&str> = assignment.villages.iter().map(String::as_str).collect();
    let mut ids = BTreeSet::new();
    for (i, family) in assignment.families.iter().enumerate() {
        check_family(i, family, &villages)?;
        if !ids.insert(family.prelist_id.as_str()) {
            return Err(AssignmentError::DuplicateId(family.prelist_id.clone()));
        }
    }
    if let Some(m) = assignment
        .musdes
        .iter()
        .find(|m| !villages.contains(m.kode_desa.as_str()))
    {
        return Err(AssignmentError::MeetingOutsideVillages {
            village: m.kode_desa.clone(),
            period: m.meeting.period.clone(),
        });
    }
    Ok(())
}

fn check_family(i: usize, family: &PrelistFamily, villages: &BTreeSet<&str>) -> Result<(), AssignmentError> {
    let id = &family.prelist_id;
    if id.trim().is_empty() {
        return Err(AssignmentError::MissingId(i + 1));
    }
    if !villages.contains(family.kode_desa.as_str()) {
        return Err(AssignmentError::OutsideVillages {
            id: id.clone(),
            village: family.kode_desa.clone(),
        });
    }
    let numbers = family
        .nomor_kk
        .iter()
        .chain(family.members.iter().filter_map(|m| m.nik.as_ref()));
    for number in numbers {
        if !sixteen_digits(number) {
            return Err(AssignmentError::BadNumber {
                id: id.clone(),
                number: number.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::{listed, member};

    fn assignment() -> Assignment {
        let family = |id: &str, kk: &str| {
            listed(
                id,
                kk,
                vec![member("3513141207850001", "SLAMET", "Kepala Keluarga", "L")],
            )
        };
        Assignment {
            hub: "Dinsos Probolinggo".to_owned(),
            enumerator: "SITI".to_owned(),
            villages: vec!["35.13.14.2001".to_owned()],
            families: vec![family("A1", "3513141203150007"), family("A2", "3513141203150008")],
            visited: Vec::new(),
            district_keys: Vec::new(),
            musdes: Vec::new(),
            forms: Vec::new(),
            batch_part_bytes: None,
        }
    }

    fn bytes(a: &Assignment) -> Vec<u8> {
        serde_json::to_vec(a).expect("json")
    }

    #[test]
    fn a_prelist_read_on_the_phone_becomes_an_assignment_of_its_villages() {
        let mut listed = assignment().families;
        listed[1].kode_desa = String::new();
        let prelist = Prelist {
            families: listed.clone(),
            blank_rows: 0,
        };
        assert_eq!(
            assignment_from_prelist(prelist.clone(), "daftar.xlsx", None),
            Err(AssignmentError::NoVillage("A2".to_owned()))
        );
        let a = assignment_from_prelist(prelist.clone(), "daftar.xlsx", Some("35.13.14.2002"))
            .expect("assignment");
        assert_eq!(a.villages, ["35.13.14.2001", "35.13.14.2002"]);
        assert_eq!(a.families[1].kode_desa, "35.13.14.2002");
        assert_eq!(a.hub, "daftar.xlsx");
        assert_eq!(
            assignment_from_prelist(prelist, "x", Some("35.13")),
            Err(AssignmentError::BadVillage("35.13".to_owned()))
        );
        assert_eq!(
            assignment_from_prelist(Prelist::default(), "x", None),
            Err(AssignmentError::Empty)
        );
    }

    #[test]
    fn a_good_assignment_reads_back_whole() {
        let a = assignment();
        assert_eq!(parse_assignment(&bytes(&a)), Ok(a));
    }

    #[test]
    fn the_village_meetings_come_with_it_only_for_its_villages() {
        use crate::aid::meeting_book::VillageMeeting;
        let mut a = assignment();
        let mut meeting = VillageMeeting {
            kode_desa: "35.13.14.2001".to_owned(),
            ..VillageMeeting::default()
        };
        meeting.meeting.period = "Musdesus Desember 2026".to_owned();
        a.musdes.push(meeting.clone());
        assert_eq!(parse_assignment(&bytes(&a)), Ok(a.clone()));
        meeting.kode_desa = "35.13.14.2009".to_owned();
        a.musdes.push(meeting);
        assert_eq!(
            parse_assignment(&bytes(&a)),
            Err(AssignmentError::MeetingOutsideVillages {
                village: "35.13.14.2009".to_owned(),
                period: "Musdesus Desember 2026".to_owned()
            })
        );
    }

    /// A newer hub's assignment: fields this app does not know are left unread, and the
    /// families still arrive (an older app refused the whole assignment).
    #[test]
    fn fields_of_a_newer_hub_are_left_unread() {
        let mut json: serde_json::Value = serde_json::from_slice(&bytes(&assignment())).expect("json");
        json["rencana_2027"] = serde_json::json!({"apa": "bagian baru"});
        json["forms"] = serde_json::json!([
            {"id": "cek", "version": "2", "title": "Cek", "definition": "{}", "hash": "abc"}
        ]);
        let read = parse_assignment(&serde_json::to_vec(&json).expect("bytes")).expect("read");
        assert_eq!(read.families, assignment().families);
        assert_eq!(read.forms.len(), 1);
        assert_eq!(read.forms[0].id, "cek");
    }

    #[test]
    fn bad_assignments_are_refused_with_the_reason() {
        assert!(matches!(
            parse_assignment(b"PK\x03\x04"),
            Err(AssignmentError::NotAnAssignment(_))
        ));
        assert!(matches!(
            parse_assignment(br#"{"hub":"x"}"#),
            Err(AssignmentError::NotAnAssignment(_))
        ));
        type Spoil = fn(&mut Assignment);
        let cases: [(Spoil, AssignmentError); 5] = [
            (
                |a| a.villages[0] = "35.13".to_owned(),
                AssignmentError::BadVillage("35.13".to_owned()),
            ),
            (
                |a| a.families[1].prelist_id = " ".to_owned(),
                AssignmentError::MissingId(2),
            ),
            (
                |a| a.families[1].prelist_id = "A1".to_owned(),
                AssignmentError::DuplicateId("A1".to_owned()),
            ),
            (
                |a| a.families[0].kode_desa = "35.13.14.2002".to_owned(),
                AssignmentError::OutsideVillages {
                    id: "A1".to_owned(),
                    village: "35.13.14.2002".to_owned(),
                },
            ),
            (
                |a| a.families[0].members[0].nik = Some("3.51314E+15".to_owned()),
                AssignmentError::BadNumber {
                    id: "A1".to_owned(),
                    number: "3.51314E+15".to_owned(),
                },
            ),
        ];
        for (spoil, expected) in cases {
            let mut a = assignment();
            spoil(&mut a);
            let err = parse_assignment(&bytes(&a)).expect_err("refused");
            assert_eq!(err, expected);
            assert!(!err.to_string().is_empty());
        }
    }
}
