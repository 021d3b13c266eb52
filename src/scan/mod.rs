//! A folder to a set of stacks, and the joins between them. The folder is
//! walked as `git` would see it (`.gitignore` honoured), skipping build
//! output, dependencies and vendored code; SAM/CloudFormation templates are
//! found by their content and Terraform roots are the folders of `.tf`
//! files that no other folder calls as a local module. Each stack is read
//! by its importer, and the whole repository becomes one sketch whose
//! service ids carry their stack's id (`backend/auth:UserPool`).

mod config;
mod joins;
mod names;
mod save;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::formats::{self, FormatError};
use crate::model::{
    Connection, Dialect, Group, GroupKind, Origin, STACK_SEPARATOR, Service, Sketch, StackInfo,
    Value,
};

pub use config::DeployConfig;
pub use save::{RepoWrite, changed_files, stack_sketch};

/// Folders never scanned: version control, dependencies, build output,
/// deployment tools' work folders and vendored code.
const SKIPPED: &[&str] = &[
    ".git",
    "node_modules",
    ".aws-sam",
    "cdk.out",
    ".terraform",
    ".serverless",
    "vendor",
    "target",
    "dist",
    "build",
    "out",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    "bower_components",
];

/// Larger files are not templates anyone writes by hand.
const MAX_FILE: u64 = 8 * 1024 * 1024;

/// One stack of a repository.
#[derive(Clone, Debug)]
pub struct Stack {
    /// Path relative to the repository without extension; a `template.yaml`
    /// takes its folder's path, a Terraform root its folder's (`.` at the top).
    pub id: String,
    pub dialect: Dialect,
    /// The folder the stack lives in, relative to the repository (`""` at the top).
    pub dir: String,
    /// The template (relative to the repository), or the Terraform folder.
    pub file: String,
    /// The text the stack was read from, keyed as its importer keys it: the
    /// template's file name, or paths relative to the Terraform root.
    pub files: BTreeMap<String, String>,
    pub sketch: Sketch,
    /// The stack that includes this one.
    pub parent: Option<String>,
}

/// A repository: its stacks and how they are deployed.
#[derive(Clone, Debug)]
pub struct Repo {
    pub root: PathBuf,
    pub stacks: Vec<Stack>,
    pub config: DeployConfig,
}

/// What the walk found: templates by relative path, Terraform files by
/// folder, deploy configuration.
#[derive(Default)]
struct Found {
    templates: Vec<(String, String)>,
    tf: BTreeMap<String, BTreeMap<String, String>>,
    config: Vec<(String, String)>,
}

fn rel_of(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn dir_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn file_of(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Whether a file's name says it may be a template worth opening.
fn template_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext_ok = [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|e| lower.ends_with(e));
    ext_ok
        && !lower.ends_with(".sketch.yaml")
        && !lower.ends_with(".sketch.yml")
        && !lower.ends_with(".stacksketch.yaml")
        && !lower.starts_with("samconfig")
        && !matches!(
            lower.as_str(),
            "package.json"
                | "package-lock.json"
                | "tsconfig.json"
                | "composer.json"
                | "docker-compose.yml"
                | "docker-compose.yaml"
                | "buildspec.yml"
                | "buildspec.yaml"
                | "serverless.yml"
                | "serverless.yaml"
        )
}

fn read_text(root: &Path, path: &Path) -> Result<Option<String>, FormatError> {
    let shown = path.display().to_string();
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE) {
        return Ok(None);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| FormatError::new(&shown, 1, 1, format!("cannot read it: {e}")))?;
    let _ = root;
    Ok(std::str::from_utf8(&bytes).ok().map(str::to_string))
}

fn walk(root: &Path) -> Result<Found, FormatError> {
    let mut found = Found::default();
    walk_into(root, root, &mut found)?;
    Ok(found)
}

