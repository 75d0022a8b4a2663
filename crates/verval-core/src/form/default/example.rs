//! A complete, valid family for tests in every layer (core, IndexedDB, export, end-to-end):
//! four members (a head over 60, a pregnant wife, a child under 5, a schoolgirl), a 450 W
//! meter and two aid rows, filled as an enumerator would on 2026-11-20.

use super::*;
use crate::date::Date;
use crate::form::derive::apply_calculations;
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, Timestamp};

/// The date the example's ages are counted to.
pub const EXAMPLE_TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};

const FAMILY: &[(&str, &str)] = &[
    ("prelist_id", "P3KE-3513142001-0001"),
    ("prelist_source", "1"),
    ("prelist_desil", "1"),
    ("prelist_padan_dukcapil", "1"),
    ("kode_provinsi", "35"),
    ("kode_kabkota", "35.13"),
    ("kode_kecamatan", "35.13.14"),
    ("kode_desa", "35.13.14.2001"),
    ("dusun", "Krajan"),
    ("rw", "003"),
    ("rt", "001"),
    ("alamat", "Dusun Krajan RT 001 RW 003, dekat masjid"),
    ("lokasi_rumah", "-7.7543 113.2159 12"),
    ("nama_kepala_keluarga", "SLAMET RIYADI"),
    ("nomor_kk", "3513141203150007"),
    ("status_kk", "1"),
    ("jumlah_keluarga_dalam_rumah", "1"),
    ("tanggal_kunjungan", "2026-11-20"),
    ("nama_petugas", "SITI AMINAH"),
    ("peran_petugas", "1"),
    ("hasil_wawancara", "1"),
    ("nama_responden", "SLAMET RIYADI"),
    ("hubungan_responden", "1"),
    ("status_verifikasi", "2"),
    ("status_bangunan", "1"),
    ("bukti_kepemilikan_tanah", "5"),
    ("luas_lantai", "36"),
    ("jenis_lantai", "8"),
    ("jenis_dinding", "4"),
    ("jenis_atap", "3"),
    ("sumber_air_minum", "5"),
    ("jarak_sumber_air_tinja", "2"),
    ("sumber_penerangan", "1"),
    ("id_pelanggan_pln", "51234567890"),
    ("bahan_bakar_masak", "4"),
    ("fasilitas_bab", "1"),
    ("jenis_kloset", "1"),
    ("pembuangan_tinja", "4"),
    ("aset_tabung_gas", "0"),
    ("aset_kulkas", "0"),
    ("aset_ac", "0"),
    ("aset_pemanas_air", "0"),
    ("aset_telepon_rumah", "0"),
    ("aset_tv_datar", "0"),
    ("aset_emas_gram", "0"),
    ("aset_komputer", "0"),
    ("aset_sepeda_motor", "1"),
    ("aset_sepeda", "1"),
    ("aset_mobil", "0"),
    ("aset_perahu", "0"),
    ("aset_kapal_motor", "0"),
    ("aset_smartphone", "1"),
    ("aset_lahan", "2"),
    ("aset_rumah_lain", "2"),
    ("ternak_sapi", "0"),
    ("ternak_kerbau", "0"),
    ("ternak_kuda", "0"),
    ("ternak_babi", "0"),
    ("ternak_kambing_domba", "2"),
    ("akses_internet", "3"),
    ("rekening", "4"),
    ("punya_simpanan", "2"),
    ("menerima_bantuan", "1"),
    ("kriteria_bps14", "8 10 14"),
    ("memenuhi_kriteria_p3ke", "1"),
    ("status_kesejahteraan_usulan", "1"),
    ("rekomendasi", "2"),
    ("bantuan_diusulkan", "BLT_DD RTLH_DESA"),
    ("alasan_usulan", "Rumah berlantai tanah, kepala keluarga lansia"),
    ("foto_rumah_depan", "foto-rumah-depan"),
    ("persetujuan", "1"),
];

/// Answers every member aged 5 or more gives to the difficulty items a–i and sadness.
const NO_DIFFICULTY: &[(&str, &str)] = &[
    ("sulit_melihat", "4"),
    ("sulit_mendengar", "4"),
    ("sulit_berjalan", "4"),
    ("sulit_tangan", "4"),
    ("sulit_belajar", "4"),
    ("sulit_perilaku", "4"),
    ("sulit_komunikasi", "4"),
    ("sulit_urus_diri", "4"),
    ("sulit_mengingat", "4"),
    ("sering_sedih_depresi", "4"),
];

