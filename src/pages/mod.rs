//! One module per page. Pages own loading and saving through the store; the components they
//! render only get data and callbacks.

pub mod household;
mod households;
mod not_found;

pub use household::HouseholdPage;
pub use households::HouseholdsPage;
pub use not_found::NotFoundPage;
