//! A Terraform folder to a sketch. Resources and data sources become
//! services keyed by their addresses; local modules are read recursively and
//! become groups; a remote module is one box; variables, locals, outputs,
//! providers and module calls are kept as sections so nothing is lost.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::structure::{Block, Structure};

use super::derive;
use super::syntax::{self, Parsed};
use super::text;
use crate::catalog::Kind;
use crate::formats::FormatError;
use crate::model::Dialect;
use crate::model::{Group, GroupKind, Map, Service, Sketch, Source, Value};

/// Resource meta-arguments: kept as a service's attributes, not properties.
pub const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "providers",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Where an item of the folder was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub file: String,
    /// The block's span (for a local value: its attribute's span).
    pub span: Range<usize>,
}

/// What export needs to write a folder back: where each service and
/// section lives, and which directory each module instance reads.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub places: BTreeMap<String, Place>,
    /// Module address prefix (`""`, `module.app.`) to its directory.
    pub dirs: BTreeMap<String, String>,
}

/// The directory part of a relative path (`""` for the top).
pub fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins a module source (`./modules/x`, `../shared`) to a directory.
pub fn join(dir: &str, source: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in source.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}

/// The directory holding the root module: the shallowest one.
pub fn root_dir(files: &BTreeMap<String, String>) -> String {
    files
        .keys()
        .min_by_key(|p| (p.matches('/').count(), p.as_str()))
        .map(|p| dir_of(p).to_string())
        .unwrap_or_default()
}

/// Directories of local modules that the files call but that have no files
/// in the map yet, for the caller to read.
pub fn missing_module_dirs(files: &BTreeMap<String, String>) -> Vec<String> {
    let have: HashSet<&str> = files.keys().map(|p| dir_of(p)).collect();
    let mut out: Vec<String> = Vec::new();
    for (path, t) in files {
        let Ok(p) = syntax::parse(path, t) else {
            continue;
        };
        for s in p.body.iter() {
            let Some(b) = s.as_block() else { continue };
            if b.ident.as_str() != "module" {
                continue;
            }
            if let Some(src) = b
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str())
                .filter(|s| is_local_source(s))
            {
                let d = join(dir_of(path), src);
                if !have.contains(d.as_str()) && !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    }
    out
}

struct Reader<'a, 'p> {
    files: &'a BTreeMap<String, String>,
    parsed: &'p BTreeMap<&'a str, Parsed<'a>>,
    sketch: Sketch,
    index: Index,
}

/// Reads a folder given as relative path to text.
pub fn read(files: &BTreeMap<String, String>, name: &str) -> Result<(Sketch, Index), FormatError> {
    if files.is_empty() {
        return Err(FormatError::new(name, 1, 1, "there are no .tf files here")
            .hint("give a folder that holds Terraform (.tf) files, or a .tf file"));
    }
    let mut parsed = BTreeMap::new();
    for (path, t) in files {
        parsed.insert(path.as_str(), syntax::parse(path, t)?);
    }
    let mut r = Reader {
        files,
        parsed: &parsed,
        sketch: Sketch::new(),
        index: Index::default(),
    };
    let root = root_dir(files);
    r.module(&root, "", None, &mut vec![root.clone()])?;
    let mut sketch = r.sketch;
    derive::derive(&mut sketch);
    sketch.source = Some(Source {
        dialect: Dialect::Terraform,
        files: files.clone(),
    });
    sketch.name = Some(name.to_string());
    Ok((sketch, r.index))
}

/// How many boxes a `count` or `for_each` makes, as a marker.
fn multiplicity(attrs: &Map) -> Option<String> {
    if attrs.contains_key("for_each") {
        return Some("for_each".to_string());
    }
    match attrs.get("count")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => {
            let e = text::single_interpolation(s).unwrap_or(s);
            let compact: String = e.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.ends_with("?1:0") {
                Some("0..1".to_string())
            } else {
                Some("count".to_string())
            }
        }
        _ => Some("count".to_string()),
    }
}

/// The catalog kind of a resource, telling apart what shares a type.
pub fn kind_for(type_name: &str, props: &Map, data: bool) -> Kind {
    match type_name {
        "aws_apigatewayv2_api"
            if props
                .get("protocol_type")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET")) =>
        {
            Kind::WebSocket
        }
        "aws_cloudwatch_event_rule"
            if props.contains_key("schedule_expression")
                && !props.contains_key("event_pattern") =>
        {
            Kind::Schedule
        }
        "aws_iam_policy_document" if data => Kind::Policy,
        t => Kind::from_tf_type(t),
    }
}

fn split_body(body: Map, meta: &[&str]) -> (Map, Map) {
    let mut props = Map::new();
    let mut attrs = Map::new();
    for (k, v) in body {
        if meta.contains(&k.as_str()) {
            attrs.insert(k, v);
        } else {
            props.insert(k, v);
        }
    }
    (props, attrs)
}

