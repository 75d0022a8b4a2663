//! A definition made ready to run: every field found by name with where it sits (top level
//! or a repeat) and every expression that decides about it parsed once, so that filling the
//! form does not parse on every keystroke. A definition that does not hold together (it came
//! over the network or from a file) is refused here with every reason, before it is drawn.

use crate::expr::{parse, Expr};
use crate::xlsform::{Field, FieldType, FormDef, Group, Item, FORMAT};
use std::collections::BTreeMap;

/// Why a definition cannot be filled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("formulir {form} tidak dapat dipakai (the form cannot be used): {}", .problems.join("; "))]
pub struct DataFormError {
    pub form: String,
    pub problems: Vec<String>,
}

/// A condition of a group around a question: evaluated in the question's row when the group
/// is the repeat or inside it, otherwise on the record.
#[derive(Clone, Debug)]
pub(super) struct Cond {
    pub expr: Expr,
    pub in_row: bool,
}

/// A field with where it sits and its expressions.
#[derive(Clone, Debug)]
pub struct Place {
    pub field: Field,
    /// The repeat the field is asked in, by index into [`DataForm::repeats`].
    pub repeat: Option<usize>,
    /// The relevance of the groups around the field, outermost first, then its own.
    pub(super) relevant: Vec<Cond>,
    pub(super) required: Option<Expr>,
    pub(super) constraint: Option<Expr>,
    pub(super) calculation: Option<Expr>,
    pub(super) read_only: Option<Expr>,
    pub(super) choice_filter: Option<Expr>,
    /// A default that reads something (`today()`, `${other}`): evaluated when the record or
    /// row is started. A plain default is kept as text in the field.
    pub(super) dynamic_default: Option<Expr>,
}

/// A repeat with the relevance around it and its count.
#[derive(Clone, Debug)]
pub struct RepeatPlace {
    pub name: String,
    pub(super) relevant: Vec<Cond>,
    pub(super) count: Option<Expr>,
}

/// A definition ready to fill.
#[derive(Clone, Debug)]
pub struct DataForm {
    def: FormDef,
    pub(super) fields: Vec<Place>,
    pub(super) by_name: BTreeMap<String, usize>,
    pub(super) repeats: Vec<RepeatPlace>,
    /// Field indexes in calculation order.
    pub(super) calculations: Vec<usize>,
}

impl DataForm {
    /// A stored or published definition (`verval-form/1` JSON) made ready to fill, or why
    /// it cannot be: the phone's shelf and the hub's stored versions read theirs here.
    pub fn from_json(definition: &str) -> Result<DataForm, String> {
        let def: FormDef = serde_json::from_str(definition).map_err(|e| e.to_string())?;
        DataForm::new(def).map_err(|e| e.to_string())
    }

    /// Reads a definition, refusing one that does not hold together with every reason.
    pub fn new(def: FormDef) -> Result<DataForm, DataFormError> {
        let mut builder = Builder::default();
        if def.format != FORMAT {
            builder.problems.push(format!(
                "format {:?} bukan {FORMAT:?} (unknown format)",
                def.format
            ));
        }
        if def.id == crate::form::default::FORM_ID {
            builder.problems.push(format!(
                "id {:?} milik formulir keluarga bawaan (the built-in household form's id)",
                def.id
            ));
        }
        if def.id.trim().is_empty() || def.version.trim().is_empty() {
            builder
                .problems
                .push("tanpa id atau versi formulir (no form id or version)".to_owned());
        }
        builder.items(&def.items, &[], None, &def);
        let mut calculations = Vec::new();
        for name in &def.calculation_order {
            match builder.by_name.get(name) {
                Some(&at) => calculations.push(at),
                None => builder.problems.push(format!(
                    "urutan perhitungan menyebut {name:?} yang tidak ada (the calculation order names no field)"
                )),
            }
        }
        let calculated = builder.fields.iter().filter(|p| p.calculation.is_some()).count();
        if calculations.len() != calculated {
            builder.problems.push(
                "urutan perhitungan tidak memuat setiap perhitungan (the calculation order misses a calculation)"
                    .to_owned(),
            );
        }
        if !builder.problems.is_empty() {
            return Err(DataFormError {
                form: format!("{} {}", def.id, def.version),
                problems: builder.problems,
            });
        }
        Ok(DataForm {
            def,
            fields: builder.fields,
            by_name: builder.by_name,
            repeats: builder.repeats,
            calculations,
        })
    }

    pub fn def(&self) -> &FormDef {
        &self.def
    }

    /// Every field, in the form's order.
    pub fn places(&self) -> &[Place] {
        &self.fields
    }

