//! Helpers shared by the browser tests.

use indexed_db_futures::database::Database;
use verval::storage::IdbStore;
use verval_core::seal::published::PublishedKey;
use verval_core::seal::Identity;

/// A database name no other test (or earlier run) uses.
pub fn unique_db_name(test: &str) -> String {
    let n = (js_sys::Math::random() * 1e16) as u64;
    format!("verval-test-{test}-{n:x}")
}

/// Opens a fresh store; returns it with its name so the test can reopen or delete it.
pub async fn fresh_store(test: &str) -> (IdbStore, String) {
    let name = unique_db_name(test);
    let store = IdbStore::open(&name).await.expect("open a fresh database");
    (store, name)
}

/// Deletes a test database. The connection must be closed first.
pub async fn delete_db(name: &str) {
    Database::delete_by_name(name)
        .expect("delete request")
        .await
        .expect("delete database");
}

/// Puts `values` into `store` past the app's storage module, as another version of the app
/// would have written them: each under its key, or its own key path's when `None`.
pub async fn put_raw_values(name: &str, store: &str, values: Vec<(Option<&str>, wasm_bindgen::JsValue)>) {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = Database::open(name).await.expect("raw open");
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .expect("tx");
    let into = tx.object_store(store).expect("store");
    for (key, value) in values {
        match key {
            Some(key) => {
                into.put(value)
                    .with_key(key)
                    .primitive()
                    .expect("put")
                    .await
                    .expect("put");
            }
            None => {
                into.put(value).primitive().expect("put").await.expect("put");
            }
        }
    }
    tx.commit().await.expect("commit");
    db.close();
}

/// Puts `value` under `key` in the meta store, as another version of the app would have.
pub async fn put_meta_raw(name: &str, key: &str, value: wasm_bindgen::JsValue) {
    put_raw_values(name, verval::storage::schema::v3::META, vec![(Some(key), value)]).await;
}

/// A district's private key made from a seed: the same seed, the same key.
pub fn district_identity(seed: u8) -> Identity {
    Identity::from_random([seed; 32])
}

/// The public key of [`district_identity`] as a hub lists it.
pub fn district_key(seed: u8) -> PublishedKey {
    PublishedKey::of(&district_identity(seed).recipient(), &format!("kunci {seed}"))
}
