//! Sealed batches on the hub (issue #22): the district's public keys handed to phones
//! ([`keys`]), its private key held in memory once an admin unlocks it ([`keyring`]), sealed
//! batches kept as they arrive ([`store`]) and opened with the key ([`open`]); phones'
//! forgotten PINs ([`escrow`]) and backups moved to a new phone ([`phone_backup`]).
//!
//! The private key is never in the database, never in a log, never on disk except in the
//! passphrase-protected file `verval-hub key generate` wrote.

pub mod escrow;
pub mod keyring;
pub mod keys;
pub mod open;
pub mod phone_backup;
pub mod store;

pub use keyring::Keyring;
