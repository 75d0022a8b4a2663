//! The built-in "Form Verval Keluarga" of spec §1, as data.
//!
//! Written so far: sections A (identity and location), B (visit) and C (verification outcome),
//! complete with their answer codes and skip logic. Sections D–I, the repeats and the
//! calculated fields (jumlah_art, umur, disabilitas, housing indicators) follow; until then
//! this form is not the one the app renders.

mod a_identity;
mod b_visit;
mod c_outcome;

pub use a_identity::*;
pub use b_visit::*;
pub use c_outcome::*;

use super::model::{Form, Section};
use crate::text::Text;

pub const FORM_ID: &str = "verval-keluarga";

pub static DEFAULT_FORM: Form = Form {
    id: FORM_ID,
    version: crate::record::FORM_VERSION,
    sections: &SECTIONS,
};

static SECTIONS: [Section; 3] = [
    Section {
        id: "A",
        title: Text::new("Identitas keluarga & lokasi", "Family identity & location"),
        items: &a_identity::ITEMS,
    },
    Section {
        id: "B",
        title: Text::new("Kunjungan & petugas", "Visit & enumerator"),
        items: &b_visit::ITEMS,
    },
    Section {
        id: "C",
        title: Text::new("Hasil verifikasi keberadaan keluarga", "Verification outcome"),
        items: &c_outcome::ITEMS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::check::check_form;
    use crate::form::cond::tests::answers;

    #[test]
    fn the_default_form_passes_its_definition_checks() {
        assert_eq!(check_form(&DEFAULT_FORM), Vec::<String>::new());
    }

    #[test]
    fn field_ids_are_the_spec_ids_in_form_order() {
        let ids: Vec<&str> = DEFAULT_FORM.questions().map(|(_, q)| q.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "prelist_id",
                "prelist_source",
                "prelist_desil",
                "prelist_padan_dukcapil",
                "kode_provinsi",
                "kode_kabkota",
                "kode_kecamatan",
                "kode_desa",
                "dusun",
                "rw",
                "rt",
                "alamat",
                "lokasi_rumah",
                "nama_kepala_keluarga",
                "nomor_kk",
                "status_kk",
                "foto_kk",
                "jumlah_keluarga_dalam_rumah",
                "tanggal_kunjungan",
                "nama_petugas",
                "peran_petugas",
                "tanggal_pemeriksaan",
                "nama_pemeriksa",
                "hasil_wawancara",
                "nama_responden",
                "hubungan_responden",
                "status_verifikasi",
                "ganda_dengan",
                "gabung_ke_kk",
                "pindah_tujuan_desa",
                "keterangan_verifikasi",
            ]
        );
    }

    fn relevant(field: &str, pairs: &[(&'static str, &'static str)]) -> bool {
        let q = DEFAULT_FORM
            .questions()
            .map(|(_, q)| q)
            .find(|q| q.id.as_str() == field)
            .expect(field);
        q.relevant.as_ref().is_none_or(|c| c.holds(&answers(pairs)))
    }

    /// A field, the answers around it, and whether it is asked.
    type RelevanceCase = (&'static str, &'static [(&'static str, &'static str)], bool);

    /// Relevance of every conditional field of sections A–C (spec §1.2–1.4).
    #[test]
    fn relevance_of_every_conditional_field() {
        let cases: &[RelevanceCase] = &[
            ("lokasi_rumah", &[("status_verifikasi", "1")], true),
            ("lokasi_rumah", &[("status_verifikasi", "3")], true),
            ("lokasi_rumah", &[("status_verifikasi", "10")], true),
            ("lokasi_rumah", &[("status_verifikasi", "4")], false),
            ("lokasi_rumah", &[], false),
            ("foto_kk", &[("status_kk", "1")], true),
            ("foto_kk", &[("status_kk", "2")], false),
            ("jumlah_keluarga_dalam_rumah", &[("status_verifikasi", "2")], true),
            (
                "jumlah_keluarga_dalam_rumah",
                &[("status_verifikasi", "6")],
                false,
            ),
            ("nama_responden", &[("hasil_wawancara", "1")], true),
            ("nama_responden", &[("hasil_wawancara", "2")], true),
            ("nama_responden", &[("hasil_wawancara", "4")], false),
            ("hubungan_responden", &[("hasil_wawancara", "2")], true),
            ("hubungan_responden", &[("hasil_wawancara", "3")], false),
            ("ganda_dengan", &[("status_verifikasi", "7")], true),
            ("ganda_dengan", &[("status_verifikasi", "8")], false),
            ("gabung_ke_kk", &[("status_verifikasi", "8")], true),
            ("gabung_ke_kk", &[("status_verifikasi", "7")], false),
            ("pindah_tujuan_desa", &[("status_verifikasi", "4")], true),
            ("pindah_tujuan_desa", &[("status_verifikasi", "3")], false),
            ("keterangan_verifikasi", &[], true),
            ("alamat", &[("status_verifikasi", "6")], true),
        ];
        for (field, pairs, expected) in cases {
            assert_eq!(relevant(field, pairs), *expected, "{field} with {pairs:?}");
        }
    }

    #[test]
    fn conditional_requirements() {
        use crate::form::model::Required;
        let required = |field: &str, pairs: &[(&'static str, &'static str)]| match &DEFAULT_FORM
            .questions()
            .map(|(_, q)| q)
            .find(|q| q.id.as_str() == field)
            .expect(field)
            .required
        {
            Required::Yes => true,
            Required::No => false,
            Required::When(c) => c.holds(&answers(pairs)),
        };
        assert!(required("nomor_kk", &[("status_kk", "1")]));
        assert!(
            required("nomor_kk", &[]),
            "required until the family is known to have no card"
        );
        assert!(!required("nomor_kk", &[("status_kk", "3")]));
        for status in ["5", "6", "7", "8", "9"] {
            let pairs: &[(&str, &str)] = Box::leak(Box::new([("status_verifikasi", status)]));
            assert!(required("keterangan_verifikasi", pairs), "{status}");
        }
        assert!(!required("keterangan_verifikasi", &[("status_verifikasi", "1")]));
        assert!(required("nama_kepala_keluarga", &[]));
        assert!(!required("dusun", &[]));
    }

    #[test]
    fn answer_codes_are_the_spec_codes() {
        let codes = |field: &str| -> Vec<&str> {
            DEFAULT_FORM
                .questions()
                .map(|(_, q)| q)
                .find(|q| q.id.as_str() == field)
                .expect(field)
                .kind
                .choices()
                .iter()
                .map(|c| c.code)
                .collect()
        };
        assert_eq!(
            codes("status_verifikasi"),
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
        );
        assert_eq!(codes("prelist_source"), ["1", "2", "3", "4", "5", "9"]);
        assert_eq!(codes("peran_petugas"), ["1", "2", "3", "4", "5", "6", "7", "9"]);
        assert_eq!(codes("hasil_wawancara"), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            codes("hubungan_responden"),
            ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        );
        assert_eq!(codes("status_kk"), ["1", "2", "3"]);
        assert_eq!(codes("prelist_padan_dukcapil"), ["1", "2", "9"]);
    }
}