const HEAD: &[(&str, &str)] = &[
    ("nama", "SLAMET RIYADI"),
    ("nik", "3513141203580001"),
    ("status_keberadaan_art", "1"),
    ("jenis_kelamin", "1"),
    ("tanggal_lahir", "1958-03-12"),
    ("status_kawin", "2"),
    ("hubungan_kk", "1"),
    ("kartu_identitas", "1 4"),
    ("partisipasi_sekolah", "3"),
    ("jenjang_pendidikan", "03"),
    ("kelas_tertinggi", "8"),
    ("ijazah_tertinggi", "03"),
    ("bekerja", "1"),
    ("jam_kerja", "35"),
    ("lapangan_usaha", "1"),
    ("lapangan_usaha_desk", "Buruh tani padi"),
    ("status_pekerjaan", "6"),
    ("punya_usaha", "2"),
    ("pengasuh", "1"),
    ("penyakit_kronis", "02"),
    ("jaminan_kesehatan", "1"),
    ("prakerja", "2"),
    ("kur", "2"),
    ("umi", "2"),
    ("jaminan_naker", "0"),
];

const WIFE: &[(&str, &str)] = &[
    ("nama", "SUMIATI"),
    ("nik", "3513144507960002"),
    ("status_keberadaan_art", "1"),
    ("jenis_kelamin", "2"),
    ("tanggal_lahir", "1996-07-05"),
    ("status_kawin", "2"),
    ("hubungan_kk", "2"),
    ("hamil", "1"),
    ("kartu_identitas", "1 4"),
    ("partisipasi_sekolah", "3"),
    ("jenjang_pendidikan", "08"),
    ("kelas_tertinggi", "8"),
    ("ijazah_tertinggi", "08"),
    ("bekerja", "2"),
    ("punya_usaha", "2"),
    ("penyakit_kronis", "01"),
    ("jaminan_kesehatan", "1"),
    ("prakerja", "2"),
    ("kur", "2"),
    ("umi", "2"),
    ("pip", "2"),
    ("jaminan_naker", "0"),
];

const TODDLER: &[(&str, &str)] = &[
    ("nama", "ANDI PRASETYO"),
    ("nik", "3513141501230003"),
    ("status_keberadaan_art", "1"),
    ("jenis_kelamin", "1"),
    ("tanggal_lahir", "2023-01-15"),
    ("status_kawin", "1"),
    ("hubungan_kk", "3"),
    ("kartu_identitas", "1"),
    ("status_gizi_balita", "0"),
    ("sulit_melihat", "4"),
    ("sulit_mendengar", "4"),
    ("sulit_berjalan", "4"),
    ("sulit_tangan", "4"),
    ("sulit_belajar", "4"),
    ("sulit_perilaku", "4"),
    ("penyakit_kronis", "01"),
    ("jaminan_kesehatan", "1"),
];

const DAUGHTER: &[(&str, &str)] = &[
    ("nama", "DEWI LESTARI"),
    ("nik", "3513144109120004"),
    ("status_keberadaan_art", "1"),
    ("jenis_kelamin", "2"),
    ("tanggal_lahir", "2012-09-01"),
    ("status_kawin", "1"),
    ("hubungan_kk", "3"),
    ("kartu_identitas", "1 2"),
    ("partisipasi_sekolah", "2"),
    ("jenjang_pendidikan", "08"),
    ("kelas_tertinggi", "2"),
    ("ijazah_tertinggi", "03"),
    ("bekerja", "2"),
    ("punya_usaha", "2"),
    ("penyakit_kronis", "01"),
    ("jaminan_kesehatan", "1"),
    ("prakerja", "2"),
    ("kur", "2"),
    ("umi", "2"),
    ("pip", "1"),
];

/// The example family as a finished draft (every calculation applied).
pub fn example_family(id: RecordId) -> HouseholdRecord {
    let now = Timestamp(1_795_600_000_000);
    let mut record = HouseholdRecord::new(id, now);
    for (field, value) in FAMILY {
        record.answers.insert_raw(field, value);
    }
    for (i, member) in [HEAD, WIFE, TODDLER, DAUGHTER].into_iter().enumerate() {
        let key = record.add_row(ART, now);
        let answers = member.iter().chain(if i == 2 { &[][..] } else { NO_DIFFICULTY });
        for (field, value) in answers {
            record.set_row_answer(ART, key, crate::ids::FieldId::new(field), value, now);
        }
    }
    let meter = record.add_row(DAYA_LISTRIK, now);
    record.set_row_answer(DAYA_LISTRIK, meter, DAYA_TERPASANG, "1", now);
    let pkh = record.add_row(BANTUAN, now);
    for (field, value) in [(PROGRAM, "PKH"), (BULAN_TERAKHIR, "10"), (TAHUN_TERAKHIR, "2026")] {
        record.set_row_answer(BANTUAN, pkh, field, value, now);
    }
    let pbi = record.add_row(BANTUAN, now);
    let head_key = record.repeats.rows(ART)[0].key.to_string();
    for (field, value) in [
        (PROGRAM, "PBI_JKN"),
        (PENERIMA_ART, head_key.as_str()),
        (BULAN_TERAKHIR, "11"),
        (TAHUN_TERAKHIR, "2026"),
    ] {
        record.set_row_answer(BANTUAN, pbi, field, value, now);
    }
    apply_calculations(&DEFAULT_FORM, &mut record, EXAMPLE_TODAY, now);
    record
}
