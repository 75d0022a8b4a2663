// A complete family for the end-to-end tests, the same family as the core's example
// (crates/verval-core/src/form/default/example.rs): four members (a head over 60, a pregnant
// wife, a child under 5, a schoolgirl), a 450 W meter, two aid rows. Steps per section, in
// the order an enumerator answers (later questions appear as earlier answers make them
// relevant).

export const SECTION_A = [
  ['fill', 'prelist_id', 'P3KE-3513142001-0001'],
  ['choose', 'prelist_source', '1'],
  ['fill', 'prelist_desil', '1'],
  ['choose', 'prelist_padan_dukcapil', '1'],
  ['choose', 'kode_provinsi', '35'],
  ['choose', 'kode_kabkota', '35.13'],
  ['choose', 'kode_kecamatan', '35.13.14'],
  ['choose', 'kode_desa', '35.13.14.2001'],
  ['fill', 'dusun', 'Krajan'],
  ['fill', 'rw', '003'],
  ['fill', 'rt', '001'],
  ['fill', 'alamat', 'Dusun Krajan RT 001 RW 003, dekat masjid'],
  ['fill', 'nama_kepala_keluarga', 'SLAMET RIYADI'],
  ['fill', 'nomor_kk', '3513141203150007'],
  ['choose', 'status_kk', '1'],
];

export const SECTION_B = [
  ['date', 'tanggal_kunjungan', '2026-11-20'],
  ['fill', 'nama_petugas', 'SITI AMINAH'],
  ['choose', 'peran_petugas', '1'],
  ['choose', 'hasil_wawancara', '1'],
  ['fill', 'nama_responden', 'SLAMET RIYADI'],
  ['choose', 'hubungan_responden', '1'],
];

export const SECTION_C = [['choose', 'status_verifikasi', '2']];

// Asked once section C says the family was found.
export const SECTION_A_FOUND = [['fill', 'jumlah_keluarga_dalam_rumah', '1']];

const NO_DIFFICULTY_2 = ['sulit_melihat', 'sulit_mendengar', 'sulit_berjalan', 'sulit_tangan', 'sulit_belajar', 'sulit_perilaku'].map(
  (f) => ['choose', f, '4'],
);
const NO_DIFFICULTY_5 = [
  ...NO_DIFFICULTY_2,
  ...['sulit_komunikasi', 'sulit_urus_diri', 'sulit_mengingat', 'sering_sedih_depresi'].map((f) => ['choose', f, '4']),
];

export const MEMBERS = [
  [
    ['fill', 'nama', 'SLAMET RIYADI'],
    ['fill', 'nik', '3513141203580001'],
    ['choose', 'status_keberadaan_art', '1'],
    ['choose', 'jenis_kelamin', '1'],
    ['partial-date', 'tanggal_lahir', '1958-03-12'],
    ['choose', 'status_kawin', '2'],
    ['choose', 'hubungan_kk', '1'],
    ['tick', 'kartu_identitas', ['1', '4']],
    ['choose', 'partisipasi_sekolah', '3'],
    ['choose', 'jenjang_pendidikan', '03'],
    ['choose', 'kelas_tertinggi', '8'],
    ['choose', 'ijazah_tertinggi', '03'],
    ['choose', 'bekerja', '1'],
    ['fill', 'jam_kerja', '35'],
    ['choose', 'lapangan_usaha', '1'],
    ['fill', 'lapangan_usaha_desk', 'Buruh tani padi'],
    ['choose', 'status_pekerjaan', '6'],
    ['choose', 'punya_usaha', '2'],
    ...NO_DIFFICULTY_5,
    ['choose', 'pengasuh', '1'],
    ['tick', 'penyakit_kronis', ['02']],
    ['tick', 'jaminan_kesehatan', ['1']],
    ['choose', 'prakerja', '2'],
    ['choose', 'kur', '2'],
    ['choose', 'umi', '2'],
    ['tick', 'jaminan_naker', ['0']],
  ],
  [
    ['fill', 'nama', 'SUMIATI'],
    ['fill', 'nik', '3513144507960002'],
    ['choose', 'status_keberadaan_art', '1'],
    ['choose', 'jenis_kelamin', '2'],
    ['partial-date', 'tanggal_lahir', '1996-07-05'],
    ['choose', 'status_kawin', '2'],
    ['choose', 'hubungan_kk', '2'],
    ['choose', 'hamil', '1'],
    ['tick', 'kartu_identitas', ['1', '4']],
    ['choose', 'partisipasi_sekolah', '3'],
    ['choose', 'jenjang_pendidikan', '08'],
    ['choose', 'kelas_tertinggi', '8'],
    ['choose', 'ijazah_tertinggi', '08'],
    ['choose', 'bekerja', '2'],
    ['choose', 'punya_usaha', '2'],
    ...NO_DIFFICULTY_5,
    ['tick', 'penyakit_kronis', ['01']],
    ['tick', 'jaminan_kesehatan', ['1']],
    ['choose', 'prakerja', '2'],
    ['choose', 'kur', '2'],
    ['choose', 'umi', '2'],
    ['choose', 'pip', '2'],
    ['tick', 'jaminan_naker', ['0']],
  ],
  [
    ['fill', 'nama', 'ANDI PRASETYO'],
    ['fill', 'nik', '3513141501230003'],
    ['choose', 'status_keberadaan_art', '1'],
    ['choose', 'jenis_kelamin', '1'],
    ['partial-date', 'tanggal_lahir', '2023-01-15'],
    ['choose', 'status_kawin', '1'],
    ['choose', 'hubungan_kk', '3'],
    ['tick', 'kartu_identitas', ['1']],
    ['choose', 'status_gizi_balita', '0'],
    ...NO_DIFFICULTY_2,
    ['tick', 'penyakit_kronis', ['01']],
    ['tick', 'jaminan_kesehatan', ['1']],
  ],
  [
    ['fill', 'nama', 'DEWI LESTARI'],
    ['fill', 'nik', '3513144109120004'],
    ['choose', 'status_keberadaan_art', '1'],
    ['choose', 'jenis_kelamin', '2'],
    ['partial-date', 'tanggal_lahir', '2012-09-01'],
    ['choose', 'status_kawin', '1'],
    ['choose', 'hubungan_kk', '3'],
    ['tick', 'kartu_identitas', ['1', '2']],
    ['choose', 'partisipasi_sekolah', '2'],
    ['choose', 'jenjang_pendidikan', '08'],
    ['choose', 'kelas_tertinggi', '2'],
    ['choose', 'ijazah_tertinggi', '03'],
    ['choose', 'bekerja', '2'],
    ['choose', 'punya_usaha', '2'],
    ...NO_DIFFICULTY_5,
    ['tick', 'penyakit_kronis', ['01']],
    ['tick', 'jaminan_kesehatan', ['1']],
    ['choose', 'prakerja', '2'],
    ['choose', 'kur', '2'],
    ['choose', 'umi', '2'],
    ['choose', 'pip', '1'],
  ],
];

