//! Preferences in the browser's real localStorage.

use verval::storage::prefs::{load_lang, save_lang};
use verval_core::Lang;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn the_language_choice_is_remembered() {
    assert!(save_lang(Lang::En));
    assert_eq!(load_lang(), Lang::En);
    assert!(save_lang(Lang::Id));
    assert_eq!(load_lang(), Lang::Id);
}
