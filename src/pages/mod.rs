//! One module per page. Pages own loading and saving through the store; the components they
//! render only get data and callbacks.

mod campaign;
pub mod dataform;
mod export;
pub mod household;
mod households;
mod lock;
mod not_found;
mod recover;

pub use campaign::CampaignPage;
pub use dataform::DataFormsPage;
pub use export::ExportPage;
pub use household::HouseholdPage;
pub use households::HouseholdsPage;
pub use lock::LockPage;
pub use not_found::NotFoundPage;
pub use recover::{RecoverPage, RecoveryProblems};
