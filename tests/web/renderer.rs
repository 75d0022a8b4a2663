//! The form renderer draws a form that is not the household form (issue #27 item 4): rows
//! named by the repeat's own title question (a code by its label), a question locked while
//! the record comes from a prelist, and photos shown from wherever the page keeps them.

use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use verval::components::form::{Edit, FormCtx, Images, QuestionView, RegionTables, RepeatView, RowAt};
use verval_core::campaign::PrelistLink;
use verval_core::date::Date;
use verval_core::form::{Choice, Form, Kind, Question, Repeat, Required, Section, SectionItem, TextFormat};
use verval_core::prelist::PrelistFamily;
use verval_core::record::HouseholdRecord;
use verval_core::{FieldId, Lang, RecordId, Text, Timestamp};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

const KODE: FieldId = FieldId::new("kode_posyandu");
const CATATAN: FieldId = FieldId::new("catatan");
const ANAK: FieldId = FieldId::new("anak");
const NAMA_ANAK: FieldId = FieldId::new("nama_anak");
const LAYANAN: FieldId = FieldId::new("layanan");
const JENIS: FieldId = FieldId::new("jenis");
const DITIMBANG: FieldId = FieldId::new("anak_ditimbang");
const FOTO_KMS: FieldId = FieldId::new("foto_kms");

const FREE: Kind = Kind::Text {
    min_len: 0,
    max_len: 40,
    format: TextFormat::Free,
};
static SERVICES: [Choice; 2] = [
    Choice::new("1", "Penimbangan", "Weighing"),
    Choice::new("2", "Imunisasi", "Immunisation"),
];
static CHILD: [Question; 1] = [Question::new(
    NAMA_ANAK,
    Text::new("Nama anak", "Child's name"),
    FREE,
    Required::No,
)];
static SERVICE: [Question; 1] = [Question::new(
    JENIS,
    Text::new("Layanan", "Service"),
    Kind::SelectOne(&SERVICES),
    Required::No,
)];
static ITEMS: [SectionItem; 6] = [
    SectionItem::Question(Question {
        locked_when_listed: true,
        ..Question::new(
            KODE,
            Text::new("Kode posyandu", "Posyandu code"),
            FREE,
            Required::No,
        )
    }),
    SectionItem::Question(Question::new(
        CATATAN,
        Text::new("Catatan", "Notes"),
        FREE,
        Required::No,
    )),
    SectionItem::Repeat(Repeat {
        id: ANAK,
        label: Text::new("Anak", "Children"),
        min_rows: 0,
        max_rows: 9,
        relevant: None,
        questions: &CHILD,
        blocks: &[],
        title: Some(NAMA_ANAK),
    }),
    SectionItem::Repeat(Repeat {
        id: LAYANAN,
        label: Text::new("Layanan", "Services"),
        min_rows: 0,
        max_rows: 9,
        relevant: None,
        questions: &SERVICE,
        blocks: &[],
        title: Some(JENIS),
    }),
    SectionItem::Question(Question::new(
        DITIMBANG,
        Text::new("Anak yang ditimbang", "Child weighed"),
        Kind::RowOf(ANAK),
        Required::No,
    )),
    SectionItem::Question(Question::new(
        FOTO_KMS,
        Text::new("Foto KMS", "Growth card photo"),
        Kind::Photo,
        Required::No,
    )),
];
static SECTIONS: [Section; 1] = [Section {
    id: "A",
    title: Text::new("Posyandu", "Posyandu"),
    relevant: None,
    items: &ITEMS,
}];
static POSYANDU: Form = Form {
    id: "posyandu",
    version: "1",
    sections: &SECTIONS,
    rules: &[],
    region_cascade: &[],
};

fn listed() -> PrelistLink {
    PrelistLink {
        family: PrelistFamily {
            prelist_id: "P-1".into(),
            nomor_kk: None,
            kode_desa: String::new(),
            alamat: String::new(),
            rt: String::new(),
            rw: String::new(),
            desil: String::new(),
            members: Vec::new(),
            housing: Default::default(),
            programmes: Vec::new(),
        },
        member_rows: Vec::new(),
    }
}

/// A record of the form: one child, one immunisation, a photo's key; from a prelist or not.
fn record(from_prelist: bool) -> HouseholdRecord {
    let now = Timestamp(1);
    let mut r = HouseholdRecord::new(RecordId::from_random_bytes([7; 16]), now);
    r.set_answer(KODE, "PY-07", now);
    let child = r.add_row(ANAK, now);
    r.set_row_answer(ANAK, child, NAMA_ANAK, "SITI AMINAH", now);
    let service = r.add_row(LAYANAN, now);
    r.set_row_answer(LAYANAN, service, JENIS, "2", now);
    r.set_answer(FOTO_KMS, "foto-kms-1", now);
    r.prelist = from_prelist.then(listed);
    r
}

/// Images kept in memory: what the page would keep in IndexedDB. Records the keys read.
fn images(read: Rc<RefCell<Vec<String>>>) -> Images {
    let kept: Rc<RefCell<Vec<(String, web_sys::Blob)>>> = Rc::default();
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(
        &[7u8; 1500][..],
    )))
    .expect("a blob");
    kept.borrow_mut().push(("foto-kms-1".into(), blob));
    let (saved, deleted) = (kept.clone(), kept.clone());
    Images {
        save: Rc::new(move |key, blob| {
            saved.borrow_mut().push((key, blob));
            Box::pin(async { true })
        }),
        load: Rc::new(move |key| {
            read.borrow_mut().push(key.clone());
            let found = kept
                .borrow()
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, b)| b.clone());
            Box::pin(async move { found })
        }),
        delete: Rc::new(move |key| {
            deleted.borrow_mut().retain(|(k, _)| *k != key);
            Box::pin(async { true })
        }),
    }
}

