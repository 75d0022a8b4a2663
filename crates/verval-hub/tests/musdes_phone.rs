//! Village meetings recorded on the phone (issue #24): sent in the sync round to
//! `POST /api/v1/musdes`, taken decision by decision, and handed back with the assignment.
//! A decision the district changed since the phone saw it stands; one on a household the hub
//! does not hold yet waits on the phone; a meeting the hub refuses does not hold back the
//! others in the same round.

mod support;

use support::*;
use verval_core::aid::meeting_book::{
    MeetingBook, MeetingDecision, MusdesAnswer, MusdesUpload, VillageMeeting,
};
use verval_core::aid::musdes::Meeting;
use verval_core::sync::api::MUSDES_PATH;
use verval_hub::audit::Actor;
use verval_hub::staff::Scope;
use verval_hub::Config;

const VILLAGE: &str = "35.13.14.2001";
const OTHER_VILLAGE: &str = "35.13.14.2002";

fn meeting(village: &str, period: &str, decisions: Vec<MeetingDecision>) -> VillageMeeting {
    VillageMeeting {
        kode_desa: village.to_owned(),
        meeting: Meeting {
            period: period.to_owned(),
            number: "140/12/BA/2026".to_owned(),
            held_on: "2026-01-15".to_owned(),
            place: "Balai Desa".to_owned(),
            chair: "Kepala Desa".to_owned(),
        },
        decisions,
    }
}

fn decided(record_id: &str, decision: &str, hub_at: i64) -> MeetingDecision {
    MeetingDecision {
        record_id: record_id.to_owned(),
        revision: 1,
        decision: decision.to_owned(),
        note: String::new(),
        hub_at,
    }
}

