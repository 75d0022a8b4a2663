//! Roles and their rights (issue #19): a small fixed set, and the one table that says which
//! role may do what. Every district page names the [`Right`] it needs (`ui::routes`); the
//! gate checks it here and nowhere else.

/// What a member of the district's staff is there to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything: accounts, settings, the audit trail.
    Admin,
    /// Dinsos operator: batches and prelists in, enumerators and enrolment, exports.
    Operator,
    /// Reviews households, resolves conflicts, exports.
    Verifikator,
    /// Kecamatan supervisor (TKSK coordinator, korcam): reads and reviews within their
    /// region only.
    Supervisor,
    /// Bappeda/TKPK: recaps and exports within their region, NIK and KK masked.
    Viewer,
}

/// One thing a page lets its user do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Right {
    /// The household list and pages (NIK and KK masked unless [`Right::SeeIdentity`]).
    ReadHouseholds,
    /// NIK and KK numbers in full, on pages and in exports.
    SeeIdentity,
    Review,
    ResolveConflicts,
    UploadBatches,
    ImportPrelists,
    ManageEnumerators,
    /// The district's decisions as a review file for a phone that does not sync.
    HandOutReviews,
    Export,
    /// The round's start and deadline, a village's target (supervision).
    ManageRound,
    ManageAccounts,
    ReadAudit,
    /// Unlocking the district's private key on the hub, and the public keys phones seal to.
    ManageKeys,
    /// A household's standing in SIKS-NG (entered, accepted, refused) and the aid delivered
    /// to it after the round (issue #24).
    RecordAid,
    /// The district's own forms, imported from XLSForm (issue #25).
    ManageForms,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Operator,
        Role::Verifikator,
        Role::Supervisor,
        Role::Viewer,
    ];

    /// The code stored and typed (`--role supervisor`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Verifikator => "verifikator",
            Role::Supervisor => "supervisor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// Indonesian, then English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Role::Admin => ("Admin", "everything, accounts, settings"),
            Role::Operator => ("Operator Dinsos", "batches, prelists, enumerators, exports"),
            Role::Verifikator => ("Verifikator", "reviews, conflicts, exports"),
            Role::Supervisor => ("Supervisor kecamatan", "reads and reviews in their region"),
            Role::Viewer => ("Pemantau (Bappeda/TKPK)", "recaps and exports, NIK/KK masked"),
        }
    }

    /// Whether a region scope must be given: the roles meant for part of the district.
    pub fn needs_region(self) -> bool {
        matches!(self, Role::Supervisor | Role::Viewer)
    }

    /// Whether a region scope may be given. The admin and the operator work for the whole
    /// district (accounts, settings, enumerators, prelists, uploads: pages that are not about
    /// one region's households), so a region would be a limit their pages do not keep.
    pub fn takes_region(self) -> bool {
        !matches!(self, Role::Admin | Role::Operator)
    }

    /// The table: whether this role has this right.
    pub fn may(self, right: Right) -> bool {
        use Right::*;
        match self {
            Role::Admin => true,
            Role::Operator => matches!(
                right,
                ReadHouseholds
                    | SeeIdentity
                    | UploadBatches
                    | ImportPrelists
                    | ManageEnumerators
                    | HandOutReviews
                    | Export
                    | ManageRound
                    | RecordAid
                    | ManageForms
            ),
            Role::Verifikator => matches!(
                right,
                ReadHouseholds
                    | SeeIdentity
                    | Review
                    | ResolveConflicts
                    | HandOutReviews
                    | Export
                    | RecordAid
            ),
            Role::Supervisor => matches!(
                right,
                ReadHouseholds | SeeIdentity | Review | HandOutReviews | Export
            ),
            Role::Viewer => matches!(right, ReadHouseholds | Export),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_only_admin_manages_accounts_and_reads_the_trail() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(role.may(Right::ManageAccounts), role == Role::Admin);
            assert_eq!(role.may(Right::ReadAudit), role == Role::Admin);
            assert_eq!(role.may(Right::ManageKeys), role == Role::Admin);
        }
        assert_eq!(Role::parse("root"), None);
        assert!(!Role::Viewer.may(Right::SeeIdentity));
        assert!(!Role::Supervisor.may(Right::UploadBatches));
        assert!(Role::Operator.may(Right::ManageRound));
        assert!(!Role::Viewer.may(Right::ManageRound) && !Role::Supervisor.may(Right::ManageRound));
    }
}
