use super::meeting_book::*;
use super::musdes::Meeting;
use crate::date::Date;

fn today() -> Date {
    Date::new(2026, 12, 6).unwrap()
}

fn meeting(period: &str) -> Meeting {
    Meeting {
        period: period.to_owned(),
        number: "01/BA/XII/2026".to_owned(),
        held_on: "2026-12-05".to_owned(),
        place: "Balai desa".to_owned(),
        chair: "Kepala Desa".to_owned(),
    }
}

fn decided(record_id: &str, revision: u32, decision: &str, note: &str, hub_at: i64) -> MeetingDecision {
    MeetingDecision {
        record_id: record_id.to_owned(),
        revision,
        decision: decision.to_owned(),
        note: note.to_owned(),
        hub_at,
    }
}

fn village(decisions: Vec<MeetingDecision>) -> VillageMeeting {
    VillageMeeting {
        kode_desa: "35.13.14.2001".to_owned(),
        meeting: meeting("Musdesus Desember 2026"),
        decisions,
    }
}

#[test]
fn the_hub_takes_a_decision_only_on_what_the_phone_saw() {
    let sent = decided("a", 2, "disetujui", "", 0);
    let seen = decided("a", 2, "disetujui", "", 7);
    // (sent, the hub's decision, current revision at the hub, expected)
    let cases: [(&MeetingDecision, Option<HubDecision>, Option<u32>, Take); 9] = [
        (&sent, None, Some(2), Take::Write),
        (&sent, None, Some(3), Take::Write),
        (&sent, None, None, Take::Waiting),
        (&sent, None, Some(1), Take::Waiting),
        (&sent, Some(("disetujui", "", 7)), Some(2), Take::Same),
        (&sent, Some(("ditunda", "", 7)), Some(2), Take::Conflict),
        (&seen, Some(("ditunda", "", 7)), Some(2), Take::Write),
        (&seen, Some(("ditunda", "", 8)), Some(2), Take::Conflict),
        // The district took its decision back since the phone saw it.
        (&seen, None, Some(2), Take::Conflict),
    ];
    for (i, (sent, hub, current, expected)) in cases.into_iter().enumerate() {
        assert_eq!(take_decision(sent, hub, current), expected, "case {i}");
    }
}

#[test]
fn a_meeting_is_kept_only_without_problems_each_named() {
    let mut book = MeetingBook::default();
    let mut bad = village(vec![
        decided("a", 1, "entah", "", 0),
        decided("b", 1, "disetujui", "", 0),
        decided("b", 1, "ditunda", "", 0),
    ]);
    bad.meeting.number = " ".to_owned();
    bad.meeting.held_on = "2026-12-31".to_owned();
    let problems = book.save(bad, today()).unwrap_err();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("nomor berita acara")));
    assert!(problems.iter().any(|p| p.contains("masa depan")));
    assert!(problems
        .iter()
        .any(|p| p.contains("keluarga a") && p.contains("entah")));
    assert!(problems
        .iter()
        .any(|p| p.contains("keluarga b") && p.contains("dua kali")));
    assert!(book.meetings.is_empty());
}

#[test]
fn saving_marks_unsent_keeps_the_hubs_mark_and_drops_a_local_undecided() {
    let mut book = MeetingBook::default();
    book.take_hub(&[village(vec![decided("a", 1, "ditunda", "", 5)])]);
    assert!(book.to_send().is_none(), "the hub's own meeting is not sent back");
    let typed = village(vec![
        decided("a", 1, "disetujui", " dibahas ulang ", 0),
        decided("b", 1, "", "", 0),
    ]);
    assert_eq!(book.save(typed.clone(), today()), Ok(true));
    let kept = &book.meetings[0];
    assert!(kept.unsent);
    assert_eq!(
        kept.meeting.decisions,
        vec![decided("a", 1, "disetujui", "dibahas ulang", 5)]
    );
    assert_eq!(book.save(typed, today()), Ok(false), "saved again unchanged");
    let sent = book.to_send().unwrap();
    assert_eq!(sent.meetings.len(), 1);
    // Taking back a decision the hub holds is sent as an empty one.
    let cleared = village(vec![decided("a", 1, "", "", 0)]);
    assert_eq!(book.save(cleared, today()), Ok(true));
    assert_eq!(
        book.meetings[0].meeting.decisions,
        vec![decided("a", 1, "", "", 5)]
    );
}

