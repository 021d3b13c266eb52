//! Reading a function's handler code for the AWS SDK calls it makes, and
//! holding them against what the template says: each call tied to a
//! resource, drawn as an inferred arrow when the template does not declare
//! it, and checked against what the function's role grants.
//!
//! `locate` finds the code from the template, `source` reads it (inside the
//! root, under a size limit, following local imports), `python` and
//! `javascript` parse it with tree-sitter, `calls` ties calls to resources,
//! `grants` says what the role allows, `findings` what `check` reports.

pub mod calls;
pub mod findings;
pub mod grants;
pub mod javascript;
pub mod locate;
pub mod python;
pub mod source;
pub mod syntax;
pub mod template;

use crate::catalog::Kind;
use std::collections::BTreeMap;
use std::path::Path;

use crate::formats::sam::policies::serves_trigger;
use crate::model::{Connection, ConnectionKind, Service, Sketch};

pub use calls::{Resolved, Target};
pub use findings::Finding;

/// One stack to read the code of: its sketch, the folder its template (or
/// Terraform root) is in, the root no path may leave, and its template
/// texts keyed as they are shown (`backend/template.yaml`).
pub struct Stack<'a> {
    pub sketch: &'a Sketch,
    pub dir: &'a Path,
    pub root: &'a Path,
    pub templates: BTreeMap<String, String>,
    /// Code paths are shown inside this folder (a repository's root), or
    /// as the root was given when `None`.
    pub shown_from: Option<&'a Path>,
}

/// How far a function's code was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every file, local imports included.
    Read,
    /// Read, with gaps (a file too big, an import not there).
    Partly(Vec<String>),
    /// The template points at no code here.
    NotFound(String),
    /// There is code, not read (another language, a path that leaves the folder).
    NotRead(String),
}

/// A function's code and the calls it makes.
#[derive(Clone, Debug)]
pub struct FunctionCode {
    pub function: String,
    pub files: Vec<String>,
    pub status: Status,
    pub calls: Vec<Resolved>,
}

/// An arrow the code draws that the template does not declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inferred {
    pub from: String,
    pub to: String,
    pub kind: ConnectionKind,
    /// Where the code makes the first such call.
    pub evidence: String,
}

/// What reading a stack's (or a repository's) code gave.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub functions: Vec<FunctionCode>,
    pub inferred: Vec<Inferred>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Ids as a repository read as one sketch has them (`stack:Id`).
    pub fn prefixed(mut self, stack: &str) -> Report {
        let p = format!("{stack}{}", crate::model::STACK_SEPARATOR);
        for f in &mut self.functions {
            f.function = format!("{p}{}", f.function);
            for c in &mut f.calls {
                if let Target::Service(t) = &mut c.target {
                    *t = format!("{p}{t}");
                }
            }
        }
        for i in &mut self.inferred {
            i.from = format!("{p}{}", i.from);
            i.to = format!("{p}{}", i.to);
        }
        for f in &mut self.findings {
            f.prefix(&p);
        }
        self
    }

    pub fn extend(&mut self, other: Report) {
        self.functions.extend(other.functions);
        self.inferred.extend(other.inferred);
        self.findings.extend(other.findings);
    }

    /// Functions whose code was read (completely or not).
    pub fn read_count(&self) -> usize {
        self.functions
            .iter()
            .filter(|f| matches!(f.status, Status::Read | Status::Partly(_)))
            .count()
    }
}

/// Reads the code of every function of a stack.
pub fn read(stack: &Stack) -> Report {
    let mut report = Report::default();
    let texts = template::Texts {
        files: &stack.templates,
    };
    let functions: Vec<&Service> = stack
        .sketch
        .services()
        .filter(|s| s.kind == Kind::Function && !s.implicit && !s.is_data_source())
        .collect();
    for f in functions {
        let code = function(stack, f, &texts);
        let grants = grants::of(stack.sketch, f, &texts);
        // Where the function's permissions are said: its policies or its role.
        let template_at = [
            ("/Properties/Policies", "Policies"),
            ("/Properties/Role", "Role"),
            ("/Properties/role", "role"),
        ]
        .iter()
        .filter_map(|(ptr, key)| texts.at(&f.id, ptr).filter(|a| texts.line_has(a, key)))
        .next()
        .unwrap_or_else(|| texts.at_or_file(&f.id, ""));
        let function_at = texts.at_or_file(&f.id, "");
        let env_at = ["/Properties/Environment", "/Properties/environment"]
            .iter()
            .filter_map(|ptr| {
                texts
                    .at(&f.id, ptr)
                    .filter(|a| texts.line_has(a, &ptr[12..]))
            })
            .next()
            .unwrap_or_else(|| function_at.clone());
        report.findings.extend(findings::of(
            stack.sketch,
            &findings::Subject {
                function: &f.id,
                calls: &code.calls,
                grants: &grants,
                complete: code.status == Status::Read,
                template_at: &template_at,
                env_at: &env_at,
                function_at: &function_at,
            },
        ));
        report
            .inferred
            .extend(inferred(stack.sketch, &f.id, &code.calls));
        report.functions.push(code);
    }
    report
}

