//! What a box says, line by line: the glyph and kind, the whole name
//! (wrapped, never cut while it fits in 40 columns), the multiplicity and
//! what the box hides. The layout sizes boxes from this and the canvas draws
//! it, so both always agree.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::catalog::Kind;
use crate::model::ViewNode;

/// The widest a line of text inside a box grows before it wraps.
pub const WRAP: usize = 24;
/// Names up to this many columns are always shown whole.
pub const WHOLE_NAME: usize = 40;
/// Longer names are cut after this many lines.
const MAX_NAME_LINES: usize = 3;

/// What a piece of box text is, so the canvas can colour it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Glyph,
    Kind,
    Name,
    Multiplicity,
    Hidden,
}

/// One line inside a box: pieces of text, each one cell per char.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<(String, Part)>,
}

impl Line {
    pub fn width(&self) -> usize {
        self.spans.iter().map(|(t, _)| t.chars().count()).sum()
    }
    pub fn text(&self) -> String {
        self.spans.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// The text of a box, top to bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoxText {
    pub lines: Vec<Line>,
}

impl BoxText {
    pub fn width(&self) -> usize {
        self.lines.iter().map(Line::width).max().unwrap_or(0)
    }
    /// The box around this text: a border and one blank column each side.
    pub fn box_size(&self) -> (usize, usize) {
        (self.width().max(6) + 4, self.lines.len() + 2)
    }
}

/// The one-cell glyph of a kind. A glyph that a terminal draws two cells
/// wide would push the box border out of line, so its ASCII stand-in is
/// used instead.
pub fn glyph(kind: Kind, ascii: bool) -> String {
    let e = kind.entry();
    if !ascii && UnicodeWidthStr::width(e.glyph) == 1 && e.glyph.chars().count() == 1 {
        e.glyph.to_string()
    } else {
        e.ascii_glyph.to_string()
    }
}

/// Text as one char per cell: control characters and characters that are
/// not exactly one cell wide become `?`, so columns stay true everywhere
/// the grid is shown.
pub fn cells(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || UnicodeWidthChar::width(c) != Some(1) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// The lines a box shows for a node. `ascii` only changes which characters
/// are used, never the size.
pub fn box_text(node: &ViewNode, ascii: bool) -> BoxText {
    let mut lines = Vec::new();
    let kind = cells(node.heading());
    let mut head = Line {
        spans: vec![
            (glyph(node.kind, ascii), Part::Glyph),
            (format!(" {kind}"), Part::Kind),
        ],
    };
    let mult = node
        .multiplicity
        .as_deref()
        .map(|m| format!("{}{}", if ascii { "x" } else { "×" }, cells(m)));
    let mut mult_line = None;
    if let Some(m) = mult {
        if head.width() + 1 + m.chars().count() <= WRAP {
            head.spans.push((format!(" {m}"), Part::Multiplicity));
        } else {
            mult_line = Some(m);
        }
    }
    lines.push(head);
    for l in wrap_name(&cells(&node.label)) {
        lines.push(Line {
            spans: vec![(l, Part::Name)],
        });
    }
    if let Some(m) = mult_line {
        for l in wrap_words(&m) {
            lines.push(Line {
                spans: vec![(l, Part::Multiplicity)],
            });
        }
    }
    let hidden = cells(&node.hidden_text());
    if !hidden.is_empty() {
        for l in wrap_words(&hidden) {
            lines.push(Line {
                spans: vec![(l, Part::Hidden)],
            });
        }
    }
    BoxText { lines }
}

/// The one line of a compact box: glyph and name (cut with `…` past
/// [`WRAP`] columns), and the multiplicity where it fits.
pub fn compact_text(node: &ViewNode, ascii: bool) -> BoxText {
    let mut name: Vec<char> = cells(node.label.trim()).chars().collect();
    if name.len() > WRAP {
        name.truncate(WRAP - 1);
        name.push('…');
    }
    let mut line = Line {
        spans: vec![
            (glyph(node.kind, ascii), Part::Glyph),
            (" ".to_string(), Part::Kind),
            (name.into_iter().collect(), Part::Name),
        ],
    };
    if let Some(m) = node.multiplicity.as_deref() {
        let m = format!(" {}{}", if ascii { "x" } else { "×" }, cells(m));
        if line.width() + m.chars().count() <= WRAP + 2 {
            line.spans.push((m, Part::Multiplicity));
        }
    }
    BoxText { lines: vec![line] }
}

/// The text of a box, full or compact.
pub fn text_of(node: &ViewNode, ascii: bool, compact: bool) -> BoxText {
    if compact {
        compact_text(node, ascii)
    } else {
        box_text(node, ascii)
    }
}

/// Where a name may break: after separators, between a lower-case letter
/// and an upper-case one, and where letters meet digits.
fn break_after(chars: &[char], i: usize) -> bool {
    let (a, b) = (chars[i], chars[i + 1]);
    matches!(a, ' ' | '-' | '_' | '.' | '/' | ':')
        || (a.is_lowercase() && b.is_uppercase())
        || (a.is_alphabetic() && b.is_ascii_digit())
        || (a.is_ascii_digit() && b.is_alphabetic())
}

/// Greedy wrap at `width`, preferring break points; None when it takes
/// more than `max_lines`.
fn wrap_at(chars: &[char], width: usize, max_lines: usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if out.len() == max_lines {
            return None;
        }
        let rest = chars.len() - start;
        let end = if rest <= width {
            chars.len()
        } else {
            (start..start + width)
                .rev()
                .find(|&i| break_after(chars, i))
                .map(|i| i + 1)
                .unwrap_or(start + width)
        };
        let line: String = chars[start..end].iter().collect();
        out.push(line.trim().to_string());
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    Some(out)
}

/// A name over as few lines as it needs, the lines about even. Names that
/// fit in [`WHOLE_NAME`] columns are never cut; longer ones are cut after
/// [`MAX_NAME_LINES`] lines with an ellipsis.
pub fn wrap_name(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.trim().chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    if chars.len() <= WRAP {
        return vec![chars.iter().collect()];
    }
    let lines = chars.len().div_ceil(WRAP);
    if lines <= MAX_NAME_LINES {
        let even = chars.len().div_ceil(lines);
        for width in even..=WRAP {
            if let Some(out) = wrap_at(&chars, width, lines) {
                return out;
            }
        }
        if let Some(out) = wrap_at(&chars, WRAP, MAX_NAME_LINES.max(lines)) {
            return out;
        }
    }
    // Too long to show whole: the first lines, the last one ending in `…`.
    let mut out = Vec::new();
    let mut start = 0;
    while out.len() < MAX_NAME_LINES && start < chars.len() {
        let end = (start + WRAP).min(chars.len());
        out.push(chars[start..end].iter().collect::<String>());
        start = end;
    }
    if start < chars.len() {
        let last = out.last_mut().expect("at least one line");
        last.pop();
        last.push('…');
    }
    out
}

/// Wraps space-separated words at [`WRAP`]; a word longer than that is split.
fn wrap_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > WRAP {
            out.push(word.drain(..WRAP).collect());
        }
        let w: String = word.into_iter().collect();
        match out.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= WRAP => {
                l.push(' ');
                l.push_str(&w);
            }
            _ => out.push(w),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_up_to_forty_columns_are_whole() {
        for len in 1..=WHOLE_NAME {
            let name: String = "AbcdefGhij0123456789KlmnopQrstuvWxyz-_.Z"
                .chars()
                .take(len)
                .collect();
            let lines = wrap_name(&name);
            assert!(lines.iter().all(|l| l.chars().count() <= WRAP), "{lines:?}");
            assert_eq!(lines.concat(), name, "{name} was cut: {lines:?}");
        }
    }

    #[test]
    fn camel_case_breaks_between_words() {
        assert_eq!(
            wrap_name("OrderProcessingWorkerFunction"),
            vec!["OrderProcessing", "WorkerFunction"]
        );
    }

    #[test]
    fn very_long_names_end_in_an_ellipsis() {
        let name = "x".repeat(100);
        let lines = wrap_name(&name);
        assert_eq!(lines.len(), MAX_NAME_LINES);
        assert!(lines.last().unwrap().ends_with('…'));
    }

    #[test]
    fn every_glyph_is_one_cell() {
        for k in Kind::all() {
            for ascii in [false, true] {
                let g = glyph(k, ascii);
                assert_eq!(UnicodeWidthStr::width(g.as_str()), 1, "{}", k.word());
                assert_eq!(g.chars().count(), 1, "{}", k.word());
            }
        }
    }
}