/// Walks `start` (a folder or one file), naming what it finds relative to `root`.
fn walk_into(root: &Path, start: &Path, found: &mut Found) -> Result<(), FormatError> {
    let walker = ignore::WalkBuilder::new(start)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED.contains(&name.as_ref()))
        })
        .build();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let rel = rel_of(root, path);
        let name = file_of(&rel).to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            if let Some(t) = read_text(root, path)? {
                found
                    .tf
                    .entry(dir_of(&rel).to_string())
                    .or_default()
                    .insert(name, t);
            }
        } else if lower.starts_with("samconfig") || lower.ends_with(".tfvars") {
            if let Some(t) = read_text(root, path)? {
                found.config.push((rel, t));
            }
        } else if template_name(&name)
            && let Some(t) = read_text(root, path)?
            && may_be_template(&t)
        {
            found.templates.push((rel, t));
        }
    }
    Ok(())
}

/// Whether a file may be a template, by a look at its text: a format
/// version, or a `Resources` section naming AWS types. The importer then
/// decides (see [`is_template`]).
fn may_be_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let resources = text
        .lines()
        .any(|l| l.starts_with("Resources:") || l.trim_start().starts_with("\"Resources\""));
    resources && (text.contains("AWS::") || text.contains("Custom::"))
}

/// Whether a file says it is a template, so that failing to read it is an
/// error rather than a file that is something else.
fn says_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::Serverless-2016-10-31")
}

/// Templates by content, as the importer reads them: a format version, or
/// resources that all have CloudFormation types.
fn is_template(text: &str, sketch: &Sketch) -> bool {
    says_template(text)
        || (!sketch.is_empty()
            && sketch.services().all(|s| {
                s.implicit
                    || s.type_name.contains("::")
                    || s.type_name.starts_with("Custom")
                    || s.type_name.starts_with("Fn::ForEach")
            }))
}

#[cfg(test)]
fn looks_like_template(text: &str) -> bool {
    may_be_template(text)
        && formats::sam::import("t.yaml", text).is_ok_and(|s| is_template(text, &s))
}