async fn send(addr: std::net::SocketAddr, token: &str, body: String) -> reqwest::Response {
    client()
        .post(format!("http://{addr}{MUSDES_PATH}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("musdes request")
}

async fn sent(addr: std::net::SocketAddr, token: &str, upload: &MusdesUpload) -> MusdesAnswer {
    let answer = send(addr, token, serde_json::to_string(upload).expect("json")).await;
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("answer body")
}

async fn stored(db: &verval_hub::db::Db) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT record_id, decision, revision FROM musdes_decisions ORDER BY record_id")
        .fetch_all(&db.pool)
        .await
        .expect("decisions")
}

async fn stored_at(db: &verval_hub::db::Db, record_id: &str) -> i64 {
    sqlx::query_scalar("SELECT updated_at FROM musdes_decisions WHERE record_id = $1")
        .bind(record_id)
        .fetch_one(&db.pool)
        .await
        .expect("decision")
}

async fn audited(db: &verval_hub::db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'musdes'")
        .fetch_one(&db.pool)
        .await
        .expect("audit count")
}

async fn a_meeting_recorded_on_the_phone_reaches_the_hub_and_comes_back(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "phone-musdes").await;
    let (a, b) = (family(1, VILLAGE), family(2, VILLAGE));
    let uploaded = upload(
        addr,
        Some(&device.token),
        batch(&[a.clone(), b.clone()], "phone-musdes").bytes,
    )
    .await;
    assert_eq!(uploaded.status(), 200);
    let (a_id, b_id) = (a.id.to_string(), b.id.to_string());

    // Recorded on the phone: two families here, one whose household has not arrived.
    let mut book = MeetingBook::default();
    let today = verval_core::date::Date::new(2026, 12, 6).expect("date");
    let typed = meeting(
        VILLAGE,
        "Musdesus Desember 2026",
        vec![
            decided(&a_id, "disetujui", 0),
            decided(&b_id, "ditunda", 0),
            decided("0b0b0b0b-0b0b-4b0b-8b0b-00000000ffff", "disetujui", 0),
        ],
    );
    book.save(typed, None, today).expect("kept on the phone");
    let upload = book.to_send().expect("something to send");
    let answer = sent(addr, &device.token, &upload).await;
    assert_eq!(answer.meetings.len(), 1);
    let taken = &answer.meetings[0];
    assert_eq!(taken.problem, "");
    assert_eq!(taken.waiting, ["0b0b0b0b-0b0b-4b0b-8b0b-00000000ffff"]);
    let state = taken.state.as_ref().expect("the hub's meeting");
    assert_eq!(state.decisions.len(), 2);
    assert!(state.decisions.iter().all(|d| d.hub_at > 0));
    let mut expected = vec![
        (a_id.clone(), "disetujui".to_owned(), 1),
        (b_id.clone(), "ditunda".to_owned(), 1),
    ];
    expected.sort();
    assert_eq!(stored(&db).await, expected);
    // The meeting and the decisions: two audit events, the second naming the phone.
    assert_eq!(audited(&db).await, 2);
    assert_eq!(book.take_answer(&upload, &answer), 0);
    assert!(book.meetings[0].unsent, "the waiting decision goes again");

    // The hub's page sees the meeting the phone made.
    let meetings = verval_hub::musdes::meetings_within(&db, &Scope::everywhere())
        .await
        .expect("meetings");
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].meeting.period, "Musdesus Desember 2026");

    // The district changes b; the phone, not knowing it, sends b again as agreed.
    let list = verval_hub::musdes::list(&db, meetings[0].id, &Scope::everywhere(), today)
        .await
        .expect("list");
    let shown = list
        .families
        .iter()
        .find(|f| f.record_id == b_id)
        .and_then(|f| f.decided.as_ref())
        .map(|d| d.updated_at);
    let typed = verval_hub::musdes::Typed {
        record_id: b_id.clone(),
        decision: "tidak_disetujui".to_owned(),
        note: "pindah desa".to_owned(),
        shown,
    };
    verval_hub::musdes::decide(
        &db,
        meetings[0].id,
        &[typed],
        &Scope::everywhere(),
        &Actor::cli(),
        today,
    )
    .await
    .expect("the district decides");
    let shown = book.meetings[0].meeting.clone();
    let mut again = shown.clone();
    again
        .decisions
        .iter_mut()
        .find(|d| d.record_id == b_id)
        .expect("b")
        .decision = "disetujui".to_owned();
    book.save(again, Some(&shown), today).expect("saved on the phone");
    let upload = book.to_send().expect("to send");
    let answer = sent(addr, &device.token, &upload).await;
    let b_at_hub = stored(&db).await.into_iter().find(|(id, _, _)| *id == b_id);
    assert_eq!(
        b_at_hub.map(|(_, d, _)| d).as_deref(),
        Some("tidak_disetujui"),
        "the district's stands"
    );
    assert_eq!(book.take_answer(&upload, &answer), 1, "the phone is told");
    assert_eq!(book.meetings[0].overruled[0].decision, "disetujui");
    let on_phone = book.meetings[0].meeting.decision(&b_id).expect("b");
    assert_eq!(on_phone.decision, "tidak_disetujui");
    assert!(book.meetings[0].unsent, "the family not arrived still waits");

    // Having seen the district's, the phone may change it.
    let shown = book.meetings[0].meeting.clone();
    let mut changed = shown.clone();
    changed
        .decisions
        .iter_mut()
        .find(|d| d.record_id == b_id)
        .expect("b")
        .decision = "ditunda".to_owned();
    book.save(changed, Some(&shown), today).expect("saved");
    let upload = book.to_send().expect("to send");
    let answer = sent(addr, &device.token, &upload).await;
    assert_eq!(book.take_answer(&upload, &answer), 0);
    let b_at_hub = stored(&db).await.into_iter().find(|(id, _, _)| *id == b_id);
    assert_eq!(b_at_hub.map(|(_, d, _)| d).as_deref(), Some("ditunda"));

    // The assignment carries the meeting back, as the hub holds it.
    let assignment = assignment(addr, &device.token).await;
    assert_eq!(assignment.musdes.len(), 1);
    let mut fresh_phone = MeetingBook::default();
    fresh_phone.take_hub(&assignment.musdes);
    // The same as the phone holds, less the decision still waiting there.
    let mut expected = book.meetings[0].meeting.clone();
    expected
        .decisions
        .retain(|d| d.record_id != "0b0b0b0b-0b0b-4b0b-8b0b-00000000ffff");
    assert_eq!(fresh_phone.meetings[0].meeting, expected);
}
both!(a_meeting_recorded_on_the_phone_reaches_the_hub_and_comes_back);

