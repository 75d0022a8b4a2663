//! A location from the phone's GPS, for both forms (the household's house, a district form's
//! `geopoint`): accuracy shown, a manual retry; the household form's validator warns above
//! 50 m and refuses a point outside Indonesia.

use super::shell::Wiring;
use crate::components::tr;
use leptos::prelude::*;
use verval_core::{Lang, Text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, PartialEq)]
enum Fix {
    Idle,
    Waiting,
    Denied,
    Failed,
}

/// A location from the phone's GPS, shown with its accuracy, with a button to take it
/// (again). `stored` turns what [`locate_once`] found (`latitude longitude accuracy`) into the
/// form's answer, and `shown` reads that answer.
pub fn geopoint_input(
    wiring: Wiring,
    stored: fn(String) -> String,
    shown: fn(&str) -> String,
    lang: Signal<Lang>,
) -> AnyView {
    let Wiring {
        id,
        name,
        value,
        read_only,
        set,
        ..
    } = wiring;
    let fix = RwSignal::new(Fix::Idle);
    let testid = format!("geopoint-{name}");
    let locate = move |_| {
        fix.set(Fix::Waiting);
        let set = set.clone();
        let asked = locate_once(move |found| match found {
            Ok(position) => {
                set(stored(position));
                fix.try_set(Fix::Idle);
            }
            Err(denied) => {
                fix.try_set(if denied { Fix::Denied } else { Fix::Failed });
            }
        });
        if !asked {
            fix.set(Fix::Failed);
        }
    };
    let status = move || match fix.get() {
        Fix::Idle => "",
        Fix::Waiting => Text::new("Mencari lokasi…", "Finding the location…").get(lang.get()),
        Fix::Denied => Text::new(
            "Izin lokasi ditolak. Izinkan lokasi untuk Verval di pengaturan browser, lalu coba lagi.",
            "Location permission denied. Allow location for Verval in the browser settings, then try again.",
        )
        .get(lang.get()),
        Fix::Failed => Text::new(
            "Lokasi belum didapat. Coba lagi di tempat terbuka.",
            "No location yet. Try again in the open.",
        )
        .get(lang.get()),
    };
    view! {
        <div class="geopoint">
            <output id=id name=name data-testid=testid>{move || value.with(|v| shown(v))}</output>
            <button type="button" class="button button-secondary" data-testid="take-location"
                disabled=move || read_only.get() || fix.get() == Fix::Waiting on:click=locate>
                {move || if value.with(String::is_empty) {
                    tr(lang, Text::new("Ambil lokasi", "Take location"))()
                } else {
                    tr(lang, Text::new("Ambil ulang lokasi", "Take location again"))()
                }}
            </button>
            <p class="hint" role="status">{status}</p>
        </div>
    }
    .into_any()
}

/// A location as [`locate_once`] finds it and the household form stores it (`latitude
/// longitude accuracy`), as read: `latitude, longitude (± accuracy m)`.
pub fn shown_point(value: &str) -> String {
    let parts: Vec<&str> = value.split_whitespace().collect();
    match parts[..] {
        [lat, lon, acc] => format!("{lat}, {lon} (± {acc} m)"),
        _ => "–".to_owned(),
    }
}

/// Degrees with six decimals (about 10 cm; more would be noise), written with integers:
/// float formatting would add kilobytes to the download.
fn micro_degrees(degrees: f64) -> String {
    let micro = (degrees * 1e6).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let micro = micro.unsigned_abs();
    format!("{sign}{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

fn number_of(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| v.is_object())
}

/// Asks the browser for one fresh, accurate position: `latitude longitude accuracy` (degrees
/// with six decimals, metres), or whether permission was denied (`true`) or the fix failed.
/// Returns false when it cannot ask.
fn locate_once(done: impl FnOnce(Result<String, bool>) + 'static) -> bool {
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        return false;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_failure = done.clone();
    // web-sys marks the position types unstable; the fields are read as plain properties.
    let success = Closure::once_into_js(move |position: JsValue| {
        let coords = number_of(&position, "coords");
        let read = |name| {
            coords
                .as_ref()
                .and_then(|c| js_sys::Reflect::get(c, &JsValue::from_str(name)).ok())
                .and_then(|v| v.as_f64())
        };
        let found = match (read("latitude"), read("longitude"), read("accuracy")) {
            (Some(lat), Some(lon), Some(accuracy)) => Ok(format!(
                "{} {} {}",
                micro_degrees(lat),
                micro_degrees(lon),
                accuracy.round() as i64
            )),
            _ => Err(false),
        };
        if let Some(done) = done.borrow_mut().take() {
            done(found);
        }
    });
    let failure = Closure::once_into_js(move |error: JsValue| {
        // GeolocationPositionError.PERMISSION_DENIED is 1.
        let code = js_sys::Reflect::get(&error, &JsValue::from_str("code"))
            .ok()
            .and_then(|c| c.as_f64());
        if let Some(done) = on_failure.borrow_mut().take() {
            done(Err(code == Some(1.0)));
        }
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_maximum_age(0);
    options.set_timeout(30_000);
    geolocation
        .get_current_position_with_error_callback_and_options(
            success.unchecked_ref(),
            Some(failure.unchecked_ref()),
            &options,
        )
        .is_ok()
}
