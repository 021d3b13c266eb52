//! Writing a repository back: each stack's services go back to the file
//! that owns them, and only the files whose text changes are written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Repo, Stack};
use crate::formats;
use crate::model::{Origin, Sketch, stack_of, strip_stack};

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

/// The files an edited repository sketch changes, with their new text:
/// each stack is written in its own language from its own text, and a
/// file whose text stays the same is left out. A service that belongs to
/// no stack is an error naming it.
pub fn changed_files(repo: &Repo, sketch: &Sketch) -> Result<Vec<(PathBuf, String)>, String> {
    if let Some(s) = sketch
        .services()
        .find(|s| stack_of(&s.id).is_none_or(|st| repo.stack(st).is_none()))
    {
        return Err(format!(
            "`{}` belongs to no stack of this repository; add services with `add KIND NAME in STACK`",
            s.id
        ));
    }
    let mut out = Vec::new();
    for st in &repo.stacks {
        let mine = stack_sketch(st, sketch);
        if mine == st.sketch {
            continue;
        }
        let (files, warnings): (BTreeMap<String, String>, Vec<String>) = if st.terraform {
            let o = formats::terraform::export(&mine);
            (o.files, o.warnings)
        } else {
            let o = formats::sam::export(&mine);
            let name = st.files.keys().next().cloned().unwrap_or_default();
            (BTreeMap::from([(name, o.text().to_string())]), o.warnings)
        };
        let _ = warnings;
        for (name, text) in files {
            if st.files.get(&name) == Some(&text) {
                continue;
            }
            let rel = if st.terraform {
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
            out.push((repo.root.join(rel), text));
        }
    }
    Ok(out)
}