async fn a_meeting_the_hub_refuses_holds_back_no_other(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "phone-refused").await;
    let a = family(3, VILLAGE);
    let uploaded = upload(
        addr,
        Some(&device.token),
        batch(std::slice::from_ref(&a), "phone-refused").bytes,
    )
    .await;
    assert_eq!(uploaded.status(), 200);
    let mut future = meeting(VILLAGE, "Musdesus 2099", vec![]);
    future.meeting.held_on = "2099-01-01".to_owned();
    let unknown = meeting(
        VILLAGE,
        "Musdesus X",
        vec![decided(&a.id.to_string(), "entah", 0)],
    );
    let mixed = MusdesUpload {
        meetings: vec![
            meeting(OTHER_VILLAGE, "Musdesus Desember 2026", vec![]),
            future,
            unknown,
            meeting(
                VILLAGE,
                "Musdesus Desember 2026",
                vec![decided(&a.id.to_string(), "disetujui", 0)],
            ),
        ],
    };
    let answer = sent(addr, &device.token, &mixed).await;
    let problems: Vec<&str> = answer.meetings.iter().map(|m| m.problem.as_str()).collect();
    assert!(problems[0].contains("bukan desa tugas HP ini"), "{problems:?}");
    assert!(problems[1].contains("masa depan"), "{problems:?}");
    assert!(problems[2].contains("entah"), "{problems:?}");
    assert_eq!(problems[3], "");
    assert_eq!(
        count(&db, "musdes_meetings").await,
        1,
        "only the good meeting is recorded"
    );
    assert_eq!(count(&db, "musdes_decisions").await, 1);

    // The phone changes its own decision before it took the answer that gave it the hub's
    // mark: its own write is no conflict.
    let again = MusdesUpload {
        meetings: vec![meeting(
            VILLAGE,
            "Musdesus Desember 2026",
            vec![decided(&a.id.to_string(), "ditunda", 0)],
        )],
    };
    sent(addr, &device.token, &again).await;
    let a_at_hub: String = sqlx::query_scalar("SELECT decision FROM musdes_decisions WHERE record_id = $1")
        .bind(a.id.to_string())
        .fetch_one(&db.pool)
        .await
        .expect("a");
    assert_eq!(a_at_hub, "ditunda");

    // A family another enumerator verified in the same village: this phone's decision on it
    // is not taken, and the answer shows the hub's (none).
    let other = enrolled(&db, addr, &[VILLAGE], "phone-other").await;
    let theirs = family(4, VILLAGE);
    let uploaded = upload(
        addr,
        Some(&other.token),
        batch(std::slice::from_ref(&theirs), "phone-other").bytes,
    )
    .await;
    assert_eq!(uploaded.status(), 200);
    let reach = MusdesUpload {
        meetings: vec![meeting(
            VILLAGE,
            "Musdesus Desember 2026",
            vec![
                decided(
                    &a.id.to_string(),
                    "disetujui",
                    stored_at(&db, &a.id.to_string()).await,
                ),
                decided(&theirs.id.to_string(), "disetujui", 0),
            ],
        )],
    };
    let answer = sent(addr, &device.token, &reach).await;
    let state = answer.meetings[0].state.as_ref().expect("taken");
    assert!(
        state.decision(&theirs.id.to_string()).is_none(),
        "another's family not decided"
    );
    assert!(answer.meetings[0].waiting.is_empty());
    assert_eq!(count(&db, "musdes_decisions").await, 1);

    // What is not a meeting list, too much at once, or no token: refused whole, with why.
    let bad = send(
        addr,
        &device.token,
        "{\"meetings\":[{\"kode_desa\":1}]}".to_owned(),
    )
    .await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.expect("body").contains("tidak terbaca"));
    let many = MusdesUpload {
        meetings: (0..51)
            .map(|i| meeting(VILLAGE, &format!("Musdesus {i}"), vec![]))
            .collect(),
    };
    let too_many = send(addr, &device.token, serde_json::to_string(&many).expect("json")).await;
    assert_eq!(too_many.status(), 413);
    let no_token = client()
        .post(format!("http://{addr}{MUSDES_PATH}"))
        .body(serde_json::to_string(&mixed).expect("json"))
        .send()
        .await
        .expect("request");
    assert_eq!(no_token.status(), 401);
    assert_eq!(count(&db, "musdes_meetings").await, 1, "nothing more recorded");
}
both!(a_meeting_the_hub_refuses_holds_back_no_other);

