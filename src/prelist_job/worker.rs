//! The list reader: one file per message, the answer posted back to the page.

use super::protocol::{Chosen, Reply, Request, HEADER_ROWS_OFFERED};
use std::collections::BTreeMap;
use verval_core::campaign::assignment::assignment_from_prelist;
use verval_core::prelist::columns::{detect, Target};
use verval_core::prelist::files::{read_csv, read_xlsx};
use verval_core::prelist::mapping::{column_choices, mapping_from_choices};
use verval_core::prelist::{read_prelist, Sheet, P3KE_PRESET};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How many bad cells are listed (the reader stops at 100).
const SHOWN_PROBLEMS: usize = 30;

/// Installs the message handler. Called by the worker binary's `main`.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let reply = match serde_wasm_bindgen::from_value::<Request>(event.data()) {
            Ok(request) => job(request),
            Err(e) => Reply::Failed {
                id: format!("Permintaan tidak terbaca: {e}"),
                en: format!("The request cannot be read: {e}"),
            },
        };
        post(&reply_scope, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    // A reply that cannot be sent leaves the page waiting; its worker error handler is
    // the only way left to tell it, so fail loudly.
    let sent = serde_wasm_bindgen::to_value(reply)
        .map_err(|e| JsValue::from_str(&e.to_string()))
        .and_then(|value| scope.post_message(&value));
    if let Err(e) = sent {
        wasm_bindgen::throw_val(e);
    }
}

fn read_sheet(name: &str, bytes: &[u8]) -> Result<Sheet, String> {
    // An XLSX file is a zip; anything else is taken as CSV text.
    let sheet = if bytes.starts_with(b"PK") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    };
    sheet.map_err(|e| format!("{name}: {e}"))
}

fn job(request: Request) -> Reply {
    let sheet = match read_sheet(&request.name, &request.bytes) {
        Ok(sheet) => sheet,
        Err(why) => {
            return Reply::Failed {
                id: format!("Berkas tidak terbaca: {why}"),
                en: format!("The file cannot be read: {why}"),
            }
        }
    };
    match request.mapping {
        None => columns(&sheet),
        Some(chosen) => read(&sheet, &request.name, &chosen),
    }
}

/// The preset's columns (or none) and what each candidate header row offers.
fn columns(sheet: &Sheet) -> Reply {
    let (header_row, found) = match detect(sheet, &P3KE_PRESET) {
        Some(m) => (m.header_row + 1, m.columns),
        None => (1, BTreeMap::new()),
    };
    let rows = sheet.rows.len().clamp(1, HEADER_ROWS_OFFERED);
    Reply::Columns {
        chosen: Chosen {
            header_row,
            columns: found.into_iter().map(|(t, c)| (t.id().to_owned(), c)).collect(),
            village: String::new(),
        },
        choices: (0..rows).map(|r| column_choices(sheet, r)).collect(),
    }
}

fn read(sheet: &Sheet, name: &str, chosen: &Chosen) -> Reply {
    let columns: BTreeMap<Target, usize> = chosen
        .columns
        .iter()
        .filter_map(|(id, c)| Target::parse(id).map(|t| (t, *c)))
        .collect();
    let problems = |list: Vec<String>| Reply::Problems { problems: list };
    let mapping = match mapping_from_choices(sheet, chosen.header_row, &columns) {
        Ok(m) => m,
        Err(e) => return problems(vec![e.to_string()]),
    };
    let prelist = match read_prelist(sheet, &mapping) {
        Ok(p) => p,
        Err(found) => {
            return problems(
                found
                    .iter()
                    .take(SHOWN_PROBLEMS)
                    .map(ToString::to_string)
                    .collect(),
            )
        }
    };
    match assignment_from_prelist(prelist, name, Some(&chosen.village)) {
        Ok(assignment) => Reply::Read { assignment },
        Err(e) => problems(vec![e.to_string()]),
    }
}
