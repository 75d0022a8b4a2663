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

/// A household id named by a short word, for reading the tests.
fn rid(name: &str) -> String {
    let mut bytes = [0u8; 16];
    for (i, b) in name.bytes().take(16).enumerate() {
        bytes[i] = b;
    }
    crate::ids::RecordId::from_random_bytes(bytes).to_string()
}

fn decided(record_id: &str, revision: u32, decision: &str, note: &str, hub_at: i64) -> MeetingDecision {
    MeetingDecision {
        record_id: rid(record_id),
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
    let problems = book.save(bad, None, today()).unwrap_err();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("nomor berita acara")));
    assert!(problems.iter().any(|p| p.contains("masa depan")));
    assert!(problems
        .iter()
        .any(|p| p.contains(&rid("a")) && p.contains("entah")));
    assert!(problems
        .iter()
        .any(|p| p.contains(&rid("b")) && p.contains("dua kali")));
    assert!(book.meetings.is_empty());
}

#[test]
fn saving_marks_unsent_keeps_the_hubs_mark_and_drops_a_local_undecided() {
    let mut book = MeetingBook::default();
    book.take_hub(&[village(vec![decided("a", 1, "ditunda", "", 5)])]);
    assert!(book.to_send().is_none(), "the hub's own meeting is not sent back");
    let seen = book.meetings[0].meeting.clone();
    let typed = village(vec![
        decided("a", 1, "disetujui", " dibahas ulang ", 5),
        decided("b", 1, "", "", 0),
    ]);
    assert_eq!(book.save(typed.clone(), Some(&seen), today()), Ok(true));
    let kept = book.meetings[0].clone();
    assert!(kept.unsent);
    assert_eq!(
        kept.meeting.decisions,
        vec![decided("a", 1, "disetujui", "dibahas ulang", 5)]
    );
    assert_eq!(
        book.save(kept.meeting.clone(), Some(&kept.meeting), today()),
        Ok(false),
        "saved again unchanged"
    );
    assert_eq!(book.to_send().unwrap().meetings.len(), 1);
    // Taking back a decision the hub holds is sent as an empty one.
    let cleared = village(vec![decided("a", 1, "", "", 5)]);
    assert_eq!(book.save(cleared, Some(&kept.meeting), today()), Ok(true));
    assert_eq!(
        book.meetings[0].meeting.decisions,
        vec![decided("a", 1, "", "", 5)]
    );
    // A new meeting of a period kept already is refused: it is opened instead.
    let problems = book.save(village(vec![]), None, today()).unwrap_err();
    assert!(problems[0].contains("sudah dicatat"), "{problems:?}");
}

#[test]
fn a_form_opened_before_the_district_changed_a_family_does_not_undo_it() {
    let mut book = MeetingBook::default();
    let hub = village(vec![
        decided("a", 1, "ditunda", "", 5),
        decided("b", 1, "ditunda", "", 5),
    ]);
    book.take_hub(std::slice::from_ref(&hub));
    let seen = book.meetings[0].meeting.clone();
    // Meanwhile the district decides a, and the phone hears it.
    book.take_hub(&[village(vec![
        decided("a", 1, "tidak_disetujui", "pindah", 9),
        decided("b", 1, "ditunda", "", 5),
    ])]);
    // The enumerator changes only b on the form still showing a as postponed.
    let typed = village(vec![
        decided("a", 1, "ditunda", "", 5),
        decided("b", 1, "disetujui", "", 5),
    ]);
    book.save(typed, Some(&seen), today()).unwrap();
    let decisions = &book.meetings[0].meeting.decisions;
    assert_eq!(
        decisions[0],
        decided("a", 1, "tidak_disetujui", "pindah", 9),
        "the district's stays"
    );
    assert_eq!(decisions[1], decided("b", 1, "disetujui", "", 5));
    // A change the enumerator made on a stale form goes with what they saw: the hub
    // refuses it as a conflict instead of overwriting the district.
    let mut changed = book.meetings[0].meeting.clone();
    changed.decisions[0].decision = "disetujui".to_owned();
    book.save(changed, Some(&seen), today()).unwrap();
    assert_eq!(book.meetings[0].meeting.decisions[0].hub_at, 5);
}

#[test]
fn the_answer_settles_taken_waiting_and_overruled_decisions() {
    let mut book = MeetingBook::default();
    let typed = village(vec![
        decided("taken", 1, "disetujui", "", 0),
        decided("waits", 1, "ditunda", "", 0),
        decided("overruled", 1, "disetujui", "", 0),
    ]);
    book.save(typed, None, today()).unwrap();
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
            waiting: vec![rid("waits")],
        }],
    };
    assert_eq!(book.take_answer(&sent, &answer), 1);
    let kept = book.meetings[0].clone();
    assert_eq!(
        kept.meeting.meeting.place, "Kantor desa",
        "the hub's meeting details"
    );
    let ids: Vec<(String, &str)> = kept
        .meeting
        .decisions
        .iter()
        .map(|d| (d.record_id.clone(), d.decision.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (rid("taken"), "disetujui"),
            (rid("overruled"), "tidak_disetujui"),
            (rid("other"), "ditunda"),
            (rid("waits"), "ditunda")
        ]
    );
    assert!(kept.unsent, "a waiting decision is sent again");
    assert_eq!(kept.overruled, vec![decided("overruled", 1, "disetujui", "", 0)]);
    // Saving again clears the overruled list once the enumerator has seen it.
    assert_eq!(
        book.save(kept.meeting.clone(), Some(&kept.meeting), today()),
        Ok(true)
    );
    assert!(book.meetings[0].overruled.is_empty());
}

