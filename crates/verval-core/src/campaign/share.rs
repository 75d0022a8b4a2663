//! An enumerator's share of a village (issue #21): the whole village, or a split of it with
//! another enumerator by RW or by family. The district splits a village when it gives it to
//! a second enumerator; each one's assignment then lists only the families of their share.

use crate::prelist::PrelistFamily;

/// What a share is cut by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    Rw,
    /// Prelist family ids.
    Families,
}

/// An enumerator's part of one village.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Share {
    #[default]
    Whole,
    /// These RWs or families (`except: false`), or all but these (`except: true`: what the
    /// enumerator who had the whole village keeps after a split).
    Part {
        cut: Cut,
        except: bool,
        items: Vec<String>,
    },
}

impl Share {
    /// Only `items` (RW numbers or prelist ids), each once; none is no share at all.
    pub fn only(cut: Cut, items: &[&str]) -> Result<Share, String> {
        let items = normalised(cut, items)?;
        Ok(Share::Part {
            cut,
            except: false,
            items,
        })
    }

    /// What is left of a whole village once `part` is given to another: its complement.
    pub fn rest_of(part: &Share) -> Share {
        match part {
            Share::Whole => Share::Whole,
            Share::Part { cut, except, items } => Share::Part {
                cut: *cut,
                except: !except,
                items: items.clone(),
            },
        }
    }

    /// Stored as `""`, `rw:1,2`, `bukan-rw:1,2`, `keluarga:P-1,P-2` or `bukan-keluarga:…`.
    pub fn to_text(&self) -> String {
        match self {
            Share::Whole => String::new(),
            Share::Part { cut, except, items } => {
                let name = match cut {
                    Cut::Rw => "rw",
                    Cut::Families => "keluarga",
                };
                let not = if *except { "bukan-" } else { "" };
                format!("{not}{name}:{}", items.join(","))
            }
        }
    }

    pub fn parse(text: &str) -> Result<Share, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Share::Whole);
        }
        let (head, list) = text
            .split_once(':')
            .ok_or_else(|| format!("bagian desa {text:?} tidak dikenal (unknown share)"))?;
        let (except, name) = match head.strip_prefix("bukan-") {
            Some(name) => (true, name),
            None => (false, head),
        };
        let cut = match name {
            "rw" => Cut::Rw,
            "keluarga" => Cut::Families,
            _ => return Err(format!("bagian desa {text:?} tidak dikenal (unknown share)")),
        };
        let items: Vec<&str> = list.split(',').collect();
        Ok(Share::Part {
            cut,
            except,
            items: normalised(cut, &items)?,
        })
    }

    /// Whether the share holds a listed family.
    pub fn holds(&self, family: &PrelistFamily) -> bool {
        match self {
            Share::Whole => true,
            Share::Part { cut, except, items } => {
                let key = match cut {
                    Cut::Rw => rw_number(&family.rw).unwrap_or_default(),
                    Cut::Families => family.prelist_id.clone(),
                };
                items.contains(&key) != *except
            }
        }
    }

    /// The share in words, for the district's pages.
    pub fn describe(&self) -> String {
        match self {
            Share::Whole => "seluruh desa".to_owned(),
            Share::Part { cut, except, items } => {
                let what = match cut {
                    Cut::Rw => "RW",
                    Cut::Families => "keluarga",
                };
                let not = if *except { "kecuali " } else { "" };
                format!("{not}{what} {}", items.join(", "))
            }
        }
    }
}

/// An RW as compared: its number without leading zeros (`003` and `3` are one RW).
pub fn rw_number(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = text.trim_start_matches('0');
    Some(if number.is_empty() { "0" } else { number }.to_owned())
}

fn normalised(cut: Cut, items: &[&str]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        let item = match cut {
            Cut::Rw => {
                rw_number(item).ok_or_else(|| format!("RW {item:?} bukan angka (an RW is a number)"))?
            }
            Cut::Families => {
                if item.contains(',') {
                    return Err(format!(
                        "id keluarga {item:?} berisi koma (a family id has no comma)"
                    ));
                }
                item.to_owned()
            }
        };
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.is_empty() {
        return Err(match cut {
            Cut::Rw => "sebutkan RW-nya (name the RWs)".to_owned(),
            Cut::Families => "sebutkan id keluarganya (name the families)".to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(id: &str, rw: &str) -> PrelistFamily {
        PrelistFamily {
            prelist_id: id.to_owned(),
            nomor_kk: None,
            kode_desa: "35.13.14.2001".to_owned(),
            alamat: String::new(),
            rt: "001".to_owned(),
            rw: rw.to_owned(),
            desil: String::new(),
            members: Vec::new(),
            housing: Default::default(),
            programmes: Vec::new(),
        }
    }

    #[test]
    fn a_split_by_rw_gives_each_family_to_exactly_one_side() {
        let part = Share::only(Cut::Rw, &["001", " 3", "1"]).expect("share");
        assert_eq!(part.to_text(), "rw:1,3");
        let rest = Share::rest_of(&part);
        assert_eq!(rest.to_text(), "bukan-rw:1,3");
        for (f, theirs) in [
            (family("P-1", "001"), true),
            (family("P-2", "03"), true),
            (family("P-3", "002"), false),
            (family("P-4", ""), false),
        ] {
            assert_eq!(part.holds(&f), theirs, "{}", f.prelist_id);
            assert_eq!(rest.holds(&f), !theirs, "{}", f.prelist_id);
        }
        assert_eq!(rest.describe(), "kecuali RW 1, 3");
    }

    #[test]
    fn a_split_by_family_and_the_whole_village() {
        let part = Share::only(Cut::Families, &["P-2", "P-9"]).expect("share");
        assert!(part.holds(&family("P-2", "")));
        assert!(!part.holds(&family("P-1", "")));
        assert!(Share::Whole.holds(&family("P-1", "")));
        assert!(Share::rest_of(&part).holds(&family("P-1", "")));
    }

    #[test]
    fn shares_read_back_what_they_write_and_refuse_the_rest() {
        for text in [
            "",
            "rw:1,2",
            "bukan-rw:4",
            "keluarga:P-1,P-2",
            "bukan-keluarga:P-3",
        ] {
            assert_eq!(Share::parse(text).expect(text).to_text(), text);
        }
        assert!(Share::parse("rt:1").is_err());
        assert!(Share::parse("rw:satu").is_err());
        assert!(Share::parse("rw:").is_err(), "a part of nothing");
        assert!(Share::only(Cut::Families, &[" ", ""]).is_err());
    }
}