/// Reads each template (in parallel; the importer is the slow part): a
/// stack for each that is one, an error for one that says it is a
/// template and does not read.
fn import_templates(
    root: &Path,
    templates: &[(String, String)],
) -> Result<Vec<(usize, Sketch)>, FormatError> {
    let shown = |rel: &str| root.join(rel).display().to_string();
    let read = |i: usize| -> Result<Option<(usize, Sketch)>, FormatError> {
        let (rel, text) = &templates[i];
        match formats::sam::import(&shown(rel), text) {
            Ok(s) if is_template(text, &s) => Ok(Some((i, s))),
            Ok(_) => Ok(None),
            Err(e) if says_template(text) => Err(e),
            Err(_) => Ok(None),
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(templates.len().max(1));
    let results: Vec<Result<Option<(usize, Sketch)>, FormatError>> = if threads <= 1 {
        (0..templates.len()).map(read).collect()
    } else {
        let mut out: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let read = &read;
                    scope.spawn(move || {
                        (t..templates.len())
                            .step_by(threads)
                            .map(read)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        // Errors in path order, whichever thread met them.
        out.sort_by_key(|r| match r {
            Ok(Some((i, _))) => *i,
            _ => usize::MAX,
        });
        out
    };
    let mut ok = Vec::new();
    let mut first_err: Option<(usize, FormatError)> = None;
    for r in results {
        match r {
            Ok(Some(x)) => ok.push(x),
            Ok(None) => {}
            Err(e) => {
                let at = templates
                    .iter()
                    .position(|(rel, _)| e.file == shown(rel))
                    .unwrap_or(usize::MAX);
                if first_err.as_ref().is_none_or(|(i, _)| at < *i) {
                    first_err = Some((at, e));
                }
            }
        }
    }
    if let Some((_, e)) = first_err {
        return Err(e);
    }
    ok.sort_by_key(|(i, _)| *i);
    Ok(ok)
}

/// The id of a stack from its template's path.
fn template_id(rel: &str) -> String {
    let name = file_of(rel);
    let lower = name.to_ascii_lowercase();
    let dir = dir_of(rel);
    if lower.starts_with("template.") {
        return if dir.is_empty() {
            ".".to_string()
        } else {
            dir.to_string()
        };
    }
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    }
}

/// Normalizes `a/b/../c` to `a/c`; `None` when it leaves the repository.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folders a Terraform folder calls as local modules, relative to the repository.
fn module_calls(dir: &str, files: &BTreeMap<String, String>) -> Vec<String> {
    formats::terraform::missing_module_dirs(files)
        .into_iter()
        .filter_map(|m| {
            normalize(&if dir.is_empty() {
                m.clone()
            } else {
                format!("{dir}/{m}")
            })
        })
        .collect()
}

/// The Terraform roots among the folders of `.tf` files.
fn terraform_roots(tf: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<String> {
    let mut called: HashSet<String> = HashSet::new();
    for (dir, files) in tf {
        for m in module_calls(dir, files) {
            if m != *dir {
                called.insert(m);
            }
        }
    }
    tf.keys()
        .filter(|d| !called.contains(*d))
        .cloned()
        .collect()
}

/// A Terraform root's files keyed as the importer reads them: its own by
/// name, its local modules' by path relative to it.
fn terraform_files(
    dir: &str,
    tf: &BTreeMap<String, BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut files = tf.get(dir).cloned().unwrap_or_default();
    for _ in 0..16 {
        let mut grew = false;
        for m in formats::terraform::missing_module_dirs(&files) {
            let repo_dir = if dir.is_empty() {
                normalize(&m)
            } else {
                normalize(&format!("{dir}/{m}"))
            };
            if let Some(mf) = repo_dir.and_then(|d| tf.get(&d)) {
                for (n, t) in mf {
                    files.insert(format!("{m}/{n}"), t.clone());
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
    files
}

/// Whether `root` holds exactly one Terraform root and no template: the
/// folder reads as it always did, as one Terraform folder.
pub fn is_single_terraform_root(root: &Path) -> bool {
    let has_tf_here = std::fs::read_dir(root).is_ok_and(|rd| {
        rd.flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "tf") && e.path().is_file())
    });
    if !has_tf_here {
        return false;
    }
    match walk(root) {
        Ok(f) => f.templates.is_empty() && terraform_roots(&f.tf) == [String::new()],
        Err(_) => true,
    }
}

/// Scans a folder into its stacks. A template that does not read is an
/// error with its place; a folder with no stack at all is one too.
pub fn scan(root: &Path) -> Result<Repo, FormatError> {
    let found = walk(root)?;
    build(root, found)
}

/// Several templates, Terraform folders or folders of stacks given
/// together read as one repository rooted at the folder they share.
pub fn scan_paths(paths: &[PathBuf]) -> Result<Repo, FormatError> {
    let mut full = Vec::new();
    for p in paths {
        let c = p.canonicalize().map_err(|e| {
            FormatError::new(
                &p.display().to_string(),
                1,
                1,
                format!("cannot read it: {e}"),
            )
        })?;
        full.push(c);
    }
    let dirs: Vec<PathBuf> = full
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .collect();
    let mut root = dirs.first().cloned().unwrap_or_default();
    while !dirs.iter().all(|d| d.starts_with(&root)) {
        if !root.pop() {
            break;
        }
    }
    let mut found = Found::default();
    for p in &full {
        if p.is_file() {
            let name = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
            if name.ends_with(".tf") {
                // A .tf file stands for its folder.
                walk_into(&root, p.parent().unwrap_or(&root), &mut found)?;
                continue;
            }
            let text = read_text(&root, p)?.unwrap_or_default();
            // Given by name: the importer says what is wrong with it, and where.
            formats::sam::import(&p.display().to_string(), &text)?;
            found.templates.push((rel_of(&root, p), text));
        } else {
            walk_into(&root, p, &mut found)?;
        }
    }
    found.templates.sort();
    found.templates.dedup_by(|a, b| a.0 == b.0);
    build(&root, found)
}

fn build(root: &Path, found: Found) -> Result<Repo, FormatError> {
    let shown = |rel: &str| root.join(rel).display().to_string();
    let mut stacks: Vec<Stack> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut unique = |id: String, alt: &str| -> String {
        if taken.insert(id.clone()) {
            id
        } else {
            let alt = alt.to_string();
            taken.insert(alt.clone());
            alt
        }
    };
    for (i, sketch) in import_templates(root, &found.templates)? {
        let (rel, text) = &found.templates[i];
        let id = unique(template_id(rel), rel);
        let mut files = BTreeMap::new();
        files.insert(file_of(rel).to_string(), text.clone());
        stacks.push(Stack {
            id,
            dialect: Dialect::Sam,
            dir: dir_of(rel).to_string(),
            file: rel.clone(),
            files,
            sketch,
            parent: None,
        });
    }
    for dir in terraform_roots(&found.tf) {
        let files = terraform_files(&dir, &found.tf);
        let name = if dir.is_empty() {
            ".".to_string()
        } else {
            dir.clone()
        };
        let sketch = formats::terraform::import(&files, file_of(&name)).map_err(|mut e| {
            e.file = shown(&if dir.is_empty() {
                e.file.clone()
            } else {
                format!("{dir}/{}", e.file)
            });
            e
        })?;
        let id = unique(name.clone(), &format!("{name} (terraform)"));
        stacks.push(Stack {
            id,
            dialect: Dialect::Terraform,
            dir: dir.clone(),
            file: if dir.is_empty() { ".".into() } else { dir },
            files,
            sketch,
            parent: None,
        });
    }
    if stacks.is_empty() {
        return Err(FormatError::new(
            &root.display().to_string(),
            1,
            1,
            "there is no SAM/CloudFormation template and no Terraform folder here",
        )
        .hint("give a folder that holds templates or .tf files, or a template, a .tf file or a .sketch.yaml file"));
    }
    nest(&mut stacks);
    stacks.sort_by(|a, b| a.id.cmp(&b.id));
    let config = DeployConfig::read(&found.config);
    Ok(Repo {
        root: root.to_path_buf(),
        stacks,
        config,
    })
}

/// Nested stacks: a template whose `AWS::CloudFormation::Stack` or
/// `AWS::Serverless::Application` points at a local template is that
/// template's parent.
fn nest(stacks: &mut [Stack]) {
    let by_file: BTreeMap<String, usize> = stacks
        .iter()
        .enumerate()
        .filter(|(_, s)| s.dialect != Dialect::Terraform)
        .map(|(i, s)| (s.file.clone(), i))
        .collect();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for s in stacks.iter() {
        for (_, child) in nested_locations(s) {
            if let Some(&ci) = by_file.get(&child)
                && stacks[ci].id != s.id
            {
                parents.push((ci, s.id.clone()));
            }
        }
    }
    for (ci, p) in parents {
        if stacks[ci].parent.is_none() {
            stacks[ci].parent = Some(p);
        }
    }
}

/// The local templates a stack includes: (resource id, path relative to the repository).
pub(crate) fn nested_locations(s: &Stack) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for svc in s.sketch.services() {
        let key = match svc.type_name.as_str() {
            "AWS::CloudFormation::Stack" => "TemplateURL",
            "AWS::Serverless::Application" => "Location",
            _ => continue,
        };
        let Some(loc) = svc.properties.get(key).and_then(Value::as_str) else {
            continue;
        };
        if loc.contains("://") || loc.starts_with("s3:") || loc.starts_with("arn:") {
            continue;
        }
        let joined = if s.dir.is_empty() {
            loc.to_string()
        } else {
            format!("{}/{loc}", s.dir)
        };
        if let Some(p) = normalize(&joined) {
            out.push((svc.id.clone(), p));
        }
    }
    out
}

/// The id a service of `stack` has in the repository's sketch.
pub fn repo_id(stack: &str, id: &str) -> String {
    format!("{stack}{STACK_SEPARATOR}{id}")
}

impl Repo {
    /// The stack a service of the repository's sketch belongs to.
    pub fn stack(&self, id: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.id == id)
    }

    /// The whole repository as one sketch: each stack a frame, services
    /// keyed `STACK:ID`, and the joins between stacks as arrows.
    pub fn sketch(&self) -> Sketch {
        let mut out = Sketch::new();
        for st in &self.stacks {
            merge_stack(&mut out, st);
        }
        out.name = self
            .root
            .canonicalize()
            .ok()
            .as_deref()
            .and_then(Path::file_name)
            .and_then(|f| f.to_str())
            .map(str::to_string);
        let joins = joins::find(self);
        for j in &joins {
            for (a, b, k) in &j.arrows {
                let mut c = Connection::new(*k);
                c.label = Some(j.via.clone());
                let _ = out.connect(a, b, c);
            }
        }
        out.joins = joins;
        out
    }
}

fn merge_stack(out: &mut Sketch, st: &Stack) {
    let sid = |id: &str| repo_id(&st.id, id);
    out.groups.insert(
        st.id.clone(),
        Group {
            id: st.id.clone(),
            kind: GroupKind::Stack,
            label: Some(st.id.clone()),
            parent: st.parent.clone(),
            collapsed: false,
        },
    );
    for g in st.sketch.groups.values() {
        let id = sid(&g.id);
        out.groups.insert(
            id.clone(),
            Group {
                id,
                kind: g.kind,
                label: Some(g.label.clone().unwrap_or_else(|| g.id.clone())),
                parent: Some(g.parent.as_deref().map_or_else(|| st.id.clone(), sid)),
                collapsed: g.collapsed,
            },
        );
    }
    for s in st.sketch.services() {
        let mut n: Service = s.clone();
        n.id = sid(&s.id);
        n.group = Some(s.group.as_deref().map_or_else(|| st.id.clone(), sid));
        n.owner = s.owner.as_deref().map(sid);
        let _ = out.add_service(n);
    }
    for (a, b, c) in st.sketch.connections() {
        let mut c = c.clone();
        c.origins = c
            .origins
            .iter()
            .map(|o| Origin {
                resource: sid(&o.resource),
                ..o.clone()
            })
            .collect();
        let _ = out.connect(&sid(a), &sid(b), c);
    }
    for note in &st.sketch.notes {
        let mut n = note.clone();
        n.on = n.on.as_deref().map(sid);
        out.notes.push(n);
    }
    out.stacks.push(StackInfo {
        id: st.id.clone(),
        dialect: st.dialect,
        file: st.file.clone(),
        parent: st.parent.clone(),
        monthly: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_ids_follow_paths() {
        assert_eq!(template_id("backend/auth.yaml"), "backend/auth");
        assert_eq!(template_id("orders/template.yaml"), "orders");
        assert_eq!(template_id("template.yml"), ".");
        assert_eq!(template_id("cfn.json"), "cfn");
        assert_eq!(normalize("a/b/../c"), Some("a/c".to_string()));
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn folders_called_as_modules_are_not_roots() {
        let mut tf = BTreeMap::new();
        let f = |t: &str| BTreeMap::from([("main.tf".to_string(), t.to_string())]);
        tf.insert(
            "app".into(),
            f("module \"m\" {\n  source = \"../modules/m\"\n}\n"),
        );
        tf.insert("net".into(), f("resource \"aws_vpc\" \"v\" {}\n"));
        tf.insert(
            "modules/m".into(),
            f("resource \"aws_sqs_queue\" \"q\" {}\n"),
        );
        assert_eq!(terraform_roots(&tf), ["app", "net"]);
        let files = terraform_files("app", &tf);
        assert!(files.contains_key("../modules/m/main.tf"), "{files:?}");
    }

    #[test]
    fn only_templates_are_taken_for_templates() {
        assert!(looks_like_template(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
        ));
        assert!(looks_like_template(
            "AWSTemplateFormatVersion: '2010-09-09'\n"
        ));
        assert!(!looks_like_template("Resources:\n  - cpu\n"));
        assert!(!looks_like_template("name: ci\non: push\n"));
        assert!(!template_name("samconfig.yaml"));
        assert!(!template_name("package.json"));
        assert!(template_name("stack.template"));
    }
}
