//! The built-in "Form Verval Keluarga" of spec §1, as data: sections A–I with every
//! question, answer code, skip rule, calculation and cross-field rule.
//!
//! Changes from the spec, for field sense (also in ARCHITECTURE.md):
//! - `kriteria_bps14` is split: `kriteria_bps14_otomatis` (criteria 1–7 and 13, derived from
//!   sections D and E) and `kriteria_bps14` (8–12 and 14, ticked), so a derived tick is never
//!   mixed with, or overwritten by, the enumerator's; `jumlah_kriteria` counts both.
//! - `penyakit_kronis` is select-multiple (the spec allows it): people have several conditions.
//! - `kartu_identitas`, `jaminan_kesehatan` and `jaminan_naker` have an explicit code 0
//!   ("none") so "none" and "not yet asked" differ; exports sum the codes as Regsosek does.
//! - The difficulty items b–e are named `sulit_mendengar`, `sulit_berjalan`, `sulit_tangan`,
//!   `sulit_belajar` (the spec names only a and f); the meter repeat's question is
//!   `daya_terpasang`.
//! - `penerima_art` stores the member row's key, not its line number, so removing a member
//!   cannot move an aid to another person; exports write the line number.

mod a_identity;
mod b_visit;
mod c_outcome;
mod codes;
mod d_members;
mod e_housing;
#[cfg(any(test, feature = "testing"))]
pub mod example;
mod f_assets;
mod g_aid;
mod h_decision;
mod i_documentation;
mod rules;

pub use a_identity::*;
pub use b_visit::*;
pub use c_outcome::*;
pub use d_members::*;
pub use e_housing::*;
pub use f_assets::*;
pub use g_aid::*;
pub use h_decision::*;
pub use i_documentation::*;

use super::cond::Cond;
use super::model::{Form, Section};
use crate::text::Text;

pub const FORM_ID: &str = "verval-keluarga";

/// Photos of identity documents (the KK, the KTP): they show NIK and KK numbers, so only
/// those who may see the numbers may see them.
pub const IDENTITY_PHOTOS: [crate::ids::FieldId; 2] = [FOTO_KK, FOTO_KTP_KK];

pub static DEFAULT_FORM: Form = Form {
    id: FORM_ID,
    version: crate::record::FORM_VERSION,
    sections: &SECTIONS,
    rules: &rules::RULES,
    region_cascade: &a_identity::REGION_CASCADE,
};

/// Sections D–G are skipped for families that moved away, died out, were not found, are
/// duplicates, joined another family or refused (spec §1.4).
const VISITED: Cond = Cond::Not(&NOT_VISITABLE);

static SECTIONS: [Section; 9] = [
    Section {
        id: "A",
        title: Text::new("Identitas keluarga & lokasi", "Family identity & location"),
        relevant: None,
        items: &a_identity::ITEMS,
    },
    Section {
        id: "B",
        title: Text::new("Kunjungan & petugas", "Visit & enumerator"),
        relevant: None,
        items: &b_visit::ITEMS,
    },
    Section {
        id: "C",
        title: Text::new("Hasil verifikasi keberadaan keluarga", "Verification outcome"),
        relevant: None,
        items: &c_outcome::ITEMS,
    },
    Section {
        id: "D",
        title: Text::new("Anggota keluarga", "Family members"),
        relevant: Some(VISITED),
        items: &d_members::ITEMS,
    },
    Section {
        id: "E",
        title: Text::new("Keterangan perumahan", "Housing"),
        relevant: Some(VISITED),
        items: &e_housing::ITEMS,
    },
    Section {
        id: "F",
        title: Text::new("Kepemilikan aset", "Assets"),
        relevant: Some(VISITED),
        items: &f_assets::ITEMS,
    },
    Section {
        id: "G",
        title: Text::new("Bantuan yang sudah diterima", "Aid received"),
        relevant: Some(VISITED),
        items: &g_aid::ITEMS,
    },
    Section {
        id: "H",
        title: Text::new(
            "Penilaian, keputusan & usulan",
            "Assessment, decision & proposals",
        ),
        relevant: None,
        items: &h_decision::ITEMS,
    },
    Section {
        id: "I",
        title: Text::new("Dokumentasi & persetujuan", "Photos, consent & notes"),
        relevant: None,
        items: &i_documentation::ITEMS,
    },
];