impl<'a, 'p> Reader<'a, 'p> {
    fn err_at(&self, file: &str, at: usize, msg: impl Into<String>) -> FormatError {
        let (l, c) = syntax::position(&self.files[file], at);
        FormatError::new(file, l, c, msg)
    }

    fn place(&mut self, key: String, file: &str, span: Option<Range<usize>>) {
        if let Some(span) = span {
            self.index.places.entry(key).or_insert(Place {
                file: file.to_string(),
                span,
            });
        }
    }

    fn section(&mut self, key: String, v: Value, file: &str, span: Option<Range<usize>>) {
        let mut key = key;
        if self.sketch.sections.contains_key(&key) {
            let base = key.clone();
            key = (2..)
                .map(|n| format!("{base}#{n}"))
                .find(|k| !self.sketch.sections.contains_key(k))
                .expect("a free key");
        }
        self.place(key.clone(), file, span);
        self.sketch.sections.insert(key, v);
    }

    /// Reads one module instance: the files of `dir`, under `prefix`.
    fn module(
        &mut self,
        dir: &str,
        prefix: &str,
        group: Option<&str>,
        chain: &mut Vec<String>,
    ) -> Result<(), FormatError> {
        self.index.dirs.insert(prefix.to_string(), dir.to_string());
        let paths: Vec<&'a str> = self
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| dir_of(p) == dir)
            .collect();
        let parsed = self.parsed;
        for path in paths {
            let p = &parsed[path];
            let text: &str = &p.text;
            for s in p.body.iter() {
                match s {
                    Structure::Attribute(a) => {
                        let at = a.span().map_or(0, |r| r.start);
                        return Err(self
                            .err_at(
                                path,
                                at,
                                format!(
                                    "`{}` is an argument outside any block",
                                    a.key.as_str()
                                ),
                            )
                            .hint("a Terraform file holds blocks such as resource, variable and output; put the argument inside one"));
                    }
                    Structure::Block(b) => self.block(path, text, b, dir, prefix, group, chain)?,
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        path: &str,
        text: &str,
        b: &Block,
        dir: &str,
        prefix: &str,
        group: Option<&str>,
        chain: &mut Vec<String>,
    ) -> Result<(), FormatError> {
        let ident = b.ident.as_str();
        let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
        let at = b.span().map_or(0, |r| r.start);
        let body = syntax::body_map(&b.body, text);
        match (ident, labels.as_slice()) {
            ("resource", [ty, name]) | ("data", [ty, name]) => {
                let data = ident == "data";
                let id = if data {
                    format!("{prefix}data.{ty}.{name}")
                } else {
                    format!("{prefix}{ty}.{name}")
                };
                let (props, attrs) = split_body(body, META);
                let mut svc = Service::new(id.clone(), kind_for(ty, &props, data), *ty);
                svc.multiplicity = multiplicity(&attrs);
                svc.properties = props;
                svc.attributes = attrs;
                svc.group = group.map(str::to_string);
                if let Err(e) = self.sketch.add_service(svc) {
                    return Err(self.err_at(path, at, format!("{e} (declared twice?)")).hint(
                        "each resource address must be unique within its module; rename one of them",
                    ));
                }
                self.place(id, path, b.span());
            }
            ("module", [name]) => {
                let source = body
                    .get("source")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let source = source.as_str();
                let mdir = join(dir, source);
                let local = is_local_source(source)
                    && self.files.keys().any(|p| dir_of(p) == mdir)
                    && !chain.contains(&mdir)
                    && chain.len() < 16;
                let id = format!("{prefix}module.{name}");
                if local {
                    self.section(id.clone(), Value::Object(body.clone()), path, b.span());
                    let g = Group {
                        id: id.clone(),
                        kind: GroupKind::Module,
                        label: Some(format!("module.{name} ({source})")),
                        parent: group.map(str::to_string),
                        collapsed: false,
                    };
                    self.sketch.groups.insert(id.clone(), g);
                    chain.push(mdir.clone());
                    self.module(&mdir, &format!("{id}."), Some(&id), chain)?;
                    chain.pop();
                } else {
                    let (props, attrs) = split_body(body, META);
                    // A well-known registry module is the service it
                    // creates; any other stays one box.
                    let known = super::registry::module(source);
                    let nothing = super::registry::creates_nothing(&props);
                    let kind = match known {
                        Some(m) if !nothing => super::registry::kind_of(m, &props),
                        _ => Kind::Application,
                    };
                    let mut svc = Service::new(id.clone(), kind, "module");
                    svc.label = Some(if source.is_empty() {
                        format!("module.{name}")
                    } else if known.is_some() && nothing {
                        format!("module.{name} ({source}, create = false)")
                    } else if known.is_some() {
                        name.to_string()
                    } else {
                        format!("module.{name} ({source})")
                    });
                    svc.multiplicity = multiplicity(&attrs);
                    svc.properties = props;
                    svc.attributes = attrs;
                    svc.group = group.map(str::to_string);
                    if let Err(e) = self.sketch.add_service(svc) {
                        return Err(self.err_at(path, at, e.to_string()));
                    }
                    self.place(id, path, b.span());
                }
            }
            ("locals", []) => {
                for s in b.body.iter() {
                    if let Some(a) = s.as_attribute() {
                        let key = format!("{prefix}local.{}", a.key.as_str());
                        let v = syntax::expr_value(&a.value, text);
                        self.section(key, v, path, a.span());
                    }
                }
            }
            _ => {
                let mut key = format!("{prefix}{ident}");
                for l in &labels {
                    key.push('.');
                    key.push_str(l);
                }
                self.section(key, Value::Object(body), path, b.span());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(join("", "./modules/s3"), "modules/s3");
        assert_eq!(join("modules/a", "../b"), "modules/b");
        assert_eq!(dir_of("modules/a/main.tf"), "modules/a");
        let files: BTreeMap<String, String> = [(
            "main.tf".to_string(),
            "module \"m\" {\n  source = \"./mods/m\"\n}\n".to_string(),
        )]
        .into();
        assert_eq!(missing_module_dirs(&files), ["mods/m"]);
    }

    #[test]
    fn reads_resources_modules_and_sections() {
        let files: BTreeMap<String, String> = [
            (
                "main.tf".to_string(),
                "variable \"n\" {\n  default = 1\n}\nlocals {\n  a = 1\n}\nresource \"aws_sqs_queue\" \"q\" {\n  count = 3\n  name  = \"q\"\n}\nmodule \"site\" {\n  source = \"./site\"\n  queue  = aws_sqs_queue.q[0].arn\n}\nmodule \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\ndata \"aws_region\" \"r\" {}\n".to_string(),
            ),
            (
                "site/main.tf".to_string(),
                "resource \"aws_s3_bucket\" \"b\" {}\n".to_string(),
            ),
        ]
        .into();
        let (s, idx) = read(&files, "x").unwrap();
        let ids: Vec<&str> = s.ids().collect();
        assert_eq!(
            ids,
            [
                "aws_sqs_queue.q",
                "module.site.aws_s3_bucket.b",
                "module.vpc",
                "data.aws_region.r"
            ]
        );
        let q = s.service("aws_sqs_queue.q").unwrap();
        assert_eq!(q.multiplicity.as_deref(), Some("3"));
        assert!(q.attributes.contains_key("count"));
        assert_eq!(
            s.service("module.site.aws_s3_bucket.b")
                .unwrap()
                .group
                .as_deref(),
            Some("module.site")
        );
        assert_eq!(s.service("module.vpc").unwrap().kind.word(), "application");
        for k in ["variable.n", "local.a", "module.site"] {
            assert!(s.sections.contains_key(k), "{k}");
        }
        assert_eq!(
            idx.places["module.site.aws_s3_bucket.b"].file,
            "site/main.tf"
        );
    }

    #[test]
    fn references_cross_module_boundaries() {
        let files: BTreeMap<String, String> = [
            (
                "main.tf".to_string(),
                "module \"store\" {\n  source = \"./store\"\n}\nmodule \"app\" {\n  source     = \"./app\"\n  table_name = module.store.name\n}\n".to_string(),
            ),
            (
                "store/main.tf".to_string(),
                "resource \"aws_dynamodb_table\" \"t\" {}\noutput \"name\" {\n  value = aws_dynamodb_table.t.name\n}\n".to_string(),
            ),
            (
                "app/main.tf".to_string(),
                "variable \"table_name\" {}\nresource \"aws_lambda_function\" \"f\" {\n  environment {\n    variables = {\n      TABLE = var.table_name\n    }\n  }\n}\n".to_string(),
            ),
        ]
        .into();
        let (s, _) = read(&files, "x").unwrap();
        let c = s
            .connection(
                "module.app.aws_lambda_function.f",
                "module.store.aws_dynamodb_table.t",
                None,
            )
            .expect("the function reaches the table through the module call");
        assert_eq!(c.origins[0].resource, "module.app.aws_lambda_function.f");
        assert_eq!(
            c.origins[0].pointer,
            "/Properties/environment/0/variables/TABLE"
        );
    }

    #[test]
    fn duplicates_and_stray_arguments_are_errors() {
        let files: BTreeMap<String, String> = [(
            "main.tf".to_string(),
            "resource \"aws_sqs_queue\" \"q\" {}\n\nresource \"aws_sqs_queue\" \"q\" {}\n"
                .to_string(),
        )]
        .into();
        let e = read(&files, "x").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("main.tf", 3));
        let files: BTreeMap<String, String> = [("a.tf".to_string(), "x = 1\n".to_string())].into();
        assert!(read(&files, "x").is_err());
    }
}
