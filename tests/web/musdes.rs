//! The village meetings kept on the phone (issue #24), against real IndexedDB: a meeting
//! saved before the PIN is sealed by the first unlock and reads back the same, a store with
//! another key cannot read it, and the hub's meetings arrive with the assignment without
//! replacing one changed on the phone and not yet sent.

use crate::campaign::{assignment, family};
use crate::fixtures::{delete_db, fresh_store};
use crate::sealing::{key, raw_values};
use verval::storage::schema::v3;
use verval::storage::Source;
use verval_core::aid::meeting_book::{
    MeetingAnswer, MeetingDecision, MusdesAnswer, MusdesUpload, VillageMeeting,
};
use verval_core::aid::musdes::Meeting;
use verval_core::date::Date;
use verval_core::record::Timestamp;
use wasm_bindgen_test::wasm_bindgen_test;

const DESA: &str = "35.13.14.2001";
const NOTE: &str = "SITI AMINAH pindah ke Surabaya";

fn meeting(decision: &str, hub_at: i64) -> VillageMeeting {
    VillageMeeting {
        kode_desa: DESA.to_owned(),
        meeting: Meeting {
            period: "Musdesus Desember 2026".to_owned(),
            number: "140/12/BA/2026".to_owned(),
            held_on: "2026-12-01".to_owned(),
            place: "Balai Desa".to_owned(),
            chair: "Kepala Desa".to_owned(),
        },
        decisions: vec![MeetingDecision {
            record_id: "0b0b0b0b-0b0b-4b0b-8b0b-000000000001".to_owned(),
            revision: 1,
            decision: decision.to_owned(),
            note: NOTE.to_owned(),
            hub_at,
        }],
    }
}

fn today() -> Date {
    Date::new(2026, 12, 6).unwrap()
}

fn readable(values: &[String]) -> bool {
    values.iter().any(|v| v.contains("AMINAH"))
}

