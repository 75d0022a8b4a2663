//! Relevance of every conditional question of sections D–I (spec §1.5–1.10): each field,
//! the answers around it, and whether it is asked.

use super::*;
use crate::ids::FieldId;

/// A field, the answers around it (the row's for member questions), and whether it is asked.
type Case = (&'static str, &'static [(&'static str, &'static str)], bool);

fn check_relevance(cases: &[Case]) {
    for (field, pairs, expected) in cases {
        let q = DEFAULT_FORM.question(FieldId::new(field)).expect(field);
        let answers = crate::form::cond::tests::answers(pairs);
        assert_eq!(
            crate::form::validate::is_relevant(q, &answers),
            *expected,
            "{field} with {pairs:?}"
        );
    }
}

#[test]
fn relevance_of_every_conditional_member_question() {
    const LIVING_ROW: &[(&str, &str)] = &[("status_keberadaan_art", "1")];
    let cases: &[Case] = &[
        ("jenis_kelamin", LIVING_ROW, true),
        ("jenis_kelamin", &[("status_keberadaan_art", "2")], false),
        ("tanggal_lahir", &[("status_keberadaan_art", "4")], true),
        ("umur", &[("status_keberadaan_art", "5")], false),
        ("status_kawin", LIVING_ROW, true),
        ("hubungan_kk", &[("status_keberadaan_art", "3")], false),
        (
            "hamil",
            &[
                ("status_keberadaan_art", "1"),
                ("jenis_kelamin", "2"),
                ("umur", "30"),
                ("status_kawin", "2"),
            ],
            true,
        ),
        (
            "hamil",
            &[
                ("status_keberadaan_art", "1"),
                ("jenis_kelamin", "2"),
                ("umur", "55"),
                ("status_kawin", "2"),
            ],
            false,
        ),
        (
            "hamil",
            &[
                ("status_keberadaan_art", "1"),
                ("jenis_kelamin", "2"),
                ("umur", "30"),
                ("status_kawin", "1"),
            ],
            false,
        ),
        (
            "hamil",
            &[
                ("status_keberadaan_art", "1"),
                ("jenis_kelamin", "1"),
                ("umur", "30"),
                ("status_kawin", "2"),
            ],
            false,
        ),
        ("kartu_identitas", LIVING_ROW, true),
        ("tanggal_meninggal", &[("status_keberadaan_art", "2")], true),
        ("tanggal_meninggal", LIVING_ROW, false),
        ("keterangan_pindah", &[("status_keberadaan_art", "3")], true),
        ("keterangan_pindah", LIVING_ROW, false),
        (
            "partisipasi_sekolah",
            &[("status_keberadaan_art", "1"), ("umur", "5")],
            true,
        ),
        (
            "partisipasi_sekolah",
            &[("status_keberadaan_art", "1"), ("umur", "4")],
            false,
        ),
        (
            "jenjang_pendidikan",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "9"),
                ("partisipasi_sekolah", "2"),
            ],
            true,
        ),
        (
            "kelas_tertinggi",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "40"),
                ("partisipasi_sekolah", "3"),
            ],
            true,
        ),
        (
            "ijazah_tertinggi",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "40"),
                ("partisipasi_sekolah", "1"),
            ],
            false,
        ),
        ("bekerja", &[("status_keberadaan_art", "1"), ("umur", "5")], true),
        (
            "jam_kerja",
            &[("status_keberadaan_art", "1"), ("umur", "30"), ("bekerja", "1")],
            true,
        ),
        (
            "jam_kerja",
            &[("status_keberadaan_art", "1"), ("umur", "30"), ("bekerja", "2")],
            false,
        ),
        (
            "lapangan_usaha",
            &[("status_keberadaan_art", "1"), ("umur", "30"), ("bekerja", "1")],
            true,
        ),
        (
            "lapangan_usaha_desk",
            &[("status_keberadaan_art", "1"), ("umur", "30"), ("bekerja", "1")],
            true,
        ),
        (
            "status_pekerjaan",
            &[("status_keberadaan_art", "1"), ("umur", "4"), ("bekerja", "1")],
            false,
        ),
        (
            "punya_usaha",
            &[("status_keberadaan_art", "1"), ("umur", "5")],
            true,
        ),
        (
            "usaha_lapangan",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "30"),
                ("punya_usaha", "1"),
            ],
            true,
        ),
        (
            "usaha_lapangan",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "30"),
                ("punya_usaha", "2"),
            ],
            false,
        ),
        (
            "status_gizi_balita",
            &[("status_keberadaan_art", "1"), ("umur", "4")],
            true,
        ),
        (
            "status_gizi_balita",
            &[("status_keberadaan_art", "1"), ("umur", "5")],
            false,
        ),
        (
            "sulit_melihat",
            &[("status_keberadaan_art", "1"), ("umur", "2")],
            true,
        ),
        (
            "sulit_perilaku",
            &[("status_keberadaan_art", "1"), ("umur", "1")],
            false,
        ),
        (
            "sulit_komunikasi",
            &[("status_keberadaan_art", "1"), ("umur", "4")],
            false,
        ),
        (
            "sulit_mengingat",
            &[("status_keberadaan_art", "1"), ("umur", "5")],
            true,
        ),
        (
            "sering_sedih_depresi",
            &[("status_keberadaan_art", "1"), ("umur", "5")],
            true,
        ),
        (
            "pengasuh",
            &[("status_keberadaan_art", "1"), ("umur", "60")],
            true,
        ),
        (
            "pengasuh",
            &[("status_keberadaan_art", "1"), ("umur", "59")],
            false,
        ),
        (
            "pengasuh",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "20"),
                ("sulit_melihat", "2"),
            ],
            true,
        ),
        (
            "pengasuh",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "20"),
                ("sering_sedih_depresi", "1"),
            ],
            true,
        ),
        (
            "pengasuh",
            &[
                ("status_keberadaan_art", "1"),
                ("umur", "20"),
                ("sulit_melihat", "3"),
            ],
            false,
        ),
        ("penyakit_kronis", LIVING_ROW, true),
        ("jaminan_kesehatan", &[("status_keberadaan_art", "2")], false),
        ("prakerja", &[("status_keberadaan_art", "1"), ("umur", "5")], true),
        ("kur", &[("status_keberadaan_art", "1"), ("umur", "4")], false),
        ("umi", &[("status_keberadaan_art", "1"), ("umur", "70")], true),
        ("pip", &[("status_keberadaan_art", "1"), ("umur", "30")], true),
        ("pip", &[("status_keberadaan_art", "1"), ("umur", "31")], false),
        (
            "jaminan_naker",
            &[("status_keberadaan_art", "1"), ("umur", "15")],
            true,
        ),
        (
            "jaminan_naker",
            &[("status_keberadaan_art", "1"), ("umur", "14")],
            false,
        ),
        ("nik", &[], true),
    ];
    check_relevance(cases);
}

