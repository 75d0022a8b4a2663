//! The two pages' addresses.

use verval::route::Route;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

const ID: &str = "3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0e3f";

#[wasm_bindgen_test]
fn form_hashes() {
    let id = RecordId::parse(ID).unwrap();
    assert_eq!(Route::parse_form_hash("#baru"), Route::NewHousehold);
    assert_eq!(
        Route::parse_form_hash(&format!("#{ID}")),
        Route::Household(id.clone())
    );
    assert_eq!(Route::parse_form_hash("#nope"), Route::NotFound("#nope".into()));
    assert_eq!(Route::Household(id).href(), format!("keluarga.html#{ID}"));
    assert_eq!(Route::NewHousehold.href(), "keluarga.html#baru");
    assert_eq!(Route::Households.href(), "./");
}

#[wasm_bindgen_test]
fn old_single_page_addresses_lead_to_the_form() {
    let id = RecordId::parse(ID).unwrap();
    assert_eq!(Route::parse_list_hash(""), Route::Households);
    assert_eq!(Route::parse_list_hash("#/"), Route::Households);
    assert_eq!(Route::parse_list_hash("#/keluarga/baru"), Route::NewHousehold);
    assert_eq!(
        Route::parse_list_hash(&format!("#/keluarga/{ID}")),
        Route::Household(id)
    );
    assert_eq!(Route::parse_list_hash("#/lain"), Route::NotFound("/lain".into()));
}
