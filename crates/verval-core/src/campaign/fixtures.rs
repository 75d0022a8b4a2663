//! Listed families for the campaign's tests: one way to write them.

use crate::prelist::{PrelistFamily, PrelistMember};

/// A listed member: NIK, name, relation and sex in the list's words; no birth date.
pub fn member(nik: &str, nama: &str, hubungan: &str, jenis_kelamin: &str) -> PrelistMember {
    PrelistMember {
        row: 4,
        nik: (!nik.is_empty()).then(|| nik.to_owned()),
        nama: nama.to_owned(),
        hubungan: hubungan.to_owned(),
        jenis_kelamin: jenis_kelamin.to_owned(),
        tanggal_lahir: String::new(),
        id_individu: String::new(),
        padan_dukcapil: String::new(),
    }
}

/// A listed family of village 35.13.14.2001 with only an id, a KK (empty: none) and members.
pub fn listed(prelist_id: &str, kk: &str, members: Vec<PrelistMember>) -> PrelistFamily {
    PrelistFamily {
        prelist_id: prelist_id.to_owned(),
        nomor_kk: (!kk.is_empty()).then(|| kk.to_owned()),
        kode_desa: "35.13.14.2001".to_owned(),
        alamat: String::new(),
        rt: String::new(),
        rw: String::new(),
        desil: String::new(),
        members,
        housing: Default::default(),
        programmes: Vec::new(),
    }
}
