//! Text from an input, made safe to show. A template, a file name or an id
//! may carry escape sequences (an OSC sequence retitles a terminal or writes
//! its clipboard), C1 codes or bidirectional overrides (which make text read
//! differently from what it is). Everything that prints text from an input
//! passes it through [`inert`] first, so such characters are shown as
//! visible escapes (`\e`, `\u{202e}`) instead of acting on the terminal.

use std::borrow::Cow;

/// Whether a character would act on a terminal or reorder text instead of
/// being shown: C0 controls other than newline and tab, DEL, C1 controls,
/// and the bidirectional marks, embeddings, overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{061c}' | '\u{200e}' | '\u{200f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every unsafe character (see [`is_unsafe`]) written as a
/// visible escape: `\e` for escape, `\r`, `\0`, and `\u{XX}` for the rest.
/// Newlines and tabs stay; text with nothing to escape is borrowed as it is.
pub fn inert(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_inert(&mut out, c);
    }
    Cow::Owned(out)
}

/// Like [`inert`], for text that must stay on one line (a name, an id, a
/// label): newlines and tabs are escaped too.
pub fn inert_line(text: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| c == '\n' || c == '\t' || is_unsafe(c);
    if !text.chars().any(unsafe_here) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => push_inert(&mut out, c),
        }
    }
    Cow::Owned(out)
}

fn push_inert(out: &mut String, c: char) {
    use std::fmt::Write as _;
    match c {
        '\u{1b}' => out.push_str("\\e"),
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_drives_a_terminal() {
        assert_eq!(inert("a\u{1b}]0;pwned\u{7}b"), "a\\e]0;pwned\\u{7}b");
        assert_eq!(inert("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(inert("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(inert("del\u{7f}"), "del\\u{7f}");
        assert_eq!(inert("cr\r\n"), "cr\\r\n");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let t = "Orders → Queue\n\tcafé 日本";
        assert!(matches!(inert(t), Cow::Borrowed(_)));
        assert_eq!(inert_line("a\nb\tc"), "a\\nb\\tc");
    }
}