#[test]
fn relevance_of_every_conditional_question_of_sections_e_to_i() {
    let cases: &[Case] = &[
        ("bukti_kepemilikan_tanah", &[("status_bangunan", "1")], true),
        ("bukti_kepemilikan_tanah", &[("status_bangunan", "2")], false),
        ("jarak_sumber_air_tinja", &[("sumber_air_minum", "4")], true),
        ("jarak_sumber_air_tinja", &[("sumber_air_minum", "8")], true),
        ("jarak_sumber_air_tinja", &[("sumber_air_minum", "3")], false),
        ("id_pelanggan_pln", &[("sumber_penerangan", "1")], true),
        ("id_pelanggan_pln", &[("sumber_penerangan", "2")], false),
        ("jenis_kloset", &[("fasilitas_bab", "3")], true),
        ("jenis_kloset", &[("fasilitas_bab", "4")], false),
        ("pembuangan_tinja", &[("fasilitas_bab", "1")], true),
        ("pembuangan_tinja", &[("fasilitas_bab", "6")], false),
        ("luas_lahan_m2", &[("aset_lahan", "1")], true),
        ("luas_lahan_m2", &[("aset_lahan", "2")], false),
        ("alasan_tidak_memenuhi", &[("memenuhi_kriteria_p3ke", "2")], true),
        ("alasan_tidak_memenuhi", &[("memenuhi_kriteria_p3ke", "1")], false),
        ("bantuan_diusulkan", &[("rekomendasi", "4")], true),
        ("bantuan_diusulkan", &[("rekomendasi", "3")], false),
        ("foto_rumah_depan", &[("status_verifikasi", "10")], true),
        ("foto_rumah_depan", &[("status_verifikasi", "6")], false),
        ("foto_jamban", &[("status_verifikasi", "3")], true),
        ("persetujuan", &[("hasil_wawancara", "2")], true),
        ("persetujuan", &[("hasil_wawancara", "4")], false),
        ("tanda_tangan", &[("persetujuan", "1")], true),
        ("tanda_tangan", &[("persetujuan", "2")], false),
        ("program_lain", &[("program", "99")], true),
        ("program_lain", &[("program", "PKH")], false),
        ("penerima_art", &[("program", "PIP")], true),
        ("penerima_art", &[("program", "PKH")], false),
    ];
    check_relevance(cases);
    let repeat_relevant = |id: &'static str, pairs: &'static [(&'static str, &'static str)]| {
        let r = DEFAULT_FORM.repeat(FieldId::new(id)).unwrap();
        crate::form::validate::is_repeat_relevant(r, &crate::form::cond::tests::answers(pairs))
    };
    assert!(repeat_relevant("daya_listrik", &[("sumber_penerangan", "1")]));
    assert!(!repeat_relevant("daya_listrik", &[("sumber_penerangan", "3")]));
    assert!(repeat_relevant("bantuan", &[("menerima_bantuan", "1")]));
    assert!(!repeat_relevant("bantuan", &[("menerima_bantuan", "2")]));
    assert!(repeat_relevant("art", &[]));
    let section_relevant = |id: &str, status: &'static str| {
        let pairs: &'static [(&'static str, &'static str)] =
            Box::leak(Box::new([("status_verifikasi", status)]));
        crate::form::validate::is_section_relevant(
            DEFAULT_FORM.section(id).unwrap(),
            &crate::form::cond::tests::answers(pairs),
        )
    };
    for status in ["1", "2", "3", "10"] {
        assert!(
            ["D", "E", "F", "G", "H", "I"]
                .iter()
                .all(|s| section_relevant(s, status)),
            "{status}"
        );
    }
    for status in ["4", "5", "6", "7", "8", "9"] {
        assert!(
            ["D", "E", "F", "G"].iter().all(|s| !section_relevant(s, status)),
            "{status}"
        );
        assert!(
            section_relevant("H", status) && section_relevant("I", status),
            "{status}"
        );
    }
}