export const SECTION_E = [
  ['choose', 'status_bangunan', '1'],
  ['choose', 'bukti_kepemilikan_tanah', '5'],
  ['fill', 'luas_lantai', '36'],
  ['choose', 'jenis_lantai', '8'],
  ['choose', 'jenis_dinding', '4'],
  ['choose', 'jenis_atap', '3'],
  ['choose', 'sumber_air_minum', '5'],
  ['choose', 'jarak_sumber_air_tinja', '2'],
  ['choose', 'sumber_penerangan', '1'],
];
export const METER = [['choose', 'daya_terpasang', '1']];
export const SECTION_E_AFTER_METER = [
  ['fill', 'id_pelanggan_pln', '51234567890'],
  ['choose', 'bahan_bakar_masak', '4'],
  ['choose', 'fasilitas_bab', '1'],
  ['choose', 'jenis_kloset', '1'],
  ['choose', 'pembuangan_tinja', '4'],
];

const ZERO = [
  'aset_tabung_gas', 'aset_kulkas', 'aset_ac', 'aset_pemanas_air', 'aset_telepon_rumah', 'aset_tv_datar',
  'aset_emas_gram', 'aset_komputer', 'aset_mobil', 'aset_perahu', 'aset_kapal_motor',
  'ternak_sapi', 'ternak_kerbau', 'ternak_kuda', 'ternak_babi',
];
export const SECTION_F = [
  ...ZERO.map((f) => ['fill', f, '0']),
  ['fill', 'aset_sepeda_motor', '1'],
  ['fill', 'aset_sepeda', '1'],
  ['fill', 'aset_smartphone', '1'],
  ['choose', 'aset_lahan', '2'],
  ['choose', 'aset_rumah_lain', '2'],
  ['fill', 'ternak_kambing_domba', '2'],
  ['choose', 'akses_internet', '3'],
  ['choose', 'rekening', '4'],
  ['choose', 'punya_simpanan', '2'],
];

export const SECTION_G = [['choose', 'menerima_bantuan', '1']];
export const AID = [
  [
    ['choose', 'program', 'PKH'],
    ['choose', 'bulan_terakhir', '10'],
    ['fill', 'tahun_terakhir', '2026'],
  ],
  [
    ['choose', 'program', 'PBI_JKN'],
    ['choose', 'penerima_art', '1'],
    ['choose', 'bulan_terakhir', '11'],
    ['fill', 'tahun_terakhir', '2026'],
  ],
];

export const SECTION_H = [
  ['tick', 'kriteria_bps14', ['8', '10', '14']],
  ['choose', 'memenuhi_kriteria_p3ke', '1'],
  ['choose', 'status_kesejahteraan_usulan', '1'],
  ['choose', 'rekomendasi', '2'],
  ['tick', 'bantuan_diusulkan', ['BLT_DD', 'RTLH_DESA']],
  ['fill', 'alasan_usulan', 'Rumah berlantai tanah, kepala keluarga lansia'],
];

export const SECTION_I = [['choose', 'persetujuan', '1']];
