//! The meeting's three documents (issue #24) — the Berita Acara with the by-name list, the
//! SPTJM, and the attendance sheet — worded once here and laid out by the hub's print page
//! and the phone's campaign page alike. Their wording is the village's legal text, in
//! Bahasa Indonesia only.

use super::musdes::{Meeting, Tally};

/// One A4 sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// A stable name (`data-testid`).
    pub id: &'static str,
    pub title: String,
    /// Paragraphs under the title.
    pub lead: Vec<String>,
    /// The by-name list follows the lead.
    pub with_list: bool,
    /// A numbered list after the lead.
    pub points: Vec<String>,
    /// Paragraphs before the signatures.
    pub closing: Vec<String>,
    /// `(role, name)`; an empty name leaves a line to write it on.
    pub signatures: Vec<(String, String)>,
    /// Empty rows of the attendance table ([`ATTENDANCE_COLUMNS`]); 0 for none.
    pub attendance_rows: usize,
    /// A small line at the foot.
    pub footnote: String,
}

/// The attendance sheet's columns.
pub const ATTENDANCE_COLUMNS: [&str; 4] = ["No", "Nama", "Jabatan / unsur", "Tanda tangan"];

/// Rows on the attendance sheet: a Musdes seats the village government, the BPD, RT/RW,
/// community leaders, facilitators and the families' representatives.
pub const ATTENDANCE_ROWS: usize = 25;

/// A line to write a name on, for a signature with none given.
pub const NAME_LINE: &str = "(........................................)";

/// The meeting's documents; `desa` is the village as its name is read (code and name).
pub fn documents(m: &Meeting, desa: &str, tally: &Tally) -> [Sheet; 3] {
    let place = match m.place.trim() {
        "" => String::new(),
        place => format!(" bertempat di {place}"),
    };
    let undecided = match tally.undecided {
        0 => String::new(),
        n => format!(", dan {n} belum diputuskan"),
    };
    let berita_acara = Sheet {
        id: "berita-acara",
        title: format!("BERITA ACARA {}", m.period.to_uppercase()),
        lead: vec![
            format!("Nomor: {}", m.number),
            format!(
                "Pada tanggal {}{place}, telah dilaksanakan {} Desa {desa} untuk membahas hasil verifikasi \
                 dan validasi data keluarga miskin ekstrem beserta usulan bantuannya. Musyawarah membahas {} \
                 keluarga dengan hasil: {} disetujui, {} tidak disetujui, {} ditunda{undecided}, sebagaimana \
                 daftar terlampir.",
                m.held_on,
                m.period,
                tally.listed(),
                tally.agreed,
                tally.not_agreed,
                tally.postponed
            ),
        ],
        with_list: true,
        closing: vec![
            "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."
                .to_owned(),
        ],
        signatures: vec![
            ("Pimpinan Musyawarah / Kepala Desa".to_owned(), m.chair.clone()),
            ("Ketua BPD".to_owned(), String::new()),
            ("Notulis".to_owned(), String::new()),
        ],
        ..Sheet::empty("berita-acara")
    };
    let sptjm = Sheet {
        title: "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK (SPTJM)".to_owned(),
        lead: vec![format!(
            "Yang bertanda tangan di bawah ini, Kepala Desa {desa}, menyatakan dengan sesungguhnya bahwa:"
        )],
        points: vec![
            format!(
                "data {} keluarga hasil verifikasi dan validasi yang dibahas dalam {} (Berita Acara nomor {}, \
                 tanggal {}) adalah benar dan sesuai keadaan di lapangan;",
                tally.listed(),
                m.period,
                m.number,
                m.held_on
            ),
            format!(
                "{} keluarga yang disetujui musyawarah diusulkan untuk menerima bantuan sesuai daftar terlampir;",
                tally.agreed
            ),
            "apabila di kemudian hari terdapat kekeliruan data, kami bertanggung jawab penuh dan bersedia \
             memperbaikinya sesuai ketentuan."
                .to_owned(),
        ],
        closing: vec!["Demikian pernyataan ini dibuat dengan sebenarnya.".to_owned()],
        signatures: vec![("Kepala Desa".to_owned(), m.chair.clone())],
        footnote: "Meterai sesuai ketentuan.".to_owned(),
        ..Sheet::empty("sptjm")
    };
    let attendance = Sheet {
        title: format!("DAFTAR HADIR {}", m.period.to_uppercase()),
        lead: vec![format!(
            "Desa {desa} · tanggal {}{}",
            m.held_on,
            match m.place.trim() {
                "" => String::new(),
                place => format!(" · {place}"),
            }
        )],
        attendance_rows: ATTENDANCE_ROWS,
        ..Sheet::empty("daftar-hadir")
    };
    [berita_acara, sptjm, attendance]
}

impl Sheet {
    fn empty(id: &'static str) -> Sheet {
        Sheet {
            id,
            title: String::new(),
            lead: Vec::new(),
            with_list: false,
            points: Vec::new(),
            closing: Vec::new(),
            signatures: Vec::new(),
            attendance_rows: 0,
            footnote: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(place: &str) -> Meeting {
        Meeting {
            period: "Musdesus Oktober 2026".to_owned(),
            number: "140/07/BA/2026".to_owned(),
            held_on: "2026-10-20".to_owned(),
            place: place.to_owned(),
            chair: "SUPARMAN".to_owned(),
        }
    }

    #[test]
    fn the_documents_say_the_meetings_figures_and_who_signs() {
        let tally = Tally {
            agreed: 3,
            not_agreed: 1,
            postponed: 2,
            undecided: 1,
        };
        let [ba, sptjm, hadir] = documents(&meeting("Balai Desa"), "35.13.14.2001 Sumberanyar", &tally);
        assert_eq!(ba.title, "BERITA ACARA MUSDESUS OKTOBER 2026");
        assert_eq!(ba.lead[0], "Nomor: 140/07/BA/2026");
        assert!(ba.lead[1].contains("Pada tanggal 2026-10-20 bertempat di Balai Desa,"));
        assert!(ba.lead[1].contains("membahas 7 keluarga dengan hasil: 3 disetujui, 1 tidak disetujui, 2 ditunda, dan 1 belum diputuskan,"));
        assert!(ba.with_list && !sptjm.with_list);
        assert_eq!(
            ba.signatures[0],
            (
                "Pimpinan Musyawarah / Kepala Desa".to_owned(),
                "SUPARMAN".to_owned()
            )
        );
        assert!(sptjm.lead[0].contains("Kepala Desa 35.13.14.2001 Sumberanyar"));
        assert!(sptjm.points[0].starts_with("data 7 keluarga"));
        assert!(sptjm.points[1].starts_with("3 keluarga yang disetujui"));
        assert_eq!(hadir.attendance_rows, ATTENDANCE_ROWS);
        assert_eq!(
            hadir.lead[0],
            "Desa 35.13.14.2001 Sumberanyar · tanggal 2026-10-20 · Balai Desa"
        );
        assert_eq!(
            [ba.id, sptjm.id, hadir.id],
            ["berita-acara", "sptjm", "daftar-hadir"]
        );
    }

    #[test]
    fn no_place_and_every_family_decided_leave_no_empty_words() {
        let tally = Tally {
            agreed: 1,
            ..Tally::default()
        };
        let [ba, _, hadir] = documents(&meeting(" "), "Sumberanyar", &tally);
        assert!(ba.lead[1].contains("Pada tanggal 2026-10-20, telah"));
        assert!(ba.lead[1].contains("0 ditunda, sebagaimana"));
        assert_eq!(hadir.lead[0], "Desa Sumberanyar · tanggal 2026-10-20");
    }
}
