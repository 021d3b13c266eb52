//! Reading a function's code: its handler file and the local modules it
//! imports, each checked to be inside the root and under the size limit
//! before it is parsed.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use super::javascript::{self, Dialect};
use super::locate::{Base, Language, Place, resolve};
use super::python;
use super::syntax::{FileCalls, RawCall};

/// Files bigger than this are not parsed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// A function's code is read up to this many files.
pub const MAX_FILES: usize = 64;

/// A call and where the code makes it (`src/app.py:14`).
#[derive(Clone, Debug)]
pub struct FoundCall {
    pub call: RawCall,
    pub at: String,
}

/// What reading a function's code gave.
#[derive(Clone, Debug, Default)]
pub struct Code {
    /// The files read, relative to the root.
    pub files: Vec<String>,
    pub calls: Vec<FoundCall>,
    /// Why the code was not read completely (a file too big, an import
    /// not found, text the parser could not read); empty when it was.
    pub gaps: Vec<String>,
}

/// Reads the code at `place`; `template` is how the template is shown
/// (`template.yaml`) and `line` where inline code starts in it.
pub fn read(place: &Place, root: &Path, from: Option<&Path>, template: &str, line: usize) -> Code {
    match place {
        Place::Inline { text, language } => {
            let found = parse(text, *language, Path::new("inline.py"));
            let mut code = Code {
                files: vec![template.to_string()],
                ..Code::default()
            };
            if found.errors {
                code.gaps
                    .push(format!("{template}: inline code the parser could not read"));
            }
            code.calls = found
                .calls
                .into_iter()
                .map(|c| FoundCall {
                    at: format!("{template}:{}", line + c.line - 1),
                    call: c,
                })
                .collect();
            code
        }
        Place::File {
            folder,
            file,
            language,
        } => read_files(folder, file, *language, root, from),
    }
}

/// The handler file and, one by one, the local modules it imports.
fn read_files(
    folder: &Path,
    entry: &Path,
    language: Language,
    root: &Path,
    from: Option<&Path>,
) -> Code {
    let mut code = Code::default();
    let mut queue: VecDeque<PathBuf> = VecDeque::from([entry.to_path_buf()]);
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let shown = shown(&path, from);
        if seen.len() > MAX_FILES {
            code.gaps.push(format!("more than {MAX_FILES} files"));
            break;
        }
        let text = match load(&path, root) {
            Ok(t) => t,
            Err(why) => {
                code.gaps.push(format!("{shown}: {why}"));
                continue;
            }
        };
        let found = parse(&text, language, &path);
        if found.errors {
            code.gaps
                .push(format!("{shown}: text the parser could not read"));
        }
        code.calls
            .extend(found.calls.into_iter().map(|c| FoundCall {
                at: format!("{shown}:{}", c.line),
                call: c,
            }));
        for spec in &found.imports {
            match local_module(folder, &path, spec, language, root) {
                Ok(Some(p)) => queue.push_back(p),
                Ok(None) => {}
                Err(why) => code.gaps.push(format!("{shown}: {why}")),
            }
        }
        code.files.push(shown);
    }
    code
}

/// A file's text, when it is inside the root, a regular file and small
/// enough.
fn load(path: &Path, root: &Path) -> Result<String, String> {
    let real = path.canonicalize().map_err(|e| e.to_string())?;
    let root = root.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(&root) {
        return Err("leads out of the folder being read".into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "bigger than {} KB, not read",
            MAX_FILE_BYTES / 1024
        ));
    }
    let bytes = std::fs::read(&real).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn parse(text: &str, language: Language, path: &Path) -> FileCalls {
    match language {
        Language::Python => python::read(text),
        Language::Node => {
            let dialect = match path.extension().and_then(|e| e.to_str()) {
                Some("ts" | "mts" | "cts") => Dialect::TypeScript,
                Some("tsx") => Dialect::Tsx,
                _ => Dialect::JavaScript,
            };
            javascript::read(text, dialect)
        }
    }
}

/// The file a local import names, if it is one: `Ok(None)` for a package
/// (`boto3`, `@aws-sdk/client-s3`); an error for a relative import that
/// names no file here.
fn local_module(
    folder: &Path,
    from: &Path,
    spec: &str,
    language: Language,
    root: &Path,
) -> Result<Option<PathBuf>, String> {
    let (spec, optional) = match spec.strip_prefix('?') {
        Some(s) => (s, true),
        None => (spec, false),
    };
    let dir = from.parent().unwrap_or(folder);
    let (base_dir, candidates): (&Path, Vec<String>) = match language {
        Language::Python => {
            let dots = spec.len() - spec.trim_start_matches('.').len();
            let rest = spec[dots..].replace('.', "/");
            let mut up = String::new();
            for _ in 1..dots {
                up.push_str("../");
            }
            let stem = format!("{up}{rest}");
            let start = if dots == 0 { folder } else { dir };
            let c = if rest.is_empty() {
                vec![format!("{up}__init__.py")]
            } else {
                vec![format!("{stem}.py"), format!("{stem}/__init__.py")]
            };
            (start, c)
        }
        Language::Node => {
            let mut c = vec![spec.to_string()];
            for ext in Language::Node.extensions() {
                c.push(format!("{spec}.{ext}"));
            }
            for ext in ["js", "ts", "mjs"] {
                c.push(format!("{spec}/index.{ext}"));
            }
            // TypeScript imports `./x.js` for `./x.ts`.
            if let Some(stem) = spec.strip_suffix(".js") {
                c.push(format!("{stem}.ts"));
            }
            (dir, c)
        }
    };
    let base = Base {
        dir: base_dir,
        root,
    };
    for c in &candidates {
        if let Ok(p) = resolve(&base, c) {
            if p.is_file() {
                return Ok(Some(p));
            }
        }
    }
    if !optional && (language == Language::Node || spec.starts_with('.')) {
        return Err(format!("imports {spec}, which is not here"));
    }
    Ok(None)
}

/// A path as shown to the user: inside `from` when it is given (a
/// repository's root), else as the root was given; `/`-separated.
pub fn shown(path: &Path, from: Option<&Path>) -> String {
    let path = from.and_then(|f| path.strip_prefix(f).ok()).unwrap_or(path);
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