#[wasm_bindgen_test]
async fn a_meeting_kept_before_the_pin_is_sealed_by_the_first_unlock_and_reads_the_same() {
    let (store, name) = fresh_store("musdes-sealed").await;
    let saved = store
        .change_meeting_book(|book| book.save(meeting("disetujui", 0), None, today()))
        .await
        .unwrap();
    assert_eq!(saved, Ok(true));
    let before = store.meeting_book().await.unwrap();
    assert!(
        readable(&raw_values(&name, v3::META).await),
        "plain before the PIN"
    );
    store.hold_key(key(1));
    store.seal_all_once().await.unwrap();
    assert!(
        !readable(&raw_values(&name, v3::META).await),
        "sealed by the first unlock"
    );
    assert_eq!(store.meeting_book().await.unwrap(), before);
    // Written again while unlocked: still sealed.
    let shown = before.meetings[0].meeting.clone();
    store
        .change_meeting_book(move |book| book.save(meeting("ditunda", 0), Some(&shown), today()))
        .await
        .unwrap()
        .unwrap();
    assert!(!readable(&raw_values(&name, v3::META).await));
    assert_eq!(
        store.meeting_book().await.unwrap().meetings[0].meeting.decisions[0].decision,
        "ditunda"
    );

    // The sync worker's side, without the book's reader: what to send as JSON, the hub's
    // answer kept (sealed) and taken by the book's next read.
    let sent = store
        .meetings_to_send()
        .await
        .unwrap()
        .expect("something to send");
    let upload: MusdesUpload = serde_json::from_str(&sent).unwrap();
    assert_eq!(upload.meetings.len(), 1);
    // An answer that is not one (a WiFi login page) is let go; the meeting stays unsent.
    store.keep_meetings_answer(&sent, "{\"html\": 1}").await.unwrap();
    assert!(store.meeting_book().await.unwrap().meetings[0].unsent);
    let answer = MusdesAnswer {
        meetings: vec![MeetingAnswer {
            state: Some(meeting("ditunda", 42)),
            ..MeetingAnswer::default()
        }],
    };
    let answer = serde_json::to_string(&answer).unwrap();
    store.keep_meetings_answer(&sent, &answer).await.unwrap();
    assert!(
        !readable(&raw_values(&name, v3::META).await),
        "the answer sealed too"
    );
    let book = store.meeting_book().await.unwrap();
    assert!(!book.meetings[0].unsent, "taken by the hub");
    assert_eq!(book.meetings[0].meeting.decisions[0].hub_at, 42);
    assert_eq!(
        store.meetings_to_send().await.unwrap(),
        None,
        "nothing left to send"
    );

    store.close();
    let other = verval::storage::IdbStore::open(&name).await.unwrap();
    other.hold_key(key(2));
    assert!(
        other.meeting_book().await.is_err(),
        "another key does not open it"
    );
    other.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_hubs_meetings_come_with_the_assignment_and_leave_one_changed_here() {
    let (store, name) = fresh_store("musdes-assignment").await;
    let mut list = assignment(vec![family("A", "3513141203150001", "Krajan")]);
    list.musdes = vec![meeting("disetujui", 5)];
    store
        .save_assignment(&list, Source::Hub, Timestamp(1), "hub")
        .await
        .unwrap();
    let book = store.meeting_book().await.unwrap();
    assert_eq!(book.meetings.len(), 1);
    assert!(!book.meetings[0].unsent, "the hub's own is not sent back");
    assert_eq!(book.meetings[0].meeting, meeting("disetujui", 5));

    // Changed on the phone, then a newer list from the hub: the phone's change stays, and
    // keeps what it knew of the hub's decision.
    store
        .change_meeting_book(|book| {
            book.save(
                meeting("tidak_disetujui", 5),
                Some(&meeting("disetujui", 5)),
                today(),
            )
        })
        .await
        .unwrap()
        .unwrap();
    list.musdes = vec![meeting("ditunda", 9)];
    store
        .save_assignment(&list, Source::Hub, Timestamp(2), "hub")
        .await
        .unwrap();
    let kept = &store.meeting_book().await.unwrap().meetings[0];
    assert!(kept.unsent);
    assert_eq!(kept.meeting.decisions[0].decision, "tidak_disetujui");
    assert_eq!(kept.meeting.decisions[0].hub_at, 5);
    assert_eq!(
        store
            .meeting_book()
            .await
            .unwrap()
            .to_send()
            .unwrap()
            .meetings
            .len(),
        1
    );
    store.close();
    delete_db(&name).await;
}

/// The campaign page asks the export worker for the meeting's workbook with its own narrow
/// copies of the messages: they must read as the worker's own.
#[wasm_bindgen_test]
fn the_workbook_messages_of_the_campaign_page_read_as_the_export_workers() {
    use verval::export_job::protocol::{Job, Reply, Request, WorkbookJob, WorkbookReply, WorkbookRequest};
    let rows = vec![vec!["1".to_owned(), "SITI AMINAH".to_owned()]];
    let asked = WorkbookRequest {
        job: WorkbookJob::MusdesWorkbook { rows: rows.clone() },
    };
    let read: Request =
        serde_wasm_bindgen::from_value(serde_wasm_bindgen::to_value(&asked).unwrap()).unwrap();
    assert_eq!(read.job, Job::MusdesWorkbook { rows });
    assert_eq!(read.session, None);
    let as_page = |reply: Reply| -> WorkbookReply {
        serde_wasm_bindgen::from_value(serde_wasm_bindgen::to_value(&reply).unwrap()).unwrap()
    };
    assert_eq!(as_page(Reply::Ready), WorkbookReply::Ready);
    assert_eq!(
        as_page(Reply::Workbook {
            bytes: vec![80, 75, 3]
        }),
        WorkbookReply::Workbook {
            bytes: vec![80, 75, 3]
        }
    );
    assert_eq!(
        as_page(Reply::Failed {
            id: "gagal".to_owned(),
            en: "failed".to_owned()
        }),
        WorkbookReply::Failed {
            id: "gagal".to_owned(),
            en: "failed".to_owned()
        }
    );
    assert_eq!(as_page(Reply::Writing), WorkbookReply::Other);
}

#[wasm_bindgen_test]
async fn a_batch_file_carries_the_meetings_until_the_hub_takes_them() {
    let (store, name) = fresh_store("musdes-batch").await;
    // Whether the meetings go in the next batch, changed since one that may still leave.
    let changed = || async {
        let batches = store.batches().await.unwrap();
        store.meetings_for_batch(&batches, false).await.unwrap()
    };
    assert_eq!(changed().await, None, "none kept");
    store
        .change_meeting_book(|book| book.save(meeting("disetujui", 0), None, today()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed().await, Some(true), "never carried yet");
    let json = store.meetings_to_send().await.unwrap().expect("to carry");
    // Carried by a batch file: not changed while that file may still leave the phone.
    let file = crate::exports::info(7, 0);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"PK!"[..]));
    let zip = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    store.save_batch(&file, &zip, 1, &[]).await.unwrap();
    store.meetings_batched(&file.batch_id, &json).await.unwrap();
    assert_eq!(
        changed().await,
        Some(false),
        "carried by the last batch, and still carried until the hub takes it"
    );
    // A plain file, on a phone that seals now, may not leave: to carry again.
    let batches = store.batches().await.unwrap();
    assert_eq!(
        store.meetings_for_batch(&batches, true).await.unwrap(),
        Some(true)
    );
    // The file deleted before it was handed over: the meetings are to carry again.
    store
        .delete_batch_file(&file.batch_id, Timestamp(9))
        .await
        .unwrap();
    assert_eq!(changed().await, Some(true));
    let file = crate::exports::info(8, 0);
    store.save_batch(&file, &zip, 2, &[]).await.unwrap();
    store.meetings_batched(&file.batch_id, &json).await.unwrap();
    assert_eq!(changed().await, Some(false));
    // Changed again: a batch of its own is offered.
    let shown = store.meeting_book().await.unwrap().meetings[0].meeting.clone();
    store
        .change_meeting_book(move |book| book.save(meeting("ditunda", 0), Some(&shown), today()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed().await, Some(true));
    assert!(store
        .meetings_to_send()
        .await
        .unwrap()
        .unwrap()
        .contains("ditunda"));
    // Sealed under the PIN like the rest of the meetings.
    store.hold_key(key(1));
    store.seal_all_once().await.unwrap();
    assert!(!readable(&raw_values(&name, v3::META).await));
    assert_eq!(changed().await, Some(true));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_backup_carries_the_meetings_and_the_new_phone_takes_them() {
    let (old, old_name) = fresh_store("musdes-backup-old").await;
    old.change_meeting_book(|book| book.save(meeting("disetujui", 0), None, today()))
        .await
        .unwrap()
        .unwrap();
    let backup = old.phone_backup("0a0a0a0a-old", Timestamp(100)).await.unwrap();
    assert!(backup.meetings.contains("AMINAH"), "the book in the backup");
    assert_eq!(backup.meeting_book().unwrap(), old.meeting_book().await.unwrap());

    let (phone, name) = fresh_store("musdes-backup-new").await;
    phone.hold_key(key(3));
    phone.seal_all_once().await.unwrap();
    phone.restore_backup(&backup).await.unwrap();
    assert!(
        !readable(&raw_values(&name, v3::META).await),
        "kept sealed until the book takes it"
    );
    let book = phone.meeting_book().await.unwrap();
    assert_eq!(book, old.meeting_book().await.unwrap());
    assert!(book.meetings[0].unsent, "still to send from the new phone");
    // Restoring again changes nothing.
    phone.restore_backup(&backup).await.unwrap();
    assert_eq!(phone.meeting_book().await.unwrap(), book);
    // Two backups restored before the book is read again: both are taken.
    let mut other = backup.clone();
    let mut second = meeting("ditunda", 0);
    second.meeting.period = "Musdesus Januari 2027".to_owned();
    other.meetings = serde_json::to_string_pretty(&verval_core::aid::meeting_book::MeetingBook {
        meetings: vec![verval_core::aid::meeting_book::Kept {
            meeting: second,
            unsent: true,
            ..Default::default()
        }],
    })
    .unwrap();
    phone.restore_backup(&other).await.unwrap();
    phone.restore_backup(&backup).await.unwrap();
    let both = phone.meeting_book().await.unwrap();
    assert_eq!(both.meetings.len(), 2, "{both:?}");
    old.close();
    phone.close();
    delete_db(&old_name).await;
    delete_db(&name).await;
}
