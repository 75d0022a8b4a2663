//! The lock page (`kunci.html`, issue #23): the first PIN, once the phone has the district's
//! keys; the PIN typed to unlock, with the waits after wrong ones; a forgotten PIN answered
//! by the district; "Kunci sekarang" and a new PIN while unlocked. Every way out goes back
//! to the page that sent the tab here (its address is this page's hash), never elsewhere.

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::now;
use crate::route::Route;
use crate::storage::pin_reset::ResetAsked;
use crate::storage::session::Gate;
use crate::storage::vault::LockError;
use crate::storage::IdbStore;
use crate::sync::client::{pin_reset_answer, request_pin_reset};
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::text::Message;
use verval_core::vault::DataKey;
use verval_core::{Lang, Text};

#[derive(Clone)]
enum Screen {
    Loading,
    Failed(Message),
    /// No PIN and no district keys: a PIN waits for them (its escrow needs them).
    NeedsKeys,
    SetPin,
    Unlock,
    Reset(ResetAsked),
    Open(DataKey),
}

/// The page to go back to: this page's hash, if it names a page of this app in this folder;
/// else the household list.
fn back_href() -> String {
    let fallback = Route::Households.href();
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return fallback;
    };
    let here = location.href().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let asked = js_sys::decode_uri_component(hash.trim_start_matches('#'))
        .map(String::from)
        .unwrap_or_default();
    let folder = |url: &web_sys::Url| {
        let path = url.pathname();
        (
            url.origin(),
            path[..path.rfind('/').map_or(0, |i| i + 1)].to_owned(),
        )
    };
    match (
        web_sys::Url::new(&here),
        web_sys::Url::new_with_base(&asked, &here),
    ) {
        (Ok(this), Ok(target)) if !asked.is_empty() && folder(&this) == folder(&target) => target.href(),
        _ => fallback,
    }
}

fn go_back() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&back_href());
    }
}

async fn first_screen(store: &IdbStore) -> Screen {
    match store.resume_session(now()).await {
        Ok(Gate::NoPin { has_keys: false }) => Screen::NeedsKeys,
        Ok(Gate::NoPin { has_keys: true }) => Screen::SetPin,
        Ok(Gate::Open(key)) => Screen::Open(key),
        Ok(Gate::Locked) => match store.pin_reset().await {
            Ok(Some(asked)) => Screen::Reset(asked),
            Ok(None) => Screen::Unlock,
            Err(e) => Screen::Failed(e.message()),
        },
        Err(e) => Screen::Failed(e.message()),
    }
}

/// Unlocked with `key`: the session starts and the tab goes back.
async fn opened(store: &IdbStore, key: DataKey) -> Result<(), LockError> {
    store.begin_session(&key, now()).await?;
    go_back();
    Ok(())
}

fn mismatch() -> Message {
    Message::new(
        "Kedua PIN tidak sama. Ketik lagi.",
        "The two PINs differ. Type them again.",
    )
}

fn forgotten_sent() -> Message {
    Message::new(
        "Permintaan terkirim ke server kabupaten. Telepon petugas dinas dan bacakan kode di atas.",
        "The request reached the district server. Call district staff and read out the code above.",
    )
}

fn not_enrolled(asked: &ResetAsked) -> Message {
    match asked.written {
        Some(_) => Message::new(
            "HP ini belum terdaftar di server kabupaten: kirim permintaan tertulis di bawah ke dinas (mis. lewat WhatsApp), bacakan kode di atas saat dinas menelepon, lalu tempel jawaban yang mereka kirim.",
            "This phone is not enrolled with a district server: send the written request below to the district (e.g. by WhatsApp), read out the code above when they call, then paste the answer they send.",
        ),
        // No escrow of this key on the phone (it never went out): the district holds none
        // either, unless a hub took one.
        None => Message::new(
            "HP ini belum terdaftar di server kabupaten dan tidak menyimpan kunci cadangan untuk dinas: hubungi dinas dengan kode di atas.",
            "This phone is not enrolled with a district server and keeps no escrow for the district: contact the district with the code above.",
        ),
    }
}

