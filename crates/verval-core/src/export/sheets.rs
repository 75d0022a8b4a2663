//! The tables of an export, in the order they are written as CSV files and spreadsheet
//! sheets: the `lengkap` tables, the profile's own, the prelist comparison (what the list
//! said beside what was found), then the village recap. A batch on the
//! phone and the hub's merged export are made of the same tables.

use super::profile::{profile_tables, Profile};
use super::rekap::rekap;
use super::tables::{tables, Table};
use crate::campaign::compare::prelist_table;
use crate::date::Date;
use crate::form::Form;
use crate::record::HouseholdRecord;

pub fn export_tables(form: &Form, profile: Profile, records: &[HouseholdRecord], today: Date) -> Vec<Table> {
    let mut all = tables(form, records, today);
    let extra = match profile {
        Profile::Lengkap => Vec::new(),
        other => profile_tables(other, form, &all, records),
    };
    let recap = rekap(form, &all[0]);
    all.extend(extra);
    all.push(prelist_table(records));
    all.push(recap);
    all
}
