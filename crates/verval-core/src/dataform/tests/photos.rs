//! A district form's photos and signatures: required ones, drawn or photographed, carried
//! in batches by their key, named once by the tables.

use super::*;

/// The form with a required house photo, a required signature, and a photo per member.
fn with_photos() -> DataForm {
    let mut def = def();
    let nama = match def
        .items
        .iter()
        .find(|i| matches!(i, crate::xlsform::Item::Field(f) if f.name == "nama"))
    {
        Some(crate::xlsform::Item::Field(f)) => f.clone(),
        _ => panic!("nama is a field"),
    };
    for (name, appearance) in [("foto_rumah", ""), ("tanda_tangan", "signature")] {
        let mut photo = nama.clone();
        photo.name = name.to_owned();
        photo.kind = crate::xlsform::FieldType::Image;
        photo.required = "true()".to_owned();
        photo.appearance = appearance.to_owned();
        def.items.push(crate::xlsform::Item::Field(photo));
    }
    DataForm::new(def).unwrap()
}

const PHOTO_KEY: &str = "foto-00000000-0000-4000-8000-0000000000f1";

#[test]
fn a_required_photo_or_signature_blocks_finalizing_until_taken() {
    let form = with_photos();
    let mut record = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
        NOW,
    );
    form.start(&mut record, &Clock, NOW);
    let about = |record: &HouseholdRecord, field: &str| {
        issues(&form, record)
            .into_iter()
            .filter(|(f, _, _)| f == field)
            .map(|(_, _, what)| what)
            .collect::<Vec<_>>()
    };
    assert_eq!(about(&record, "foto_rumah"), [IssueWhat::Required]);
    assert_eq!(about(&record, "tanda_tangan"), [IssueWhat::Required]);
    record.set_answer("foto_rumah", PHOTO_KEY, NOW);
    assert!(about(&record, "foto_rumah").is_empty());
    assert_eq!(about(&record, "tanda_tangan"), [IssueWhat::Required]);
    record.set_answer("tanda_tangan", "foto-00000000-0000-4000-8000-0000000000f3", NOW);
    assert!(about(&record, "tanda_tangan").is_empty());
}

#[test]
fn a_signature_and_a_drawing_are_drawn_on_the_pad_and_annotate_is_photographed() {
    let field = |appearance: &str| crate::xlsform::Field {
        kind: crate::xlsform::FieldType::Image,
        appearance: appearance.to_owned(),
        ..with_photos_field()
    };
    assert!(crate::dataform::drawn_on_pad(&field("signature")));
    assert!(crate::dataform::drawn_on_pad(&field("draw")));
    assert!(crate::dataform::drawn_on_pad(&field("w2 signature")));
    assert!(!crate::dataform::drawn_on_pad(&field("annotate")));
    assert!(!crate::dataform::drawn_on_pad(&field("")));
    let text = crate::xlsform::Field {
        kind: crate::xlsform::FieldType::Text,
        ..field("signature")
    };
    assert!(!crate::dataform::drawn_on_pad(&text), "only an image is drawn");
}

/// A field of the test form to build others from.
fn with_photos_field() -> crate::xlsform::Field {
    with_photos()
        .def()
        .items
        .iter()
        .find_map(|i| match i {
            crate::xlsform::Item::Field(f) if f.name == "tanda_tangan" => Some((**f).clone()),
            _ => None,
        })
        .expect("the signature field")
}

#[test]
fn a_batch_carries_a_forms_photos_by_their_key_and_names_one_the_phone_lost() {
    use crate::export::{read_batch, BatchBuilder, BatchMeta, Limits, Profile};
    use crate::form::default::DEFAULT_FORM;
    use crate::form::KnownForms;
    let form = with_photos();
    let (_, mut record) = started();
    record.set_answer("foto_rumah", PHOTO_KEY, NOW);
    record.set_answer("jumlah", "1", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    let key = record.repeats.rows("anggota")[0].key;
    // A photo in a row, which the phone no longer has; and text that only looks like a key.
    let lost = "foto-00000000-0000-4000-8000-0000000000f2";
    record.set_row_answer("anggota", key, "nama_anggota", lost, NOW);
    record.set_answer("nama", "foto-bukan-kunci", NOW);
    record.finalize(NOW);
    assert_eq!(
        dataform_keys(&record),
        [PHOTO_KEY, lost],
        "the record's photo keys, found without the form"
    );

    let mut builder = BatchBuilder::new(
        &DEFAULT_FORM,
        BatchMeta {
            batch_id: RecordId::from_random_bytes([0xab; 16]),
            app_version: "0.1.0".to_owned(),
            enumerator: "Siti".to_owned(),
            device_id: RecordId::from_random_bytes([0xcd; 16]).to_string(),
            sequence: 1,
            created_at: NOW,
            utc_offset_minutes: 420,
            profile: Profile::Lengkap,
        },
    );
    builder
        .add(record.clone(), &mut |key| {
            (key == PHOTO_KEY).then(|| b"\xff\xd8 jpeg".to_vec())
        })
        .unwrap();
    let built = builder.finish().unwrap();
    let mut known = KnownForms::household();
    known.add("cek_lapangan", "2026120601");
    let batch = read_batch(&built.bytes, &Limits::default(), &known).expect("the batch reads back");
    let path = format!("foto/{}_foto_00000000_0000_4000_8000_0000000000f1.jpg", record.id);
    assert_eq!(
        batch.files.get(&path).map(Vec::as_slice),
        Some(&b"\xff\xd8 jpeg"[..])
    );
    assert_eq!(crate::dataform::photo_path(record.id.as_str(), PHOTO_KEY), path);
    let missing: Vec<(&str, &str)> = batch
        .manifest
        .missing_photos
        .iter()
        .map(|m| (m.record_id.as_str(), m.field.as_str()))
        .collect();
    assert_eq!(missing, [(record.id.as_str(), "nama_anggota")]);
}

fn dataform_keys(record: &HouseholdRecord) -> Vec<&str> {
    crate::dataform::record_photo_keys(record)
}

#[test]
fn the_photos_tables_name_are_each_named_once_by_record() {
    use crate::export::{ColumnKind, Table};
    let mut table = Table::new(
        "cek",
        &[
            ("record_id", "ID", ColumnKind::Text),
            ("a", "A", ColumnKind::Text),
            ("b", "B", ColumnKind::Text),
        ],
    );
    let path = crate::dataform::photo_path("r1", PHOTO_KEY);
    table.rows.push(vec!["r1".to_owned(), path.clone(), path.clone()]);
    // Another record's photo path in r2's row is not r2's; text that is no path is nothing.
    table.rows.push(vec![
        "r2".to_owned(),
        path.clone(),
        "foto/r2_catatan.txt".to_owned(),
    ]);
    let named = crate::dataform::export::photos_named(&[table]);
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named["r1"], [path], "a path two questions share, once");
}

#[test]
fn a_photo_path_gives_back_its_key_for_its_own_record_only() {
    let path = crate::dataform::photo_path("r1", PHOTO_KEY);
    assert_eq!(
        crate::dataform::photo_key_of_path("r1", &path).as_deref(),
        Some(PHOTO_KEY)
    );
    assert_eq!(crate::dataform::photo_key_of_path("r2", &path), None);
    assert_eq!(
        crate::dataform::photo_key_of_path("r1", "foto/r1_foto_rumah.jpg"),
        None
    );
    assert_eq!(crate::dataform::photo_key_of_path("r1", "foto/r1_.jpg"), None);
}