    pub fn place(&self, name: &str) -> Option<&Place> {
        self.by_name.get(name).map(|&at| &self.fields[at])
    }

    pub fn repeats(&self) -> &[RepeatPlace] {
        &self.repeats
    }

    pub(super) fn repeat_index(&self, name: &str) -> Option<usize> {
        self.repeats.iter().position(|r| r.name == name)
    }

    /// The repeat a field is asked in, by name.
    pub fn repeat_of(&self, field: &str) -> Option<&str> {
        let place = self.place(field)?;
        place.repeat.map(|r| self.repeats[r].name.as_str())
    }
}

#[derive(Default)]
struct Builder {
    fields: Vec<Place>,
    by_name: BTreeMap<String, usize>,
    repeats: Vec<RepeatPlace>,
    problems: Vec<String>,
}

impl Builder {
    fn expr(&mut self, owner: &str, column: &str, text: &str) -> Option<Expr> {
        if text.trim().is_empty() {
            return None;
        }
        match parse(text) {
            Ok(expr) => Some(expr),
            Err(e) => {
                self.problems.push(format!("{owner} {column}: {e}"));
                None
            }
        }
    }

    fn conds(&mut self, outer: &[Cond], owner: &str, relevant: &str, in_row: bool) -> Vec<Cond> {
        let mut conds = outer.to_vec();
        if let Some(expr) = self.expr(owner, "relevant", relevant) {
            conds.push(Cond { expr, in_row });
        }
        conds
    }

    fn items(&mut self, items: &[Item], outer: &[Cond], repeat: Option<usize>, def: &FormDef) {
        for item in items {
            match item {
                Item::Field(field) => self.field(field, outer, repeat, def),
                Item::Group(group) => {
                    let conds = self.conds(outer, &group.name, &group.relevant, repeat.is_some());
                    self.items(&group.items, &conds, repeat, def);
                }
                Item::Repeat(group) => self.repeat(group, outer, repeat, def),
            }
        }
    }

    fn repeat(&mut self, group: &Group, outer: &[Cond], repeat: Option<usize>, def: &FormDef) {
        if repeat.is_some() {
            self.problems.push(format!(
                "ulangan {} di dalam ulangan (a repeat inside a repeat)",
                group.name
            ));
            return;
        }
        if self.by_name.contains_key(&group.name) || self.repeats.iter().any(|r| r.name == group.name) {
            self.problems.push(format!(
                "nama {} dipakai dua kali (a name used twice)",
                group.name
            ));
        }
        // The repeat's own relevance decides whether it has rows at all: read on the record.
        let relevant = self.conds(outer, &group.name, &group.relevant, false);
        let count = self.expr(&group.name, "repeat_count", &group.repeat_count);
        self.repeats.push(RepeatPlace {
            name: group.name.clone(),
            relevant: relevant.clone(),
            count,
        });
        let at = self.repeats.len() - 1;
        self.items(&group.items, &relevant, Some(at), def);
    }

    fn field(&mut self, field: &Field, outer: &[Cond], repeat: Option<usize>, def: &FormDef) {
        let name = field.name.as_str();
        if name.is_empty() || self.by_name.contains_key(name) || self.repeats.iter().any(|r| r.name == name) {
            self.problems.push(format!(
                "nama {name:?} kosong atau dipakai dua kali (a name empty or used twice)"
            ));
            return;
        }
        if field.kind.is_select() && !def.choices.contains_key(&field.list) {
            self.problems.push(format!(
                "{name}: daftar pilihan {:?} tidak ada (no such choice list)",
                field.list
            ));
        }
        let relevant = self.conds(outer, name, &field.relevant, repeat.is_some());
        let default = field.default.trim();
        let dynamic = default.contains("${") || default.contains('(');
        let place = Place {
            relevant,
            repeat,
            required: self.expr(name, "required", &field.required),
            constraint: self.expr(name, "constraint", &field.constraint),
            calculation: self.expr(name, "calculation", &field.calculation),
            read_only: self.expr(name, "read_only", &field.read_only),
            choice_filter: self.expr(name, "choice_filter", &field.choice_filter),
            // A default that does not read as an expression ("Tidak ada (0)") is text.
            dynamic_default: if dynamic { parse(default).ok() } else { None },
            field: field.clone(),
        };
        if place.field.kind == FieldType::Calculate && place.calculation.is_none() {
            self.problems.push(format!(
                "{name}: perhitungan tanpa rumus (a calculate without a calculation)"
            ));
        }
        self.by_name.insert(name.to_owned(), self.fields.len());
        self.fields.push(place);
    }
}
