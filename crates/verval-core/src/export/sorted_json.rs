//! Canonical JSON written in one pass (issue #26 item 6: the hub proves every line of a batch
//! canonical, and building a `serde_json::Value` per record to sort its keys was more than half
//! of the reader's time: 6,819 -> 15,667 households/s without it).
//!
//! serde_json's own serializer writes the record, so every string is escaped and every number
//! formatted exactly as serde_json writes them; this formatter only puts each object's
//! entries in the order of their keys (the keys' UTF-8 bytes, unescaped), reordering an
//! object's text when it ends if it came out of order. The result is what
//! [`super::canonical`]'s value-based writer gives, which the tests hold it to.

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use std::io;

/// `value` as JSON with every object's keys sorted and no whitespace; `None` when an object
/// would hold one key twice (a value-based writer keeps one of them: the caller falls back to
/// it) or the value cannot be written as JSON. The same text as the value-based writer for
/// anything a record holds; not for a 128-bit integer beyond 64 bits, which a JSON value
/// cannot hold (no record has one).
pub fn sorted_json<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut state = State::default();
    let mut serializer = serde_json::Serializer::with_formatter(io::sink(), Sorting(&mut state));
    value.serialize(&mut serializer).ok()?;
    if state.duplicate_key {
        return None;
    }
    // Every piece came from serde_json, which writes UTF-8 only.
    String::from_utf8(state.out).ok()
}

#[derive(Default)]
struct State {
    out: Vec<u8>,
    /// The objects being written, innermost last.
    objects: Vec<Object>,
    duplicate_key: bool,
}

struct Object {
    /// Where the object's first entry begins in `out` (after its `{`).
    body: usize,
    entries: Vec<Entry>,
    /// The key being written, unescaped, and where its entry began.
    key: Option<(Vec<u8>, usize)>,
}

/// One `"key":value` of an object, by its place in `out` (its comma not included).
struct Entry {
    key: Vec<u8>,
    start: usize,
    end: usize,
}

impl State {
    /// Writes a piece as serde_json's compact formatter does; inside a key, the piece's own
    /// text (never quotes or escapes, which go through [`State::escape`]) is the key's too.
    fn put(&mut self, write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<()> {
        let before = self.out.len();
        write(&mut self.out)?;
        if let Some((key, _)) = self.objects.last_mut().and_then(|o| o.key.as_mut()) {
            key.extend_from_slice(&self.out[before..]);
        }
        Ok(())
    }

    /// Writes bytes that are syntax (quotes, brackets, commas), never part of a key.
    fn syntax(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.extend_from_slice(text);
        Ok(())
    }

    fn escape(&mut self, escape: CharEscape) -> io::Result<()> {
        let raw = match escape {
            CharEscape::Quote => b'"',
            CharEscape::ReverseSolidus => b'\\',
            CharEscape::Solidus => b'/',
            CharEscape::Backspace => 0x08,
            CharEscape::FormFeed => 0x0c,
            CharEscape::LineFeed => b'\n',
            CharEscape::CarriageReturn => b'\r',
            CharEscape::Tab => b'\t',
            CharEscape::AsciiControl(byte) => byte,
        };
        if let Some((key, _)) = self.objects.last_mut().and_then(|o| o.key.as_mut()) {
            key.push(raw);
        }
        CompactFormatter.write_char_escape(&mut self.out, escape)
    }

    /// The object ends: its entries in key order, however they were written.
    fn end_object(&mut self) -> io::Result<()> {
        let Some(mut object) = self.objects.pop() else {
            return Err(io::Error::other("an object ended that never began"));
        };
        let sorted = object.entries.windows(2).all(|pair| pair[0].key < pair[1].key);
        if !sorted {
            let body = self.out.split_off(object.body);
            object.entries.sort_by(|a, b| a.key.cmp(&b.key));
            for (i, entry) in object.entries.iter().enumerate() {
                if i > 0 {
                    self.out.push(b',');
                }
                self.out
                    .extend_from_slice(&body[entry.start - object.body..entry.end - object.body]);
            }
            if object.entries.windows(2).any(|pair| pair[0].key == pair[1].key) {
                self.duplicate_key = true;
            }
        }
        self.syntax(b"}")
    }
}

/// The formatter serde_json drives; the writer it hands over is a sink, everything goes to
/// [`State::out`].
struct Sorting<'a>(&'a mut State);

macro_rules! numbers {
    ($($method:ident: $type:ty),*) => {
        $(fn $method<W: ?Sized + io::Write>(&mut self, _: &mut W, value: $type) -> io::Result<()> {
            self.0.put(|out| CompactFormatter.$method(out, value))
        })*
    };
}

impl Formatter for Sorting<'_> {
    numbers!(write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128,
             write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
             write_f64: f64);

    /// As a JSON value holds it: a value widened to f64 (0.1f32 is 0.10000000149011612 there
    /// too), a map's key as an f32.
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        let in_key = self.0.objects.last().is_some_and(|o| o.key.is_some());
        match in_key {
            true => self.0.put(|out| CompactFormatter.write_f32(out, value)),
            false => self.write_f64(writer, f64::from(value)),
        }
    }

    fn write_null<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.put(|out| CompactFormatter.write_null(out))
    }

    fn write_bool<W: ?Sized + io::Write>(&mut self, _: &mut W, value: bool) -> io::Result<()> {
        self.0.put(|out| CompactFormatter.write_bool(out, value))
    }

    fn write_number_str<W: ?Sized + io::Write>(&mut self, _: &mut W, value: &str) -> io::Result<()> {
        self.0.put(|out| CompactFormatter.write_number_str(out, value))
    }

    fn begin_string<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.syntax(b"\"")
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.syntax(b"\"")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, _: &mut W, fragment: &str) -> io::Result<()> {
        self.0
            .put(|out| CompactFormatter.write_string_fragment(out, fragment))
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, _: &mut W, escape: CharEscape) -> io::Result<()> {
        self.0.escape(escape)
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(&mut self, _: &mut W, fragment: &str) -> io::Result<()> {
        self.0
            .put(|out| CompactFormatter.write_raw_fragment(out, fragment))
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.syntax(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.syntax(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        self.0.syntax(if first { b"" } else { b"," })
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.syntax(b"{")?;
        let body = self.0.out.len();
        self.0.objects.push(Object {
            body,
            entries: Vec::new(),
            key: None,
        });
        Ok(())
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.0.end_object()
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        if !first {
            self.0.syntax(b",")?;
        }
        let start = self.0.out.len();
        let object = self
            .0
            .objects
            .last_mut()
            .ok_or_else(|| io::Error::other("a key outside an object"))?;
        object.key = Some((Vec::new(), start));
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        // The key is complete: what follows is its value, whatever objects it holds.
        let object = self
            .0
            .objects
            .last_mut()
            .ok_or_else(|| io::Error::other("a value outside an object"))?;
        let (key, start) = object
            .key
            .take()
            .ok_or_else(|| io::Error::other("a value without its key"))?;
        object.entries.push(Entry { key, start, end: 0 });
        self.0.syntax(b":")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let end = self.0.out.len();
        let object = self
            .0
            .objects
            .last_mut()
            .ok_or_else(|| io::Error::other("a value outside an object"))?;
        let entry = object
            .entries
            .last_mut()
            .ok_or_else(|| io::Error::other("a value without its key"))?;
        entry.end = end;
        Ok(())
    }
}
