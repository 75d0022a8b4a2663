//! The export worker: one job per message, replies posted back to the page.

use super::backup;
use super::form_tables;
use super::make::{make_batch, Step};
use super::protocol::{Job, Reply, Request, Selection};
use crate::storage::{schema, IdbStore};
use verval_core::export::Profile;
use verval_core::record::RecordStatus;
use verval_core::RecordId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Installs the message handler. Called by the worker binary's `main`.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let scope = reply_scope.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let reply = match serde_wasm_bindgen::from_value::<Request>(event.data()) {
                Ok(request) => job(&scope, request).await,
                Err(e) => Reply::Failed {
                    id: format!("Permintaan ekspor tidak terbaca: {e}"),
                    en: format!("The export request cannot be read: {e}"),
                },
            };
            post(&scope, &reply);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

async fn job(scope: &web_sys::DedicatedWorkerGlobalScope, request: Request) -> Reply {
    // Written from what the page sent: no store to open.
    if let Job::MusdesWorkbook { rows } = request.job {
        let table = verval_core::aid::musdes::list_sheet(rows);
        return match verval_core::export::xlsx::write(&[&table], &Default::default()) {
            Ok(bytes) => Reply::Workbook { bytes },
            Err(e) => Reply::Failed {
                id: format!("Daftar musyawarah tidak bisa ditulis: {e}"),
                en: format!("The meeting's list cannot be written: {e}"),
            },
        };
    }
    let store = match IdbStore::open(schema::DB_NAME).await {
        Ok(store) => store,
        Err(e) => return failed(e.message()),
    };
    if let Some(copy) = &request.session {
        if let Err(e) = store.take_session_copy(copy).await {
            return failed(e.message());
        }
    }
    if store.locked() {
        return failed(crate::storage::StoreError::Locked.message());
    }
    let reply = match request.job {
        Job::Batch { selection, profile } => batch(scope, &store, selection, profile).await,
        Job::Backup => match backup::make(&store).await {
            Ok(info) => Reply::BackedUp { info },
            Err(e) => failed(e),
        },
        Job::PrepareRestore => match backup::prepare_restore(&store).await {
            Ok(recipient) => Reply::RestoreKey { recipient },
            Err(e) => failed(e),
        },
        Job::Restore => match backup::restore(&store).await {
            Ok(plan) => Reply::Restored {
                added: plan.added,
                replaced: plan.replaced,
                kept: plan.kept,
            },
            Err(e) => failed(e),
        },
        Job::FormTables { form_id, tables } => match form_tables::write(&store, &form_id, tables).await {
            Ok(bytes) => Reply::Workbook { bytes },
            Err(message) => failed(message),
        },
        // Answered above.
        Job::MusdesWorkbook { .. } => Reply::Ready,
    };
    // The page reads the results with its own connection; this one is not needed any more.
    store.close();
    reply
}

async fn batch(
    scope: &web_sys::DedicatedWorkerGlobalScope,
    store: &IdbStore,
    selection: Selection,
    profile: Profile,
) -> Reply {
    let ids = match selection {
        Selection::Pending => store
            .pending()
            .await
            .map(|p| p.into_iter().map(|(id, _)| id).collect()),
        Selection::AllFinal => store.ids_with_status(RecordStatus::Final).await,
        Selection::Chosen { ids } => Ok(ids.iter().filter_map(|id| RecordId::parse(id).ok()).collect()),
    };
    let ids: Vec<RecordId> = match ids {
        Ok(ids) => ids,
        Err(e) => return failed(e.message()),
    };
    let progress = |step: Step| {
        post(
            scope,
            &match step {
                Step::Reading { done, total } => Reply::Reading { done, total },
                Step::Writing => Reply::Writing,
                Step::Saving => Reply::Saving,
            },
        )
    };
    // The district's part size for batches with photos, as its list says.
    let part_bytes = match store.batch_part_bytes().await {
        Ok(bytes) => bytes,
        Err(e) => return failed(e.message()),
    };
    match make_batch(store, &ids, profile, false, part_bytes, &progress).await {
        Ok(made) => Reply::Done {
            parts: made.parts,
            skipped: made.skipped,
            peak_memory: made.peak_memory,
        },
        Err(e) => failed(e.message()),
    }
}

fn failed(message: verval_core::text::Message) -> Reply {
    Reply::Failed {
        id: message.id,
        en: message.en,
    }
}

fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    if let Ok(value) = serde_wasm_bindgen::to_value(reply) {
        let _ = scope.post_message(&value);
    }
}
