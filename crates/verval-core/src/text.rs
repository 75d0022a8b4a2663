//! User-facing text in both languages of the app.
//!
//! Bahasa Indonesia is the first language of every message; English is the second. Text is
//! kept as pairs so a language switch never needs to re-run whatever produced the message.

use serde::{Deserialize, Serialize};

/// The language the interface is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    #[serde(rename = "id")]
    Id,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The other language: what a language toggle switches to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

/// A fixed piece of text in Bahasa Indonesia and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub id: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(id: &'static str, en: &'static str) -> Self {
        Text { id, en }
    }

    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.id,
            Lang::En => self.en,
        }
    }
}

/// A message built at run time (it names values), in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub en: String,
}

impl Message {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Message {
            id: id.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

impl From<Text> for Message {
    fn from(text: Text) -> Self {
        Message::new(text.id, text.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_picks_the_language() {
        let t = Text::new("Simpan", "Save");
        assert_eq!(t.get(Lang::Id), "Simpan");
        assert_eq!(t.get(Lang::En), "Save");
        assert_eq!(Message::from(t).get(Lang::En), "Save");
    }

    #[test]
    fn lang_round_trips_through_serde_with_short_tags() {
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"id\"").unwrap(), Lang::Id);
        assert_eq!(Lang::Id.other(), Lang::En);
        assert_eq!(Lang::En.tag(), "en");
    }
}
