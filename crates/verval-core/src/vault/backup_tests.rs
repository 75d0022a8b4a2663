//! The phone's backup (issue #23): sealed to the district and opened only by it; moved to a
//! new phone by re-sealing to that phone's one-time key alone; refused with its reason when
//! damaged or foreign; restored without overwriting anything newer. Debian's `age` opens
//! what is sealed (the standard tool reads our output).

use super::backup::*;
use crate::fields::NAMA_KEPALA_KELUARGA;
use crate::form::default::example::example_family;
use crate::record::{HouseholdRecord, RecordStatus, Timestamp};
use crate::seal::{entropy_len, Identity};
use crate::RecordId;

fn entropy(recipients: usize, seed: u8) -> Vec<u8> {
    (0..entropy_len(recipients))
        .map(|i| (i as u8).wrapping_mul(29).wrapping_add(seed))
        .collect()
}

fn id(n: u8) -> RecordId {
    RecordId::from_random_bytes([n; 16])
}

fn draft(n: u8) -> HouseholdRecord {
    let mut record = example_family(id(n));
    record.status = RecordStatus::Draft;
    record
}

fn photo(n: u8) -> BackupPhoto {
    BackupPhoto {
        key: format!("foto-{}", id(100 + n)),
        mime: "image/jpeg".to_owned(),
        bytes: vec![0xff, 0xd8, n, 0, 255, 7],
    }
}

fn backup() -> PhoneBackup {
    let mut finalized = example_family(id(2));
    finalized.finalize(Timestamp(1_795_600_100_000));
    let kept = finalized.clone();
    finalized.start_correction(Timestamp(1_795_600_200_000));
    PhoneBackup::new(
        Timestamp(1_795_700_000_000),
        "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b",
        vec![draft(1), finalized],
        vec![kept],
        vec![photo(1), photo(2)],
    )
}

fn district() -> [Identity; 2] {
    [Identity::from_random([1; 32]), Identity::from_random([2; 32])]
}

fn sealed() -> Vec<u8> {
    let recipients: Vec<_> = district().iter().map(Identity::recipient).collect();
    seal_backup(&backup(), &recipients, &entropy(2, 3)).expect("sealed")
}

#[test]
fn each_district_key_opens_the_backup_whole_and_no_other_key_does() {
    let sealed = sealed();
    for key in district() {
        assert_eq!(open_backup(&sealed, &[key]).expect("opens"), backup());
    }
    let stranger = Identity::from_random([9; 32]);
    assert!(matches!(
        open_backup(&sealed, &[stranger]),
        Err(BackupError::Sealed(_))
    ));
    // No name is readable in the file.
    let text = String::from_utf8_lossy(&sealed);
    let name = backup().households[0]
        .answers
        .get(NAMA_KEPALA_KELUARGA)
        .to_owned();
    assert!(!name.is_empty());
    assert!(!text.contains(&name));
}

#[test]
fn resealed_for_a_new_phone_only_that_phone_opens_it() {
    let new_phone = Identity::from_random([7; 32]);
    let (answer, summary) = reseal(
        &sealed(),
        &district()[1..],
        &new_phone.recipient(),
        &entropy(1, 4),
    )
    .expect("resealed");
    assert_eq!(
        open_backup(&answer, std::slice::from_ref(&new_phone)).expect("the new phone opens it"),
        backup()
    );
    assert!(
        open_backup(&answer, &district()).is_err(),
        "sealed to the new phone alone"
    );
    assert_eq!(
        summary,
        Summary {
            device_id: backup().device_id,
            made_at: Timestamp(1_795_700_000_000),
            households: 2,
            drafts: 2,
            photos: 2,
        }
    );
    // Only the district can do it.
    let stranger = Identity::from_random([9; 32]);
    assert!(reseal(&sealed(), &[stranger], &new_phone.recipient(), &entropy(1, 4)).is_err());
}