/// A phone with no hub hands its meetings over in a batch file: staff upload it, the hub
/// takes the meetings after the file's households and says so on the page; the same file
/// again changes nothing; a batch of meetings alone carries a later change; a family that
/// reached the hub by an enrolled phone's sync is not the file's to decide; a meeting of a
/// village code that does not read is refused with its reason, the others taken.
async fn meetings_in_a_batch_file_are_taken_after_its_households(backend: Backend) {
    const PASSWORD: &str = "kata sandi operator 2026";
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let upload_file = |bytes: Vec<u8>| {
        let web = web.clone();
        let url = format!("{base}/admin/unggah?_t={t}");
        async move {
            let answer = web
                .post(url)
                .multipart(zip_part("musdes.zip", bytes))
                .send()
                .await
                .expect("upload");
            assert_eq!(answer.status(), 200);
            answer.text().await.expect("page")
        }
    };
    // One family reached the hub from an enrolled phone.
    let synced = family(3, VILLAGE);
    let device = enrolled(&db, addr, &[VILLAGE], "phone-synced").await;
    let sync = upload(
        addr,
        Some(&device.token),
        batch(std::slice::from_ref(&synced), "phone-synced").bytes,
    )
    .await;
    assert_eq!(sync.status(), 200);

    let (a, b) = (family(1, VILLAGE), family(2, VILLAGE));
    let (a_id, b_id, s_id) = (a.id.to_string(), b.id.to_string(), synced.id.to_string());
    let first = MusdesUpload {
        meetings: vec![
            meeting(
                VILLAGE,
                "Musdesus Desember 2026",
                vec![
                    decided(&a_id, "disetujui", 0),
                    decided(&b_id, "ditunda", 0),
                    decided(&s_id, "tidak_disetujui", 0),
                ],
            ),
            meeting("bukan kode desa", "Musdesus Desember 2026", vec![]),
        ],
    };
    let file = batch_with_meetings(
        &[a.clone(), b.clone()],
        "hp-tanpa-hub",
        serde_json::to_string(&first).expect("json"),
    );
    let page = upload_file(file.bytes.clone()).await;
    assert!(page.contains("data-testid=\"upload-ok\""), "{page}");
    assert!(
        page.contains("data-testid=\"upload-musdes\" data-taken=\"1\" data-refused=\"1\""),
        "{page}"
    );
    let mut want = vec![
        (a_id.clone(), "disetujui".to_owned(), 1),
        (b_id.clone(), "ditunda".to_owned(), 1),
    ];
    want.sort();
    assert_eq!(
        stored(&db).await,
        want,
        "the synced family is not the file's to decide"
    );
    // The meeting recorded, and its decisions.
    let events = audited(&db).await;
    assert_eq!(events, 2);

    // The same file again: the households and the decisions are there already.
    let again = upload_file(file.bytes).await;
    assert!(again.contains("data-testid=\"upload-repeat\""), "{again}");
    assert_eq!(stored(&db).await, want);
    assert_eq!(audited(&db).await, events, "nothing new taken");

    // A week later, meetings alone: the phone changed one decision (its own, so no conflict).
    let later = MusdesUpload {
        meetings: vec![meeting(
            VILLAGE,
            "Musdesus Desember 2026",
            vec![decided(&a_id, "disetujui", 0), decided(&b_id, "disetujui", 0)],
        )],
    };
    let alone = batch_with_meetings(&[], "hp-tanpa-hub", serde_json::to_string(&later).expect("json"));
    assert_eq!(alone.manifest.record_count, 0);
    let page = upload_file(alone.bytes).await;
    assert!(
        page.contains("data-testid=\"upload-musdes\" data-taken=\"1\" data-refused=\"0\""),
        "{page}"
    );
    assert_eq!(
        stored(&db)
            .await
            .into_iter()
            .find(|(id, _, _)| *id == b_id)
            .map(|d| d.1),
        Some("disetujui".to_owned())
    );
    let by: String = sqlx::query_scalar("SELECT updated_by FROM musdes_decisions WHERE record_id = $1")
        .bind(&b_id)
        .fetch_one(&db.pool)
        .await
        .expect("decision");
    assert!(by.contains("berkas"), "{by}");
    assert_eq!(audited(&db).await, events + 1);
}
both!(meetings_in_a_batch_file_are_taken_after_its_households);
