//! A function's handler code for the code pane: the entry file's lines,
//! the lines that make AWS SDK calls marked with what each call does and
//! to what, and the way to open the file in the user's editor. Read only:
//! the app never writes code files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use crate::code::handlers::{FunctionCode, Report, Status, Target};

/// A handler file larger than this is not shown.
pub const MAX_SHOWN_BYTES: u64 = 1 << 20;

/// One row of the handler view: a numbered line of a file, or a file's
/// heading (`number` is `None`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    pub number: Option<usize>,
    pub text: String,
    /// What the calls on this line do: `sqs:SendMessage → Jobs`.
    pub calls: Vec<String>,
}

/// What the code pane shows for one function.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HandlerView {
    pub function: String,
    /// The entry file as the user knows it (`src/worker/app.py`).
    pub shown: String,
    /// Where the entry file is, to open it in an editor.
    pub path: Option<PathBuf>,
    /// The entry file's lines, then each local module it imports under a
    /// heading of its own.
    pub rows: Vec<Row>,
    /// The other files read with it (local modules), as shown.
    pub more: Vec<String>,
    /// Why there is nothing (or not everything) to show.
    pub note: Option<String>,
}

impl HandlerView {
    /// The line of the entry file's first call, or its first line (1-based).
    pub fn first_call_line(&self) -> usize {
        self.rows
            .iter()
            .take_while(|r| r.number.is_some())
            .find(|r| !r.calls.is_empty())
            .and_then(|r| r.number)
            .unwrap_or(1)
    }

    /// The row of the first call in any file (0-based).
    pub fn first_call_row(&self) -> Option<usize> {
        self.rows.iter().position(|r| !r.calls.is_empty())
    }

    pub fn calls(&self) -> usize {
        self.rows.iter().map(|r| r.calls.len()).sum()
    }
}

/// The view of `function`'s handler from what reading the code gave.
/// Paths in the report are shown from `base` (a repository's root), or as
/// given when `base` is `None`; they are named from `named_from` when they
/// lie in it (the template's own folder).
pub fn view(
    report: &Report,
    function: &str,
    base: Option<&Path>,
    named_from: Option<&Path>,
) -> HandlerView {
    let mut v = HandlerView {
        function: function.to_string(),
        ..HandlerView::default()
    };
    let Some(fc) = report.functions.iter().find(|f| f.function == function) else {
        v.note = Some(format!(
            "{function} has no handler code here: select a function"
        ));
        return v;
    };
    match &fc.status {
        Status::NotFound(why) => {
            v.note = Some(format!("the code of {function} was not found: {why}"));
            return v;
        }
        Status::NotRead(why) => {
            v.note = Some(format!("the code of {function} is not read: {why}"));
            return v;
        }
        Status::Partly(gaps) => v.note = Some(format!("read in part: {}", gaps.join("; "))),
        Status::Read => {}
    }
    let Some(entry) = fc.files.first() else {
        v.note = Some(format!("no file of {function} was read"));
        return v;
    };
    let located = |file: &str| match base {
        Some(b) => b.join(file),
        None => PathBuf::from(file),
    };
    let name = |file: &str| -> String {
        named_from
            .and_then(|f| Path::new(file).strip_prefix(f).ok())
            .map_or_else(|| file.to_string(), |p| p.to_string_lossy().into_owned())
    };
    v.shown = name(entry);
    v.more = fc.files[1..].iter().map(|f| name(f)).collect();
    v.path = Some(located(entry));
    for (k, file) in fc.files.iter().enumerate() {
        if k > 0 {
            v.rows.push(Row {
                text: format!("── {} ──", name(file)),
                ..Row::default()
            });
        }
        let lines = match read_text(&located(file)) {
            Ok(text) => text,
            Err(why) => {
                v.rows.push(Row {
                    text: format!("({why})"),
                    ..Row::default()
                });
                continue;
            }
        };
        let mut calls = marks(fc, file);
        for (i, line) in lines.lines().enumerate() {
            v.rows.push(Row {
                number: Some(i + 1),
                text: line.to_string(),
                calls: calls.remove(&i).unwrap_or_default(),
            });
        }
    }
    v
}

/// What each call on a line of `file` does, by line (0-based).
fn marks(fc: &FunctionCode, file: &str) -> BTreeMap<usize, Vec<String>> {
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for c in &fc.calls {
        let Some(line) =
            c.at.strip_prefix(file)
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let to = match &c.target {
            Target::Service(id) => id.clone(),
            Target::Default => "the default".to_string(),
            Target::Unknown(why) => format!("? {why}"),
        };
        out.entry(line.saturating_sub(1))
            .or_default()
            .push(format!("{} → {to}", c.action));
    }
    out
}

/// A file's text, under the size limit, as UTF-8.
fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_SHOWN_BYTES {
        return Err(format!(
            "{} bytes, more than the {} shown",
            meta.len(),
            MAX_SHOWN_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

/// The editor to open files in: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_from_env() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// The command that opens `path` at `line` in `editor` (words split on
/// spaces, as `git` does for simple values); editors known to take `+LINE`
/// get it.
pub fn editor_command(editor: &str, path: &Path, line: usize) -> Option<Command> {
    let mut words = editor.split_whitespace();
    let program = words.next()?;
    let mut c = Command::new(program);
    c.args(words);
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if matches!(
        name,
        "vi" | "vim" | "nvim" | "view" | "nano" | "emacs" | "micro" | "kak" | "helix" | "hx"
    ) {
        c.arg(format!("+{line}"));
    }
    c.arg(path);
    Some(c)
}

/// Runs the editor on the file and waits for it.
pub fn run_editor(editor: &str, path: &Path, line: usize) -> Result<ExitStatus, String> {
    let mut c = editor_command(editor, path, line).ok_or("no editor is set")?;
    c.status()
        .map_err(|e| format!("cannot run `{editor}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vi_gets_the_line_and_other_editors_only_the_file() {
        let args = |c: Command| -> Vec<String> {
            c.get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        };
        let c = editor_command("/usr/bin/vim", Path::new("a.py"), 13).unwrap();
        assert_eq!(args(c), ["+13", "a.py"]);
        let c = editor_command("code --wait", Path::new("a.py"), 13).unwrap();
        assert_eq!(c.get_program(), "code");
        assert_eq!(args(c), ["--wait", "a.py"]);
        assert!(editor_command("  ", Path::new("a.py"), 1).is_none());
    }
}