#[test]
fn debian_age_opens_the_sealed_backup_with_a_district_key_file() {
    let dir = std::env::temp_dir().join(format!("verval-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("kunci.txt");
    std::fs::write(&key_file, district()[0].to_file("2026-12-06")).unwrap();
    let file = dir.join(backup().file_name());
    std::fs::write(&file, sealed()).unwrap();
    let out = std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg(&file)
        .output()
        .expect("Debian's age (scripts/ensure-tools installs it)");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        read(&out.stdout).expect("our reader takes what age opened"),
        backup()
    );
}

#[test]
fn the_file_name_says_what_and_when_and_nothing_personal() {
    // 1_795_700_000 s is 2026-11-26 13:33 UTC (`date -u -d @1795700000`).
    assert_eq!(backup().file_name(), "verval-cadangan-0b0b0b0b-20261126-1333.age");
}

/// The backup's content with `change` made to its JSON.
fn changed(change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut value = serde_json::to_value(backup()).unwrap();
    change(&mut value);
    serde_json::to_vec(&value).unwrap()
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_with_its_reason() {
    let refused = |content: &[u8]| read(content).expect_err("refused").to_string();
    assert!(refused(b"PK\x03\x04 not json").contains("tidak terbaca"));
    assert!(refused(&changed(|v| v["format"] = "verval-cadangan/9".into())).contains("verval-cadangan/9"));
    assert!(refused(&changed(|v| v["extra"] = 1.into())).contains("unknown field"));
    let twice = changed(|v| {
        let first = v["households"][0].clone();
        v["households"].as_array_mut().unwrap().push(first);
    });
    assert!(refused(&twice).contains("twice"));
    let orphan = changed(|v| v["revisions"][0]["id"] = id(50).to_string().into());
    assert!(refused(&orphan).contains("does not hold"));
    let path = changed(|v| v["photos"][0]["key"] = "../../etc/passwd".into());
    assert!(refused(&path).contains("photo named"));
    let svg = changed(|v| v["photos"][0]["type"] = "image/svg+xml".into());
    assert!(refused(&svg).contains("svg"));
    let bad_base64 = changed(|v| v["photos"][0]["bytes"] = "***".into());
    assert!(refused(&bad_base64).contains("base64"));
    let newer = changed(|v| v["households"][0]["schema_version"] = 99.into());
    assert!(refused(&newer).contains("rusak"));
    assert!(matches!(
        read(&vec![b' '; MAX_BYTES + 1]),
        Err(BackupError::TooLarge(_))
    ));

    // Sealed, the same checks hold: the district cannot re-seal a damaged backup.
    let recipients = [district()[0].recipient()];
    let sealed_twice = crate::seal::seal(&twice, &recipients, &entropy(1, 5)).unwrap();
    let new_phone = Identity::from_random([7; 32]).recipient();
    assert!(matches!(
        reseal(&sealed_twice, &district(), &new_phone, &entropy(1, 6)),
        Err(BackupError::Damaged(_))
    ));
}

#[test]
fn restoring_adds_what_is_missing_replaces_what_is_older_and_never_what_is_newer() {
    let backup = backup();
    // An empty phone takes everything.
    let fresh = plan(&backup, |_| None);
    assert_eq!((fresh.added, fresh.replaced, fresh.kept), (2, 0, 0));
    assert_eq!(fresh.write, backup.households);

    // The same backup again, onto the phone it was restored to: nothing to write.
    let again = plan(&backup, |id| {
        backup.households.iter().find(|h| &h.id == id).cloned()
    });
    assert_eq!(
        (again.added, again.replaced, again.kept, again.write.len()),
        (0, 0, 2, 0)
    );

    // A phone with its own families: an older draft of household 1 is replaced, a newer
    // edit of household 2 is kept, its own household 3 is not touched.
    let mut older = draft(1);
    older.updated_at = Timestamp(older.updated_at.0 - 60_000);
    let mut newer = backup.households[1].clone();
    newer.updated_at = Timestamp(newer.updated_at.0 + 60_000);
    let phone = [older, newer, draft(3)];
    let merged = plan(&backup, |id| phone.iter().find(|h| &h.id == id).cloned());
    assert_eq!((merged.added, merged.replaced, merged.kept), (0, 1, 1));
    assert_eq!(merged.write, vec![backup.households[0].clone()]);
}

#[test]
fn the_phones_meetings_travel_in_the_backup_and_a_damaged_book_is_refused() {
    use crate::aid::meeting_book::{Kept, MeetingBook, VillageMeeting};
    let book = MeetingBook {
        meetings: vec![Kept {
            meeting: VillageMeeting {
                kode_desa: "35.13.14.2001".to_owned(),
                ..VillageMeeting::default()
            },
            unsent: true,
            ..Kept::default()
        }],
    };
    let mut with_meetings = backup();
    with_meetings.meetings = serde_json::to_string(&book).unwrap();
    let content = serde_json::to_vec(&with_meetings).unwrap();
    let read_back = read(&content).expect("reads");
    assert_eq!(read_back.meeting_book().unwrap(), book);
    // A backup without meetings says nothing of them, and reads as an empty book.
    let plain = serde_json::to_string(&backup()).unwrap();
    assert!(!plain.contains("meetings"));
    assert_eq!(backup().meeting_book().unwrap(), MeetingBook::default());

    let mut damaged = backup();
    damaged.meetings = "{\"meetings\": 3}".to_owned();
    match read(&serde_json::to_vec(&damaged).unwrap()) {
        Err(BackupError::Damaged(why)) => assert!(why.contains("village meetings"), "{why}"),
        other => panic!("{other:?}"),
    }
}