#[test]
fn the_answer_settles_taken_waiting_and_overruled_decisions() {
    let mut book = MeetingBook::default();
    let typed = village(vec![
        decided("taken", 1, "disetujui", "", 0),
        decided("waits", 1, "ditunda", "", 0),
        decided("overruled", 1, "disetujui", "", 0),
    ]);
    book.save(typed, today()).unwrap();
    let sent = book.to_send().unwrap();
    let mut state = village(vec![
        decided("taken", 1, "disetujui", "", 10),
        decided("overruled", 1, "tidak_disetujui", "bukan warga desa", 9),
        decided("other", 3, "ditunda", "", 8),
    ]);
    state.meeting.place = "Kantor desa".to_owned();
    let answer = MusdesAnswer {
        meetings: vec![MeetingAnswer {
            state: Some(state),
            problem: String::new(),
            waiting: vec!["waits".to_owned()],
        }],
    };
    assert_eq!(book.take_answer(&sent, &answer), 1);
    let kept = &book.meetings[0];
    assert_eq!(
        kept.meeting.meeting.place, "Kantor desa",
        "the hub's meeting details"
    );
    let ids: Vec<(&str, &str)> = kept
        .meeting
        .decisions
        .iter()
        .map(|d| (d.record_id.as_str(), d.decision.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("taken", "disetujui"),
            ("overruled", "tidak_disetujui"),
            ("other", "ditunda"),
            ("waits", "ditunda")
        ]
    );
    assert!(kept.unsent, "a waiting decision is sent again");
    assert_eq!(kept.overruled, vec![decided("overruled", 1, "disetujui", "", 0)]);
    // Saving again clears the overruled list once the enumerator has seen it.
    let again = kept.meeting.clone();
    assert_eq!(book.save(again, today()), Ok(true));
    assert!(book.meetings[0].overruled.is_empty());
}

#[test]
fn a_meeting_changed_since_sent_or_refused_is_not_replaced() {
    let mut book = MeetingBook::default();
    book.save(village(vec![decided("a", 1, "disetujui", "", 0)]), today())
        .unwrap();
    let sent = book.to_send().unwrap();
    book.save(village(vec![decided("a", 1, "ditunda", "", 0)]), today())
        .unwrap();
    let answer = MusdesAnswer {
        meetings: vec![MeetingAnswer {
            state: Some(village(vec![decided("a", 1, "disetujui", "", 4)])),
            ..MeetingAnswer::default()
        }],
    };
    assert_eq!(book.take_answer(&sent, &answer), 0);
    assert_eq!(book.meetings[0].meeting.decisions[0].decision, "ditunda");
    assert!(book.meetings[0].unsent);

    let sent = book.to_send().unwrap();
    let refused = MusdesAnswer {
        meetings: vec![MeetingAnswer {
            problem: "desa bukan tugas HP ini".to_owned(),
            ..MeetingAnswer::default()
        }],
    };
    book.take_answer(&sent, &refused);
    assert_eq!(book.meetings[0].refused, "desa bukan tugas HP ini");
    assert!(book.meetings[0].unsent, "a refused meeting is not dropped");
    // The assignment does not replace a meeting the hub has not taken.
    book.take_hub(&[village(vec![])]);
    assert_eq!(book.meetings[0].meeting.decisions.len(), 1);
}

#[test]
fn meetings_travel_as_json_and_unknown_fields_are_refused() {
    let upload = MusdesUpload {
        meetings: vec![village(vec![decided("a", 1, "disetujui", "", 0)])],
    };
    let text = serde_json::to_string(&upload).unwrap();
    assert_eq!(serde_json::from_str::<MusdesUpload>(&text).unwrap(), upload);
    let extra = text.replacen("\"kode_desa\"", "\"lain\":1,\"kode_desa\"", 1);
    assert!(serde_json::from_str::<MusdesUpload>(&extra).is_err());
}

#[test]
fn a_villages_meetings_newest_first() {
    let mut book = MeetingBook::default();
    let mut older = village(vec![]);
    older.meeting = Meeting {
        period: "Musdesus Oktober 2026".to_owned(),
        held_on: "2026-10-20".to_owned(),
        ..meeting("")
    };
    book.take_hub(&[older, village(vec![])]);
    let periods: Vec<&str> = book
        .of_village("35.13.14.2001")
        .iter()
        .map(|k| k.meeting.meeting.period.as_str())
        .collect();
    assert_eq!(periods, ["Musdesus Desember 2026", "Musdesus Oktober 2026"]);
    assert!(book.of_village("35.13.14.2002").is_empty());
}