#[cfg(test)]
mod family_tests;
#[cfg(test)]
mod relevance_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::check::check_form;
    use crate::form::cond::tests::answers;
    use crate::form::model::SectionItem;

    #[test]
    fn the_default_form_passes_its_definition_checks() {
        assert_eq!(check_form(&DEFAULT_FORM), Vec::<String>::new());
    }

    /// What the hub masks for roles that may not see identity numbers.
    #[test]
    fn the_identity_fields_are_the_kk_and_each_members_nik() {
        let fields: Vec<&str> = DEFAULT_FORM.identity_fields().collect();
        assert!(fields.contains(&"nomor_kk"), "{fields:?}");
        assert!(fields.contains(&"nik"), "{fields:?}");
        assert!(!fields.contains(&"nama_kepala_keluarga"), "{fields:?}");
    }

    /// Field ids are the inputs' names and the export columns: this list changes only on
    /// purpose.
    #[test]
    fn field_ids_are_the_spec_ids_in_form_order() {
        let expected: [(&str, &str); 9] = [
            ("A", "prelist_id prelist_source prelist_desil prelist_padan_dukcapil kode_provinsi kode_kabkota kode_kecamatan kode_desa dusun rw rt alamat lokasi_rumah nama_kepala_keluarga nomor_kk status_kk foto_kk jumlah_keluarga_dalam_rumah jumlah_art"),
            ("B", "tanggal_kunjungan nama_petugas peran_petugas tanggal_pemeriksaan nama_pemeriksa hasil_wawancara nama_responden hubungan_responden"),
            ("C", "status_verifikasi ganda_dengan gabung_ke_kk pindah_tujuan_desa keterangan_verifikasi"),
            ("D", "no_urut nama nik nik_tidak_ada status_keberadaan_art jenis_kelamin tanggal_lahir umur status_kawin hubungan_kk hamil kartu_identitas tanggal_meninggal keterangan_pindah partisipasi_sekolah jenjang_pendidikan kelas_tertinggi ijazah_tertinggi bekerja jam_kerja lapangan_usaha lapangan_usaha_desk status_pekerjaan punya_usaha usaha_lapangan status_gizi_balita sulit_melihat sulit_mendengar sulit_berjalan sulit_tangan sulit_belajar sulit_perilaku sulit_komunikasi sulit_urus_diri sulit_mengingat sering_sedih_depresi disabilitas pengasuh penyakit_kronis jaminan_kesehatan prakerja kur umi pip jaminan_naker"),
            ("E", "status_bangunan bukti_kepemilikan_tanah luas_lantai jenis_lantai jenis_dinding jenis_atap kondisi_atap kondisi_dinding kondisi_lantai sumber_air_minum jarak_sumber_air_tinja sumber_penerangan daya_terpasang id_pelanggan_pln bahan_bakar_masak fasilitas_bab jenis_kloset pembuangan_tinja luas_lantai_per_kapita bangunan_layak air_minum_layak sanitasi_layak listrik_450"),
            ("F", "aset_tabung_gas aset_kulkas aset_ac aset_pemanas_air aset_telepon_rumah aset_tv_datar aset_emas_gram aset_komputer aset_sepeda_motor aset_sepeda aset_mobil aset_perahu aset_kapal_motor aset_smartphone aset_lahan luas_lahan_m2 aset_rumah_lain ternak_sapi ternak_kerbau ternak_kuda ternak_babi ternak_kambing_domba ternak_unggas akses_internet rekening punya_simpanan"),
            ("G", "menerima_bantuan program program_lain sumber_dana penerima_art bulan_terakhir tahun_terakhir"),
            ("H", "kriteria_bps14_otomatis kriteria_bps14 jumlah_kriteria pendapatan_perkapita memenuhi_kriteria_p3ke alasan_tidak_memenuhi status_kesejahteraan_usulan rekomendasi bantuan_diusulkan alasan_usulan nomor_ba_musdes tanggal_musdes"),
            ("I", "foto_rumah_depan foto_dalam_rumah foto_atap foto_lantai foto_dinding foto_jamban foto_ktp_kk persetujuan tanda_tangan catatan"),
        ];
        for (section, ids) in expected {
            let found: Vec<&str> = DEFAULT_FORM
                .section(section)
                .unwrap()
                .items
                .iter()
                .flat_map(|item| match item {
                    SectionItem::Question(q) => vec![q.id.as_str()],
                    SectionItem::Repeat(r) => r.questions.iter().map(|q| q.id.as_str()).collect(),
                })
                .collect();
            assert_eq!(found.join(" "), ids, "section {section}");
        }
        let repeats: Vec<(&str, u16, u16)> = ["art", "daya_listrik", "bantuan"]
            .iter()
            .map(|id| {
                let r = DEFAULT_FORM.repeat(crate::ids::FieldId::new(id)).unwrap();
                (r.id.as_str(), r.min_rows, r.max_rows)
            })
            .collect();
        assert_eq!(
            repeats,
            [("art", 1, 30), ("daya_listrik", 1, 3), ("bantuan", 1, 40)]
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