/// Draws every question and repeat of the form over `record`, in a container of its own.
fn draw(
    record: HouseholdRecord,
    read: Rc<RefCell<Vec<String>>>,
) -> (web_sys::HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let host: web_sys::HtmlElement = document.create_element("div").expect("div").unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("appended");
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let record = RwSignal::new(record);
        // As the household page does: every edit of the record notifies, changed or not.
        let on_edit = Callback::new(move |edit: Edit| {
            if let Edit::Set {
                at: None,
                field,
                value,
            } = edit
            {
                record.update(|r| {
                    r.set_answer(field, &value, Timestamp(2));
                });
            }
        });
        let ctx = FormCtx {
            form: &POSYANDU,
            record: record.into(),
            issues: Memo::new(|_| Vec::new()),
            show_required: Signal::stored(false),
            editable: Signal::stored(true),
            lang: Signal::stored(Lang::Id),
            today: Date::new(2026, 12, 7).expect("a date"),
            regions: RegionTables::new(),
            on_edit,
            writing: Callback::new(|_| {}),
            images: StoredValue::new_local(images(read)),
            review_notes: Signal::stored(Vec::new()),
        };
        let open_row = RwSignal::new(None::<RowAt>);
        POSYANDU.sections[0]
            .items
            .iter()
            .map(|item| match item {
                SectionItem::Question(q) => view! { <QuestionView question=q at=None ctx/> }.into_any(),
                SectionItem::Repeat(r) => view! { <RepeatView repeat=r ctx open_row/> }.into_any(),
            })
            .collect_view()
    });
    (host, handle)
}

fn text_of(host: &web_sys::HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{selector} drawn"))
        .text_content()
        .unwrap_or_default()
}

fn readonly(host: &web_sys::HtmlElement, name: &str) -> bool {
    host.query_selector(&format!("input[name={name}]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{name} drawn"))
        .has_attribute("readonly")
}

/// Lets the renderer's effects and tasks run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn rows_are_named_by_the_repeats_own_title_question() {
    let (host, handle) = draw(record(false), Rc::default());
    settle().await;
    assert_eq!(
        text_of(&host, "[data-repeat=anak] .row-title").trim(),
        "1. SITI AMINAH"
    );
    // A title question with answer codes names its row by the code's label.
    assert_eq!(
        text_of(&host, "[data-repeat=layanan] .row-title").trim(),
        "1. Imunisasi"
    );
    // Choosing a row names it the same way.
    let options = text_of(&host, "select[name=anak_ditimbang]");
    assert!(options.contains("1. SITI AMINAH"), "{options}");
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_question_locked_when_listed_is_read_only_in_a_record_from_the_list() {
    let (host, handle) = draw(record(true), Rc::default());
    settle().await;
    assert!(readonly(&host, "kode_posyandu"), "the listed code is kept");
    assert!(!readonly(&host, "catatan"), "other answers stay editable");
    drop(handle);
    host.remove();

    let (host, handle) = draw(record(false), Rc::default());
    settle().await;
    assert!(
        !readonly(&host, "kode_posyandu"),
        "typed in a record not from a list"
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_photo_is_shown_from_where_the_page_keeps_it() {
    let read = Rc::new(RefCell::new(Vec::new()));
    let (host, handle) = draw(record(false), read.clone());
    settle().await;
    assert_eq!(read.borrow().as_slice(), ["foto-kms-1"]);
    assert_eq!(text_of(&host, "[data-testid=photo-size-foto_kms]"), "2 KB");
    let preview = host
        .query_selector("img.photo-preview")
        .ok()
        .flatten()
        .expect("a preview");
    assert!(preview
        .get_attribute("src")
        .unwrap_or_default()
        .starts_with("blob:"));
    drop(handle);
    host.remove();
}

/// Types `text` into the input `name` as a keyboard would: its value, then `input`.
fn type_into(host: &web_sys::HtmlElement, name: &str, text: &str) -> web_sys::HtmlInputElement {
    let input: web_sys::HtmlInputElement = host
        .query_selector(&format!("input[name={name}]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{name} drawn"))
        .unchecked_into();
    input.set_value(text);
    let event = web_sys::Event::new("input").expect("an event");
    input.dispatch_event(&event).expect("dispatched");
    input
}

#[wasm_bindgen_test]
async fn what_is_typed_past_a_questions_length_is_cut_in_its_box_too() {
    // A keyboard's composition can put a character past `maxlength`: the answer keeps 40,
    // and the box must show the 40 kept, also when the answer was already 40 long (the
    // stored answer does not change then).
    let (host, handle) = draw(record(false), Rc::default());
    settle().await;
    let forty = "a".repeat(40);
    type_into(&host, "catatan", &forty);
    settle().await;
    let input = type_into(&host, "catatan", &format!("{forty}b"));
    settle().await;
    assert_eq!(input.value(), forty);
    drop(handle);
    host.remove();
}
