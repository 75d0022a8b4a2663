//! What each issue says, in Bahasa Indonesia and English.

use super::IssueKind;
use crate::kk::KkProblem;
use crate::nik::NikProblem;
use crate::text::Message;

#[inline(always)]
pub(super) fn message_for(kind: &IssueKind) -> Message {
    match kind {
        IssueKind::Required => Message::new("Wajib diisi.", "Required."),
        IssueKind::TooShort { min } => Message::new(
            format!("Terlalu pendek: paling sedikit {min} karakter."),
            format!("Too short: at least {min} characters."),
        ),
        IssueKind::NameCharacters => Message::new(
            "Nama hanya boleh berisi huruf, spasi, titik, apostrof (') dan tanda hubung (-).",
            "A name may contain only letters, spaces, full stops, apostrophes (') and hyphens (-).",
        ),
        IssueKind::TooLong { max } => Message::new(
            format!("Terlalu panjang: paling banyak {max} karakter."),
            format!("Too long: at most {max} characters."),
        ),
        IssueKind::Digits { min, max } if min == max => Message::new(
            format!("Harus {min} angka, tanpa huruf atau tanda baca."),
            format!("Must be {min} digits, with no letters or punctuation."),
        ),
        IssueKind::Digits { min, max } => Message::new(
            format!("Harus {min}–{max} angka, tanpa huruf atau tanda baca."),
            format!("Must be {min}–{max} digits, with no letters or punctuation."),
        ),
        IssueKind::Kk(problem) => kk_message(*problem),
        IssueKind::Nik(problem) => nik_message(*problem),
        IssueKind::NotANumber => Message::new("Harus berupa angka.", "Must be a number."),
        IssueKind::TooManyDecimals { places } => Message::new(
            format!("Paling banyak {places} angka di belakang koma."),
            format!("At most {places} digits after the decimal point."),
        ),
        IssueKind::OutOfRange { min, max } => Message::new(
            format!("Harus antara {min} dan {max}."),
            format!("Must be between {min} and {max}."),
        ),
        IssueKind::BadDate => Message::new("Tanggal tidak valid.", "Not a valid date."),
        IssueKind::FutureDate => Message::new(
            "Tanggal tidak boleh melewati hari ini.",
            "The date cannot be later than today.",
        ),
        IssueKind::UnknownChoice { code } => Message::new(
            format!("Kode jawaban {code} tidak ada untuk pertanyaan ini."),
            format!("Answer code {code} does not exist for this question."),
        ),
        IssueKind::ExclusiveCombined { code } => Message::new(
            format!("Jawaban {code} tidak boleh digabung dengan jawaban lain."),
            format!("Answer {code} cannot be combined with other answers."),
        ),
        IssueKind::BadRegion => Message::new("Pilih wilayah dari daftar.", "Choose a region from the list."),
        IssueKind::BadGeopoint => Message::new(
            "Titik koordinat tidak terbaca; ambil ulang lokasi.",
            "The location cannot be read; take it again.",
        ),
        IssueKind::OutsideIndonesia => Message::new(
            "Titik koordinat berada di luar Indonesia; ambil ulang lokasi.",
            "The location is outside Indonesia; take it again.",
        ),
        IssueKind::LowAccuracy { metres } => Message::new(
            format!("Akurasi lokasi {metres} m (lebih dari 50 m). Coba ambil ulang di tempat terbuka."),
            format!("Location accuracy is {metres} m (worse than 50 m). Try again in the open."),
        ),
    }
}

fn kk_message(problem: KkProblem) -> Message {
    match problem {
        KkProblem::NotSixteenDigits => Message::new(
            "Nomor KK harus 16 angka, tanpa huruf, spasi atau tanda baca.",
            "The family card number must be 16 digits, with no letters, spaces or punctuation.",
        ),
        KkProblem::ProvinceOutOfRange => Message::new(
            "Dua angka pertama (kode provinsi) harus 11 sampai 99.",
            "The first two digits (province code) must be 11 to 99.",
        ),
        KkProblem::ZeroRegencyOrDistrict => Message::new(
            "Angka ke-3–4 (kabupaten/kota) dan ke-5–6 (kecamatan) tidak boleh 00.",
            "Digits 3–4 (regency) and 5–6 (district) cannot be 00.",
        ),
        KkProblem::ZeroSerial => Message::new(
            "Empat angka terakhir (nomor urut keluarga) tidak boleh 0000.",
            "The last four digits (family serial) cannot be 0000.",
        ),
        KkProblem::ImplausibleRecordingDate => Message::new(
            "Periksa kembali: angka ke-7–12 biasanya tanggal pencatatan (HHBBTT) yang tidak melewati hari ini.",
            "Check again: digits 7–12 are usually the recording date (DDMMYY), not later than today.",
        ),
    }
}

fn nik_message(problem: NikProblem) -> Message {
    match problem {
        NikProblem::NotSixteenDigits => Message::new(
            "NIK harus 16 angka, tanpa huruf, spasi atau tanda baca.",
            "The NIK must be 16 digits, with no letters, spaces or punctuation.",
        ),
        NikProblem::ProvinceOutOfRange => Message::new(
            "Dua angka pertama NIK (kode provinsi) harus 11 sampai 99.",
            "The first two digits of the NIK (province code) must be 11 to 99.",
        ),
        NikProblem::ZeroRegencyOrDistrict => Message::new(
            "Angka ke-3–4 dan ke-5–6 NIK tidak boleh 00.",
            "Digits 3–4 and 5–6 of the NIK cannot be 00.",
        ),
        NikProblem::BadDay => Message::new(
            "Angka ke-7–8 NIK (tanggal lahir, +40 untuk perempuan) harus 01–31 atau 41–71.",
            "Digits 7–8 of the NIK (day of birth, +40 for women) must be 01–31 or 41–71.",
        ),
        NikProblem::BadDate => Message::new(
            "Angka ke-7–12 NIK bukan tanggal lahir yang ada.",
            "Digits 7–12 of the NIK are not a real date of birth.",
        ),
        NikProblem::ZeroSerial => Message::new(
            "Empat angka terakhir NIK tidak boleh 0000.",
            "The last four digits of the NIK cannot be 0000.",
        ),
    }
}
