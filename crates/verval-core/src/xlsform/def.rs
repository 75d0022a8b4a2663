//! A form as data (issue #25): what an XLSForm becomes once imported, in a JSON format of
//! our own (`verval-form/1`, docs/forms.md) that the hub stores and the phones will draw.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `format`. A later format gets another name; readers refuse others.
pub const FORMAT: &str = "verval-form/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    pub format: String,
    /// `settings.form_id`: records carry it with the version.
    pub id: String,
    /// `settings.version`.
    pub version: String,
    pub title: Label,
    pub items: Vec<Item>,
    /// The choice lists, by `list_name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choices: BTreeMap<String, Vec<Choice>>,
    /// Every field with a calculation, each after those it reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calculation_order: Vec<String>,
    /// `settings.bagian_dari = keluarga`: the district's own section of the household form
    /// ("J. Pertanyaan daerah"): one record of it per household, opened from the household
    /// and linked to it (`dataform::section_record_id`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub household_section: bool,
}

impl FormDef {
    /// How many fields the form has, in groups and repeats too.
    pub fn field_count(&self) -> usize {
        fn count(items: &[Item]) -> usize {
            items
                .iter()
                .map(|item| match item {
                    Item::Field(_) => 1,
                    Item::Group(g) | Item::Repeat(g) => count(&g.items),
                })
                .sum()
        }
        count(&self.items)
    }
}

/// A text in Indonesian and English (either may be empty; the other is shown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Label {
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.en.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    Field(Box<Field>),
    Group(Group),
    /// A repeat: one level (a repeat inside a repeat is refused).
    Repeat(Group),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// Expressions, as XLSForm writes them; empty: none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relevant: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub repeat_count: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub appearance: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Integer,
    Decimal,
    Date,
    SelectOne,
    SelectMultiple,
    Note,
    Calculate,
    Geopoint,
    Image,
}

impl FieldType {
    /// The XLSForm types, as the survey sheet writes them (selects take a list after it).
    pub const ALL: [(&'static str, FieldType); 10] = [
        ("text", FieldType::Text),
        ("integer", FieldType::Integer),
        ("decimal", FieldType::Decimal),
        ("date", FieldType::Date),
        ("select_one", FieldType::SelectOne),
        ("select_multiple", FieldType::SelectMultiple),
        ("note", FieldType::Note),
        ("calculate", FieldType::Calculate),
        ("geopoint", FieldType::Geopoint),
        ("image", FieldType::Image),
    ];

    pub fn is_select(self) -> bool {
        matches!(self, FieldType::SelectOne | FieldType::SelectMultiple)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field id: the export's column name.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub hint: Label,
    /// A select's choice list.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub list: String,
    /// Expressions as XLSForm writes them (`yes` already turned into `true()`); empty: none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub required: String,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub required_message: Label,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relevant: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub constraint: String,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub constraint_message: Label,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub calculation: String,
    /// A value, as the cell writes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub default: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub read_only: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub choice_filter: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub appearance: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub name: String,
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// The row's other columns, which a `choice_filter` reads (`kecamatan=${kec}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
}