fn no_answer_yet() -> Message {
    Message::new(
        "Dinas belum menjawab. Periksa lagi setelah petugas dinas mengirimnya.",
        "The district has not answered yet. Check again once district staff sent it.",
    )
}

/// Sends the forgotten PIN's request to the hub this phone is enrolled with.
async fn ask_district(store: &IdbStore, asked: &ResetAsked) -> Message {
    match store.hub_link().await {
        Ok(Some(link)) => match request_pin_reset(&link.url, &link.token, &asked.request).await {
            Ok(()) => forgotten_sent(),
            Err(e) => e.message(),
        },
        Ok(None) => not_enrolled(asked),
        Err(e) => e.message(),
    }
}

/// The district's answer from the hub, if it came.
async fn fetch_answer(store: &IdbStore, asked: &ResetAsked) -> Result<Option<String>, Message> {
    match store.hub_link().await {
        Ok(Some(link)) => pin_reset_answer(&link.url, &link.token, &asked.fingerprint)
            .await
            .map_err(|e| e.message()),
        Ok(None) => Err(not_enrolled(asked)),
        Err(e) => Err(e.message()),
    }
}

/// A PIN field: digits on the phone's keypad, never remembered by the browser.
fn pin_input(
    lang: Signal<Lang>,
    id: &'static str,
    label: Text,
    value: RwSignal<String>,
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{tr(lang, label)}</label>
        <input id=id name=id type="password" inputmode="numeric" autocomplete=autocomplete
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

const NEW_PIN: Text = Text::new("PIN baru (6 angka atau lebih)", "New PIN (6 digits or more)");
const AGAIN: Text = Text::new("Ulangi PIN baru", "The new PIN again");

#[component]
pub fn LockPage() -> impl IntoView {
    let lang: Signal<Lang> = use_lang().into();
    let store = use_store();
    let screen = RwSignal::new(Screen::Loading);
    let error = RwSignal::new(None::<Message>);
    let note = RwSignal::new(None::<Message>);
    let busy = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());

    spawn_local(async move {
        let store = store.get_value();
        screen.set(first_screen(&store).await);
    });

    // Runs one action: the PIN fields are cleared whatever comes of it.
    let act = move |action: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Message>>>>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        note.set(None);
        spawn_local(async move {
            let outcome = action.await;
            pin.set(String::new());
            again.set(String::new());
            busy.set(false);
            if let Err(message) = outcome {
                error.set(Some(message));
            }
        });
    };
    let two_pins = move || {
        let (first, second) = (pin.get_untracked(), again.get_untracked());
        if first == second {
            Ok(first)
        } else {
            Err(mismatch())
        }
    };

    let set_pin = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let store = store.get_value();
        act(Box::pin(async move {
            let first = two_pins()?;
            let key = store
                .set_first_pin(&first, now())
                .await
                .map_err(|e| e.message())?;
            opened(&store, key).await.map_err(|e| e.message())
        }));
    };
    let unlock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let store = store.get_value();
        let typed = pin.get_untracked();
        act(Box::pin(async move {
            let key = store.unlock(&typed, now()).await.map_err(|e| e.message())?;
            opened(&store, key).await.map_err(|e| e.message())
        }));
    };
    let forgot = move |_| {
        let store = store.get_value();
        act(Box::pin(async move {
            let asked = store.start_pin_reset(now()).await.map_err(|e| e.message())?;
            screen.set(Screen::Reset(asked.clone()));
            note.set(Some(ask_district(&store, &asked).await));
            Ok(())
        }));
    };
    let check_answer = move |asked: ResetAsked| {
        let store = store.get_value();
        act(Box::pin(async move {
            match fetch_answer(&store, &asked).await? {
                Some(text) => answer.set(text),
                None => note.set(Some(no_answer_yet())),
            }
            Ok(())
        }));
    };
    let finish_reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let store = store.get_value();
        act(Box::pin(async move {
            let first = two_pins()?;
            let key = store
                .finish_pin_reset(&answer.get_untracked(), &first, now())
                .await
                .map_err(|e| e.message())?;
            opened(&store, key).await.map_err(|e| e.message())
        }));
    };
    let lock = move |_| {
        let store = store.get_value();
        act(Box::pin(async move {
            store.lock().await.map_err(|e| e.message())?;
            screen.set(Screen::Unlock);
            Ok(())
        }));
    };
    let change_pin = move |key: DataKey| {
        let store = store.get_value();
        act(Box::pin(async move {
            let first = two_pins()?;
            store
                .change_pin(&key, &first, now())
                .await
                .map_err(|e| e.message())?;
            note.set(Some(Message::new("PIN sudah diganti.", "The PIN was changed.")));
            Ok(())
        }));
    };

    let body = move || {
        match screen.get() {
        Screen::Loading => view! { <p>{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
        Screen::Failed(message) => view! { <ErrorNotice message lang/> }.into_any(),
        Screen::NeedsKeys => view! {
            <h1>{tr(lang, Text::new("PIN HP", "Phone PIN"))}</h1>
            <p data-testid="pin-needs-keys">{tr(lang, Text::new(
                "PIN dibuat setelah HP ini mendapat kunci dinas: daftarkan HP ke server kabupaten atau pindai kunci dinas di halaman Ekspor. Dengan kunci itu, PIN yang terlupa bisa dipulihkan dinas tanpa kehilangan data.",
                "A PIN is set once this phone has the district's keys: enrol it with the district server or scan the district's keys on the Export page. With them, the district can restore a forgotten PIN without losing any data.",
            ))}</p>
            <a class="button" href=back_href()>{tr(lang, Text::new("Kembali", "Back"))}</a>
        }
        .into_any(),
        Screen::SetPin => view! {
            <h1>{tr(lang, Text::new("Buat PIN", "Set a PIN"))}</h1>
            <p data-testid="pin-needed">{tr(lang, Text::new(
                "HP ini sudah mendapat kunci dinas: buat PIN sebelum melanjutkan. PIN mengunci data keluarga di HP ini, sehingga HP yang hilang atau dipinjam tidak membuka data siapa pun. Jangan pakai tanggal lahir atau angka berurutan. Jika lupa, dinas dapat memulihkannya; tidak ada data yang hilang.",
                "This phone has the district's keys: set a PIN before going on. The PIN locks the families' data on this phone, so a lost or borrowed phone opens no one's data. Do not use a birth date or a run of digits. If you forget it, the district can restore it; no data is lost.",
            ))}</p>
            <form class="lock-form" on:submit=set_pin>
                {pin_input(lang, "pin", NEW_PIN, pin, "new-password")}
                {pin_input(lang, "pin_ulang", AGAIN, again, "new-password")}
                <button type="submit" class="button" data-testid="set-pin" disabled=move || busy.get()>
                    {tr(lang, Text::new("Simpan PIN", "Save the PIN"))}
                </button>
            </form>
        }
        .into_any(),
        Screen::Unlock => view! {
            <h1>{tr(lang, Text::new("HP terkunci", "Phone locked"))}</h1>
            <form class="lock-form" on:submit=unlock>
                {pin_input(lang, "pin", Text::new("PIN", "PIN"), pin, "off")}
                <button type="submit" class="button" data-testid="unlock" disabled=move || busy.get()>
                    {tr(lang, Text::new("Buka", "Unlock"))}
                </button>
            </form>
            <button type="button" class="link-button" data-testid="forgot-pin" on:click=forgot>
                {tr(lang, Text::new("Lupa PIN?", "Forgot the PIN?"))}
            </button>
        }
        .into_any(),
        Screen::Reset(asked) => {
            let to_check = asked.clone();
            view! {
                <h1>{tr(lang, Text::new("Lupa PIN", "Forgotten PIN"))}</h1>
                <p>{tr(lang, Text::new(
                    "Telepon petugas dinas dan bacakan kode ini. Dinas mengirim kunci data HP ini kembali, hanya untuk HP ini; tidak ada data yang hilang.",
                    "Call district staff and read out this code. The district sends this phone's data key back, for this phone only; no data is lost.",
                ))}</p>
                <p class="reset-code"><code data-testid="reset-fingerprint">{asked.fingerprint.clone()}</code></p>
                // Without a hub (or out of its reach) the request goes in writing; it holds
                // nothing that opens without the district's key.
                {asked.written.clone().map(|written| view! {
                    <label for="permintaan">{tr(lang, Text::new(
                        "Permintaan tertulis, untuk HP tanpa server kabupaten: kirim ke dinas (mis. lewat WhatsApp)",
                        "The written request, for a phone without a district server: send it to the district (e.g. by WhatsApp)",
                    ))}</label>
                    <textarea id="permintaan" name="permintaan" rows="4" readonly
                        data-testid="reset-request">{written}</textarea>
                })}
                <button type="button" class="button" data-testid="check-answer"
                    on:click=move |_| check_answer(to_check.clone())>
                    {tr(lang, Text::new("Periksa jawaban dinas", "Check for the district's answer"))}
                </button>
                <form class="lock-form" on:submit=finish_reset>
                    <label for="jawaban">{tr(lang, Text::new("Jawaban dinas (terisi sendiri dari server, atau tempel di sini)", "The district's answer (filled in from the server, or paste it here)"))}</label>
                    <textarea id="jawaban" name="jawaban" rows="3" autocomplete="off"
                        prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                    {pin_input(lang, "pin", NEW_PIN, pin, "new-password")}
                    {pin_input(lang, "pin_ulang", AGAIN, again, "new-password")}
                    <button type="submit" class="button" data-testid="finish-reset" disabled=move || busy.get()>
                        {tr(lang, Text::new("Simpan PIN baru", "Save the new PIN"))}
                    </button>
                </form>
                <button type="button" class="link-button" data-testid="back-to-unlock"
                    on:click=move |_| screen.set(Screen::Unlock)>
                    {tr(lang, Text::new("Ingat PIN lagi? Buka dengan PIN", "Remembered it? Unlock with the PIN"))}
                </button>
            }
            .into_any()
        }
        Screen::Open(key) => {
            let on_change = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                change_pin(key.clone());
            };
            view! {
                <h1>{tr(lang, Text::new("HP terbuka", "Phone unlocked"))}</h1>
                <p>
                    <a class="button" href=back_href() data-testid="lock-page-back">{tr(lang, Text::new("Kembali bekerja", "Back to work"))}</a>
                    " "
                    <button type="button" class="button" data-testid="lock-now" on:click=lock>
                        {tr(lang, Text::new("Kunci sekarang", "Lock now"))}
                    </button>
                </p>
                <h2>{tr(lang, Text::new("Ganti PIN", "Change the PIN"))}</h2>
                <form class="lock-form" on:submit=on_change>
                    {pin_input(lang, "pin", NEW_PIN, pin, "new-password")}
                    {pin_input(lang, "pin_ulang", AGAIN, again, "new-password")}
                    <button type="submit" class="button" data-testid="change-pin" disabled=move || busy.get()>
                        {tr(lang, Text::new("Ganti PIN", "Change the PIN"))}
                    </button>
                </form>
            }
            .into_any()
        }
    }
    };

    view! {
        <section class="lock-page" data-testid="lock-page">
            {body}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || note.get().map(|message| view! {
                <p class="notice" role="status" data-testid="lock-note">{tr_message(lang, message)}</p>
            })}
        </section>
    }
}
