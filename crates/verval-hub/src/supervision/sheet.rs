//! The progress as a workbook for the TKPK meeting: one sheet per kecamatan, one per
//! village, one per enumerator, one per phone and the proof-of-visit flags per village, the
//! same numbers the dashboard shows (they come from one [`Progress`] and one count of
//! flags per village). Written by the core's XLSX writer, so counts are
//! numbers a spreadsheet sums and each region code has its name beside it.

use super::devices::Contact;
use super::progress::{Progress, Tally};
use super::proof::FlagCounts;
use super::round::Round;
use crate::time_zone::TimeZone;
use verval_core::date::Date;
use verval_core::export::{ColumnKind, Table};
use verval_core::region::KECAMATAN_DEPTH;
use verval_core::supervision::flags::Flag;

/// The columns every count sheet ends with: `(id, label)`, whole numbers.
const COUNTS: [(&str, &str); 15] = [
    ("target", "Target keluarga"),
    ("dimulai_di_hp", "Dimulai di HP (laporan sinkron terakhir)"),
    ("selesai_di_hp", "Selesai di HP (laporan sinkron terakhir)"),
    ("diterima", "Diterima hub"),
    ("belum_dikunjungi", "Belum dikunjungi"),
    ("disetujui", "Disetujui"),
    ("dikembalikan", "Dikembalikan untuk perbaikan"),
    ("ditolak", "Ditolak"),
    ("menunggu", "Menunggu tinjauan"),
    ("konflik", "Konflik dua HP"),
    ("diduga_ganda", "Diduga ganda, belum diputuskan"),
    ("persen", "Persen diterima dari target"),
    ("harus_masuk", "Seharusnya sudah masuk hari ini"),
    ("per_hari", "Perlu per hari sampai batas waktu"),
    ("tertinggal", "Tertinggal dari jadwal (1 = ya)"),
];

fn counts(tally: &Tally, round: &Round, today: Date, not_visited: bool) -> Vec<String> {
    let pace = round.pace(tally.target, tally.received, today);
    let or_empty = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        tally.target.to_string(),
        tally.begun_on_phones.to_string(),
        tally.finalized_on_phones.to_string(),
        tally.received.to_string(),
        if not_visited {
            tally.not_visited.to_string()
        } else {
            String::new()
        },
        tally.approved.to_string(),
        tally.sent_back.to_string(),
        tally.rejected.to_string(),
        tally.waiting.to_string(),
        tally.conflicts.to_string(),
        tally.doubtful.to_string(),
        tally.percent().to_string(),
        or_empty(pace.map(|p| p.expected)),
        or_empty(pace.and_then(|p| p.per_day)),
        or_empty(pace.map(|p| i64::from(p.behind))),
    ]
}

fn table(name: &'static str, first: &[(&str, &str, ColumnKind)]) -> Table {
    let mut columns: Vec<(&str, &str, ColumnKind)> = first.to_vec();
    columns.extend(COUNTS.iter().map(|(id, label)| (*id, *label, ColumnKind::Whole)));
    Table::new(name, &columns)
}

/// The five sheets, for `today` in the district's time zone.
pub fn tables(
    progress: &Progress,
    flags_by_village: &[(String, FlagCounts)],
    round: &Round,
    today: Date,
    contacts: &[Contact],
    zone: TimeZone,
    now: i64,
) -> Vec<Table> {
    let mut kecamatan = table(
        "kecamatan",
        &[("kode_kecamatan", "Kecamatan", ColumnKind::Region)],
    );
    for (code, tally) in progress.by_area(KECAMATAN_DEPTH) {
        let mut row = vec![code];
        row.extend(counts(&tally, round, today, true));
        kecamatan.rows.push(row);
    }
    let mut desa = table(
        "desa",
        &[
            ("kode_desa", "Desa", ColumnKind::Region),
            ("petugas", "Petugas ditugaskan", ColumnKind::Text),
        ],
    );
    for v in &progress.villages {
        let assigned: Vec<&str> = v
            .workers
            .iter()
            .filter(|w| w.assigned)
            .map(|w| w.name.as_str())
            .collect();
        let mut row = vec![v.code.clone(), assigned.join(", ")];
        row.extend(counts(&v.tally, round, today, true));
        desa.rows.push(row);
    }
    let mut workers = table(
        "petugas",
        &[
            ("petugas", "Petugas", ColumnKind::Text),
            ("jumlah_desa", "Jumlah desa", ColumnKind::Whole),
        ],
    );
    for w in progress.by_worker() {
        let mut row = vec![w.name.clone(), w.villages.to_string()];
        row.extend(counts(&w.tally, round, today, false));
        workers.rows.push(row);
    }
    let mut phones = Table::new(
        "hp",
        &[
            ("petugas", "Petugas", ColumnKind::Text),
            ("perangkat", "Perangkat", ColumnKind::Text),
            ("lewat", "Lewat (sync atau berkas)", ColumnKind::Text),
            ("terakhir", "Kontak terakhir", ColumnKind::Text),
            ("hari_diam", "Hari tanpa kabar", ColumnKind::Whole),
            (
                "terlalu_lama",
                "Lebih dari batas hari diam (1 = ya)",
                ColumnKind::Whole,
            ),
        ],
    );
    for c in contacts {
        let silent = c.silent_days(now);
        phones.rows.push(vec![
            c.enumerator.clone(),
            c.device.clone(),
            c.via.to_owned(),
            c.last
                .map(|ms| zone.format(ms))
                .unwrap_or_else(|| "belum pernah".to_owned()),
            silent.to_string(),
            i64::from(silent > round.silent_days).to_string(),
        ]);
    }
    let labels: Vec<String> = Flag::ALL.iter().map(|f| f.label().id.to_owned()).collect();
    let mut columns: Vec<(&str, &str, ColumnKind)> = vec![("kode_desa", "Desa", ColumnKind::Region)];
    columns.extend(
        Flag::ALL
            .iter()
            .zip(&labels)
            .map(|(f, label)| (f.code(), label.as_str(), ColumnKind::Whole)),
    );
    columns.push(("bertanda", "Keluarga bertanda", ColumnKind::Whole));
    let mut proof = Table::new("bukti_kunjungan", &columns);
    for (code, counts) in flags_by_village {
        let mut row = vec![code.clone()];
        row.extend(counts.per_flag.iter().map(i64::to_string));
        row.push(counts.any.to_string());
        proof.rows.push(row);
    }
    vec![kecamatan, desa, workers, phones, proof]
}