/// A function's code, read and its calls resolved.
fn function(stack: &Stack, f: &Service, texts: &template::Texts) -> FunctionCode {
    let base = locate::Base {
        dir: stack.dir,
        root: stack.root,
    };
    let mut out = FunctionCode {
        function: f.id.clone(),
        files: Vec::new(),
        status: Status::Read,
        calls: Vec::new(),
    };
    let place = match locate::locate(stack.sketch, f, &base) {
        Ok(p) => p,
        Err(why) => {
            let not_read = why.starts_with("runtime")
                || why.contains("container image")
                || why.contains("leave")
                || why.contains("leads out");
            out.status = if not_read {
                Status::NotRead(why)
            } else {
                Status::NotFound(why)
            };
            return out;
        }
    };
    let (file, line) = inline_start(texts, &f.id);
    let code = source::read(&place, stack.root, stack.shown_from, &file, line);
    let env = calls::env_of(stack.sketch, f);
    out.calls = code
        .calls
        .iter()
        .filter_map(|c| calls::resolve(stack.sketch, &env, c))
        .filter(|c| !polls_its_trigger(stack.sketch, &f.id, c))
        .collect();
    out.files = code.files;
    if out.files.is_empty() {
        out.status = Status::NotRead(code.gaps.join("; "));
    } else if !code.gaps.is_empty() {
        out.status = Status::Partly(code.gaps);
    }
    out
}

/// Where inline code starts: the line after its key (`ZipFile: |`).
fn inline_start(texts: &template::Texts, id: &str) -> (String, usize) {
    let at = [
        ("/Properties/InlineCode", "InlineCode"),
        ("/Properties/Code/ZipFile", "ZipFile"),
    ]
    .iter()
    .filter_map(|(ptr, key)| texts.at(id, ptr).filter(|a| texts.line_has(a, key)))
    .next()
    .unwrap_or_else(|| texts.at_or_file(id, ""));
    match at.rsplit_once(':') {
        Some((file, line)) => (file.to_string(), line.parse::<usize>().unwrap_or(0) + 1),
        None => (at, 1),
    }
}

/// Receiving from or deleting in the queue (or stream) that triggers the
/// function is part of that trigger, not a connection of its own.
fn polls_its_trigger(sketch: &Sketch, f: &str, c: &Resolved) -> bool {
    let Target::Service(t) = &c.target else {
        return false;
    };
    sketch.is_connected(t, f, Some(ConnectionKind::Trigger))
        && serves_trigger(&[c.action.as_str()], false)
}

/// The arrows `f`'s calls draw that the template does not declare: no
/// arrow of that kind to that resource (a write arrow stands for reading too).
fn inferred(sketch: &Sketch, f: &str, calls: &[Resolved]) -> Vec<Inferred> {
    let mut out: Vec<Inferred> = Vec::new();
    for c in calls {
        let Target::Service(t) = &c.target else {
            continue;
        };
        let declared = sketch.is_connected(f, t, Some(c.kind))
            || (c.kind == ConnectionKind::Read
                && sketch.is_connected(f, t, Some(ConnectionKind::Write)));
        let seen = out.iter().any(|i| i.to == *t && i.kind == c.kind);
        if !declared && !seen && t != f {
            out.push(Inferred {
                from: f.to_string(),
                to: t.clone(),
                kind: c.kind,
                evidence: c.at.clone(),
            });
        }
    }
    out
}

/// Adds the inferred arrows to the sketch.
pub fn add_inferred(sketch: &mut Sketch, report: &Report) {
    for i in &report.inferred {
        if !sketch.is_connected(&i.from, &i.to, Some(i.kind)) {
            let _ = sketch.connect(&i.from, &i.to, Connection::inferred(i.kind, &i.evidence));
        }
    }
}
