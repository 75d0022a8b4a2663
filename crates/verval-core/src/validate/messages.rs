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
        IssueKind::YearTooEarly { min } => Message::new(
            format!("Tahun tidak boleh sebelum {min}."),
            format!("The year cannot be before {min}."),
        ),
        IssueKind::TooFewRows { min } => Message::new(
            format!("Isi paling sedikit {min} baris."),
            format!("Fill in at least {min} rows."),
        ),
        IssueKind::TooManyRows { max } => Message::new(
            format!("Paling banyak {max} baris."),
            format!("At most {max} rows."),
        ),
        IssueKind::UnknownRow => Message::new(
            "Anggota yang dipilih sudah tidak ada; pilih lagi.",
            "The chosen member is no longer there; choose again.",
        ),
        IssueKind::HeadCount { found: 0 } => Message::new(
            "Belum ada kepala keluarga: tepat satu anggota harus berhubungan \"Kepala keluarga\".",
            "No head of family yet: exactly one member must be \"Head of family\".",
        ),
        IssueKind::HeadCount { found } => Message::new(
            format!("Ada {found} kepala keluarga; harus tepat satu."),
            format!("There are {found} heads of family; there must be exactly one."),
        ),
        IssueKind::SpouseCount { found } => Message::new(
            format!("Ada {found} istri/suami kepala keluarga; paling banyak satu."),
            format!("There are {found} wives/husbands of the head; at most one."),
        ),
        IssueKind::DuplicateNikInFamily { member } => Message::new(
            format!("NIK ini sama dengan NIK anggota nomor {member}."),
            format!("This NIK is the same as member {member}'s."),
        ),
        IssueKind::NikInOtherFamily { family } => Message::new(
            format!("NIK ini juga tercatat di keluarga lain di HP ini: {family}. Periksa apakah data ganda."),
            format!("This NIK is also recorded in another family on this phone: {family}. Check for a duplicate."),
        ),
        IssueKind::KkInOtherFamily { family } => Message::new(
            format!("Nomor KK ini juga tercatat di keluarga lain di HP ini: {family}. Periksa apakah data ganda."),
            format!("This family card number is also recorded in another family on this phone: {family}. Check for a duplicate."),
        ),
        IssueKind::NikSexMismatch => Message::new(
            "Jenis kelamin berbeda dengan yang tersirat di NIK. Periksa lagi; boleh disimpan bila memang begitu.",
            "The sex differs from the one the NIK implies. Check again; it may be kept if it is right.",
        ),
        IssueKind::NikBirthDateMismatch => Message::new(
            "Tanggal lahir berbeda dengan yang tersirat di NIK. Periksa lagi; boleh disimpan bila memang begitu.",
            "The date of birth differs from the one the NIK implies. Check again; it may be kept if it is right.",
        ),
        IssueKind::CylinderWithoutLpg => Message::new(
            "Ada tabung gas 5,5 kg atau lebih, tetapi bahan bakar memasak bukan elpiji 5,5/12 kg.",
            "Owns gas cylinders of 5.5 kg or more, but the cooking fuel is not 5.5/12 kg LPG.",
        ),
        IssueKind::LpgWithoutCylinder => Message::new(
            "Memasak dengan elpiji 5,5/12 kg, tetapi jumlah tabung gas 5,5 kg atau lebih 0.",
            "Cooks with 5.5/12 kg LPG, but owns no cylinder of 5.5 kg or more.",
        ),
        IssueKind::ApplianceWithoutElectricity => Message::new(
            "Barang ini memerlukan listrik, tetapi sumber penerangan bukan listrik.",
            "This appliance needs electricity, but the lighting source is not electric.",
        ),
        IssueKind::NewFamilyFromPrelist => Message::new(
            "\"Keluarga baru\" hanya untuk keluarga yang tidak ada di prelist (ID prelist kosong).",
            "\"New family\" is only for families not on the prelist (prelist ID empty).",
        ),
        IssueKind::ListedWithoutPrelist => Message::new(
            "Status 1–9 hanya untuk keluarga dari prelist; isi ID prelist atau pilih \"Keluarga baru\".",
            "Statuses 1–9 are for prelist families; fill in the prelist ID or choose \"New family\".",
        ),
        IssueKind::ProposeNewForListed => Message::new(
            "\"Usulkan masuk DTKS/DTSEN\" hanya untuk keluarga baru atau yang bukan dari P3KE/DTKS.",
            "\"Propose as new entry\" is only for new families or ones not from P3KE/DTKS.",
        ),
        IssueKind::CheckBeforeVisit => Message::new(
            "Tanggal pemeriksaan tidak boleh sebelum tanggal kunjungan.",
            "The check date cannot be before the visit date.",
        ),
        IssueKind::DuplicateProgramme => Message::new(
            "Bantuan ini sudah dicatat di baris lain.",
            "This programme is already recorded in another row.",
        ),
        IssueKind::AidAfterVisit => Message::new(
            "Bulan/tahun terakhir menerima tidak boleh setelah tanggal kunjungan.",
            "The month/year last received cannot be after the visit date.",
        ),
        IssueKind::AidOlderThanYear => Message::new(
            "Terakhir diterima lebih dari 12 bulan sebelum kunjungan.",
            "Last received more than 12 months before the visit.",
        ),
        IssueKind::ProposedAlreadyReceived { programme } => Message::new(
            format!("Bantuan {programme} diusulkan, padahal sudah diterima (bagian G)."),
            format!("{programme} is proposed but already received (section G)."),
        ),
        IssueKind::HeadTooYoung => Message::new(
            "Kepala keluarga berumur di bawah 15 tahun. Periksa lagi.",
            "The head of family is younger than 15. Check again.",
        ),
        IssueKind::SpouseTooYoung => Message::new(
            "Istri/suami kepala keluarga berumur di bawah 15 tahun. Periksa lagi.",
            "The head's wife/husband is younger than 15. Check again.",
        ),
        IssueKind::ChildOlderThanParent => Message::new(
            "Anak lebih tua dari kepala keluarga atau istri/suaminya. Periksa lagi.",
            "A child is older than the head or the head's spouse. Check again.",
        ),
        IssueKind::AgeDoesNotFitBirthYear => Message::new(
            "Umur tidak sesuai dengan tahun lahir.",
            "The age does not fit the year of birth.",
        ),
        IssueKind::MarriedUnderTen => Message::new(
            "Berumur di bawah 10 tahun tetapi status kawin bukan \"Belum kawin\". Periksa lagi.",
            "Younger than 10 but not \"never married\". Check again.",
        ),
        IssueKind::KtpTooYoung => Message::new(
            "KTP biasanya hanya untuk umur 17 ke atas atau yang pernah kawin. Periksa lagi.",
            "An identity card is normally held only from 17 or once married. Check again.",
        ),
        IssueKind::UnusualFloorPerPerson => Message::new(
            "Luas lantai per orang di bawah 2 m² atau di atas 100 m². Periksa luas lantai dan jumlah anggota.",
            "Floor area per person is under 2 m² or over 100 m². Check the floor area and the members.",
        ),
        IssueKind::OutsideParentRegion => Message::new(
            "Wilayah ini tidak berada di wilayah yang dipilih di atasnya; pilih lagi.",
            "This region does not lie within the one chosen above it; choose again.",
        ),
        IssueKind::AffluentForDecile => Message::new(
            "Keluarga desil 1–2 memiliki mobil atau listrik 2.200 W ke atas. Periksa lagi.",
            "A decile 1–2 family owns a car or has 2,200 W or more. Check again.",
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