#[test]
fn a_meeting_changed_since_sent_or_refused_is_not_replaced_but_learns_what_was_taken() {
    let mut book = MeetingBook::default();
    book.save(village(vec![decided("a", 1, "disetujui", "", 0)]), None, today())
        .unwrap();
    let sent = book.to_send().unwrap();
    // Saved again while the round was under way: b added, a untouched.
    let seen = book.meetings[0].meeting.clone();
    let typed = village(vec![
        decided("a", 1, "disetujui", "", 0),
        decided("b", 1, "ditunda", "", 0),
    ]);
    book.save(typed, Some(&seen), today()).unwrap();
    let answer = MusdesAnswer {
        meetings: vec![MeetingAnswer {
            state: Some(village(vec![decided("a", 1, "disetujui", "", 4)])),
            ..MeetingAnswer::default()
        }],
    };
    assert_eq!(book.take_answer(&sent, &answer), 0);
    let kept = book.meetings[0].clone();
    assert!(kept.unsent, "b still to send");
    assert_eq!(kept.meeting.decisions.len(), 2);
    assert_eq!(kept.meeting.decisions[0].hub_at, 4, "what the hub took is learnt");
    // Taken back now, it goes with the hub's mark: no conflict at the hub.
    let mut cleared = kept.meeting.clone();
    cleared.decisions[0].decision = String::new();
    book.save(cleared, Some(&kept.meeting), today()).unwrap();
    assert_eq!(book.meetings[0].meeting.decisions[0], decided("a", 1, "", "", 4));

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
    assert_eq!(book.meetings[0].meeting.decisions.len(), 2);
}

#[test]
fn a_decision_names_a_household_id() {
    let mut meeting = village(vec![decided("a", 1, "disetujui", "", 0)]);
    meeting.decisions[0].record_id = "../../etc".to_owned();
    let problems = meeting.problems(today());
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("bukan ID keluarga"), "{problems:?}");
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

#[test]
fn a_restored_backup_adds_the_meetings_the_phone_lacks_and_keeps_what_it_changed() {
    let kept = |period: &str, decision: &str, unsent: bool| Kept {
        meeting: VillageMeeting {
            meeting: meeting(period),
            decisions: vec![decided("a", 1, decision, "", 0)],
            ..village(Vec::new())
        },
        unsent,
        ..Kept::default()
    };
    let old_phone = MeetingBook {
        meetings: vec![
            kept("Oktober", "disetujui", true),
            kept("November", "ditunda", true),
            kept("Desember", "ditolak", false),
            kept("Januari", "disetujui", true),
        ],
    };
    let mut phone = MeetingBook {
        meetings: vec![
            // The hub's copy, not changed here: the old phone's unsent change wins.
            kept("November", "disetujui", false),
            // Changed on this phone: it stays.
            kept("Desember", "disetujui", true),
            kept("Januari", "ditunda", true),
        ],
    };
    assert_eq!(phone.restore(old_phone.clone()), 2);
    let says = |book: &MeetingBook, period: &str| {
        let k = book.find("35.13.14.2001", period).expect(period);
        (k.meeting.decisions[0].decision.clone(), k.unsent)
    };
    assert_eq!(says(&phone, "Oktober"), ("disetujui".to_owned(), true));
    assert_eq!(says(&phone, "November"), ("ditunda".to_owned(), true));
    assert_eq!(says(&phone, "Desember"), ("disetujui".to_owned(), true));
    assert_eq!(says(&phone, "Januari"), ("ditunda".to_owned(), true));
    assert_eq!(phone.meetings.len(), 4);
    // Restoring the same backup again changes nothing.
    let before = phone.clone();
    assert_eq!(phone.restore(old_phone), 0);
    assert_eq!(phone, before);
}

#[test]
fn a_round_sends_no_more_meetings_than_the_hub_takes_at_once() {
    let mut book = MeetingBook::default();
    for i in 0..MAX_MEETINGS + 3 {
        book.meetings.push(Kept {
            meeting: VillageMeeting {
                meeting: meeting(&format!("Musdesus {i}")),
                ..village(Vec::new())
            },
            unsent: true,
            ..Kept::default()
        });
    }
    let first = book.to_send().expect("to send");
    assert_eq!(first.meetings.len(), MAX_MEETINGS);
    // Taken by the hub as sent: the three left go next.
    let answer = MusdesAnswer {
        meetings: first
            .meetings
            .iter()
            .map(|m| MeetingAnswer {
                state: Some(m.clone()),
                ..MeetingAnswer::default()
            })
            .collect(),
    };
    book.take_answer(&first, &answer);
    let rest = book.to_send().expect("the rest");
    assert_eq!(rest.meetings.len(), 3);
    assert_eq!(
        rest.meetings[0].meeting.period,
        format!("Musdesus {MAX_MEETINGS}")
    );
}
