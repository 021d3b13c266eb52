//! Writing a repository back: each stack's services go back to the file
//! that owns them, and only the files whose text changes are written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Repo, Stack};
use crate::formats::{self, Unwritten};
use crate::model::{Dialect, Origin, Sketch, stack_of, strip_stack};

/// A stack's own sketch, taken back out of the repository's: its
/// services and the connections between them under their own ids.
pub fn stack_sketch(st: &Stack, repo: &Sketch) -> Sketch {
    let mut out = Sketch::new();
    out.sections = st.sketch.sections.clone();
    out.source = st.sketch.source.clone();
    out.name = st.sketch.name.clone();
    out.groups = st.sketch.groups.clone();
    out.notes = st.sketch.notes.clone();
    let mine = |id: &str| stack_of(id) == Some(st.id.as_str());
    for s in repo.services().filter(|s| mine(&s.id)) {
        let mut n = s.clone();
        n.id = strip_stack(&s.id).to_string();
        n.group = match s.group.as_deref() {
            Some(g) if g == st.id => None,
            Some(g) if mine(g) => Some(strip_stack(g).to_string()),
            _ => None,
        };
        n.owner = s
            .owner
            .as_deref()
            .filter(|o| mine(o))
            .map(|o| strip_stack(o).to_string());
        let _ = out.add_service(n);
    }
    for (a, b, c) in repo.connections() {
        if !(mine(a) && mine(b)) {
            continue;
        }
        let mut c = c.clone();
        c.origins = c
            .origins
            .iter()
            .map(|o| Origin {
                resource: strip_stack(&o.resource).to_string(),
                ..o.clone()
            })
            .collect();
        let _ = out.connect(strip_stack(a), strip_stack(b), c);
    }
    out
}

/// What writing an edited repository sketch back takes: the files whose
/// text changes, what the exporters warned of, and the drawn connections
/// no file can hold (under the repository's ids).
#[derive(Debug, Default)]
pub struct RepoWrite {
    pub files: Vec<(PathBuf, String)>,
    pub warnings: Vec<String>,
    pub unwritten: Vec<Unwritten>,
}

/// The files an edited repository sketch changes, with their new text:
/// each stack is written in its own language from its own text, and a
/// file whose text stays the same is left out. A service that belongs to
/// no stack is an error naming it. A connection drawn between two stacks
/// is not written (it takes a name passed between them by hand), and says so.
pub fn changed_files(repo: &Repo, sketch: &Sketch) -> Result<RepoWrite, String> {
    if let Some(s) = sketch
        .services()
        .find(|s| stack_of(&s.id).is_none_or(|st| repo.stack(st).is_none()))
    {
        return Err(format!(
            "`{}` belongs to no stack of this repository; add services with `add KIND NAME in STACK`",
            s.id
        ));
    }
    let mut out = RepoWrite::default();
    for (a, b, c) in sketch.connections() {
        let (sa, sb) = (stack_of(a), stack_of(b));
        let joined = sketch.joins.iter().any(|j| {
            j.arrows
                .iter()
                .any(|(x, y, k)| x == a && y == b && *k == c.kind)
        });
        if sa != sb && c.origins.is_empty() && !joined {
            out.unwritten.push(Unwritten {
                from: a.to_string(),
                to: b.to_string(),
                kind: c.kind,
                reason: format!(
                    "{a} and {b} are in different stacks; output a name or ARN from {} (an Output or an SSM parameter) and read it in {} by hand",
                    sb.unwrap_or("one"),
                    sa.unwrap_or("the other")
                ),
            });
        }
    }
    for st in &repo.stacks {
        let mine = stack_sketch(st, sketch);
        if mine == st.sketch {
            continue;
        }
        let (files, warnings, unwritten) = if st.dialect == Dialect::Terraform {
            let o = formats::terraform::export(&mine);
            (o.files, o.warnings, o.unwritten)
        } else {
            let o = formats::sam::export(&mine);
            let name = st.files.keys().next().cloned().unwrap_or_default();
            let text = o.text().to_string();
            (BTreeMap::from([(name, text)]), o.warnings, o.unwritten)
        };
        out.warnings
            .extend(warnings.into_iter().map(|w| format!("{}: {w}", st.id)));
        out.unwritten
            .extend(unwritten.into_iter().map(|u| Unwritten {
                from: super::repo_id(&st.id, &u.from),
                to: super::repo_id(&st.id, &u.to),
                ..u
            }));
        for (name, text) in files {
            if st.files.get(&name) == Some(&text) {
                continue;
            }
            let rel = if st.dialect == Dialect::Terraform {
                let joined = if st.dir.is_empty() {
                    name.clone()
                } else {
                    format!("{}/{name}", st.dir)
                };
                super::normalize(&joined).ok_or_else(|| {
                    format!("{name}: this file of `{}` is outside the repository", st.id)
                })?
            } else {
                st.file.clone()
            };
            out.files.push((repo.root.join(rel), text));
        }
    }
    Ok(out)
}
