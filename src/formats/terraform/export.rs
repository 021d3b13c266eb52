//! Sketch to Terraform. A sketch read from a folder is written back over
//! that folder's text: what is unchanged keeps its bytes, a changed block is
//! rewritten in place (its untouched parts kept), a deleted one goes, new
//! ones are added at the end of the file their module writes to. A sketch
//! from SAM is translated first. New services come out as an idiomatic
//! skeleton: provider and variables, roles with least-privilege statements,
//! event source mappings, permissions, notifications and outputs.

use crate::catalog::Kind;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::structure::{Block, Structure};
use serde_json::json;

use super::derive::scope_of;
use super::import::{self, Index};
use super::skeleton::{self, Item, Work, full_body};
use super::splice;
use super::syntax;
use super::text;
use crate::formats::Output;
use crate::formats::translate;
use crate::model::Dialect;
use crate::model::{Map, Sketch, Value};

struct Base {
    sketch: Sketch,
    index: Index,
    files: BTreeMap<String, String>,
}

pub fn export(sketch: &Sketch) -> Output {
    let mut warnings = Vec::new();
    let translated;
    let sketch = if translate::needs_terraform(sketch) {
        translated = translate::to_terraform(sketch, &mut warnings);
        &translated
    } else {
        sketch
    };
    let base = sketch
        .source
        .as_ref()
        .filter(|s| s.dialect == Dialect::Terraform && !s.files.is_empty())
        .and_then(|s| {
            import::read(&s.files, sketch.name.as_deref().unwrap_or("terraform"))
                .ok()
                .map(|(b, index)| Base {
                    sketch: b,
                    index,
                    files: s.files.clone(),
                })
        });
    let in_base = |id: &str| base.as_ref().is_some_and(|b| b.sketch.contains(id));
    let mut work = Work::new(sketch, &in_base);
    work.name_prefix = base
        .as_ref()
        .is_none_or(|b| b.sketch.sections.contains_key("variable.name_prefix"));
    for s in sketch.services() {
        if Dialect::of_type(&s.type_name) == Some(Dialect::Sam) {
            work.warnings.push(format!(
                "{} ({}) is a CloudFormation type; it is written as {}",
                s.id,
                s.type_name,
                s.kind.entry().tf_types.first().unwrap_or(&"nothing")
            ));
        }
    }
    // Policies the files on disk give statements to (an edit may empty them).
    let had_statements: HashSet<String> = base
        .iter()
        .flat_map(|b| b.sketch.services())
        .filter(|s| policy_statements(&s.type_name, &s.properties).is_some_and(|n| n > 0))
        .map(|s| s.id.clone())
        .collect();
    // Module calls whose `policy_statements` the files fill.
    let had_module_statements: HashSet<String> = base
        .iter()
        .flat_map(|b| b.sketch.services())
        .filter(|s| {
            s.properties
                .get("policy_statements")
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty())
        })
        .map(|s| s.id.clone())
        .collect();
    skeleton::complete_new(&mut work);
    skeleton::materialize(&mut work, sketch);
    drop_empty_policies(&mut work, &had_statements);
    for i in work.items.iter_mut() {
        if !had_module_statements.contains(&i.id) {
            continue;
        }
        let emptied = i
            .body
            .get("policy_statements")
            .is_none_or(|v| v.as_object().is_some_and(Map::is_empty));
        if emptied {
            // The last statement went with its arrow: nothing to attach.
            i.body.shift_remove("policy_statements");
            i.body.shift_remove("attach_policy_statements");
        }
    }
    let files = match &base {
        Some(b) => write_over(&mut work, b),
        None => write_fresh(&mut work, sketch),
    };
    warnings.append(&mut work.warnings);
    Output {
        files,
        warnings,
        unwritten: std::mem::take(&mut work.unwritten),
    }
}

/// How many statements a policy resource's `jsonencode` document holds;
/// `None` for anything else (another type, a policy written as a heredoc or
/// a data source, a document without a `Statement` list).
fn policy_statements(type_name: &str, body: &Map) -> Option<usize> {
    if !matches!(
        type_name,
        "aws_iam_role_policy"
            | "aws_sqs_queue_policy"
            | "aws_sns_topic_policy"
            | "aws_s3_bucket_policy"
    ) {
        return None;
    }
    let doc = body.get("policy")?.get(super::JSONENCODE)?;
    match doc.get("Statement")? {
        Value::Array(a) => Some(a.len()),
        _ => Some(1),
    }
}

/// A resource policy or role policy left with no statements by an edit
/// (its last connection was removed) goes: AWS refuses an empty policy, and
/// nothing refers to these resources. A policy that had none to begin with
/// is the user's and stays as it was written.
fn drop_empty_policies(w: &mut Work, had_statements: &HashSet<String>) {
    let mut gone = Vec::new();
    w.items.retain(|i| {
        let empty = had_statements.contains(&i.id)
            && policy_statements(&i.type_name, &i.body).is_none_or(|n| n == 0);
        if empty {
            gone.push(i.id.clone());
        }
        !empty
    });
    for id in gone {
        w.warnings
            .push(format!("{id} was left with no statements and is removed"));
    }
}

/// The block header of an address: `resource "T" "N"`, `data "T" "N"`,
/// `module "N"`.
fn header(id: &str, type_name: &str) -> (String, Vec<String>) {
    let l = &id[scope_of(id).len()..];
    if let Some(rest) = l.strip_prefix("data.") {
        let (t, n) = rest.split_once('.').unwrap_or((type_name, rest));
        return ("data".into(), vec![t.into(), n.into()]);
    }
    if let Some(n) = l.strip_prefix("module.") {
        return ("module".into(), vec![n.into()]);
    }
    let (t, n) = l.split_once('.').unwrap_or((type_name, l));
    ("resource".into(), vec![t.into(), n.into()])
}

/// The header of a section key (`variable.region`, `provider.aws#2`).
fn section_header(key: &str) -> (String, Vec<String>) {
    let l = &key[scope_of(key).len()..];
    let l = l.split('#').next().unwrap_or(l);
    let mut parts = l.split('.');
    let ident = parts.next().unwrap_or("locals").to_string();
    (ident, parts.map(str::to_string).collect())
}

fn item_text(item: &Item) -> String {
    let (ident, labels) = header(&item.id, &item.type_name);
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    text::align(&text::block_text(&ident, &labels, &item.body, 0))
}

fn section_text(key: &str, v: &Value) -> String {
    let (ident, labels) = section_header(key);
    if ident == "local" {
        let mut m = Map::new();
        m.insert(labels.join("."), v.clone());
        return text::align(&text::block_text("locals", &[], &m, 0));
    }
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let body = v.as_object().cloned().unwrap_or_default();
    text::align(&text::block_text(&ident, &labels, &body, 0))
}

struct Files {
    texts: BTreeMap<String, String>,
    originals: BTreeMap<String, String>,
    edits: HashMap<String, Vec<(Range<usize>, String)>>,
    appends: BTreeMap<String, Vec<String>>,
}

impl Files {
    fn edit(&mut self, file: &str, r: Range<usize>, s: String) {
        self.edits.entry(file.to_string()).or_default().push((r, s));
    }
    fn append(&mut self, file: &str, s: String) {
        self.appends.entry(file.to_string()).or_default().push(s);
    }
    fn finish(mut self, warnings: &mut Vec<String>) -> BTreeMap<String, String> {
        for (file, mut edits) in std::mem::take(&mut self.edits) {
            let Some(t) = self.texts.get_mut(&file) else {
                continue;
            };
            edits.sort_by(|a, b| b.0.start.cmp(&a.0.start).then(b.0.end.cmp(&a.0.end)));
            let mut last = usize::MAX;
            for (r, s) in edits {
                if r.end > last {
                    warnings.push(format!(
                        "{file}: two changes overlap near byte {}; one was left out",
                        r.start
                    ));
                    continue;
                }
                last = r.start;
                t.replace_range(r, &s);
            }
            // A block removed at the end leaves the blank line before it.
            let was = self.originals.get(&file).map(String::as_str).unwrap_or("");
            if !was.ends_with("\n\n") {
                while t.ends_with("\n\n") {
                    t.pop();
                }
            }
        }
        for (file, blocks) in std::mem::take(&mut self.appends) {
            let t = self.texts.entry(file).or_default();
            for b in blocks {
                if !t.is_empty() {
                    if !t.ends_with('\n') {
                        t.push('\n');
                    }
                    if !t.ends_with("\n\n") {
                        t.push('\n');
                    }
                }
                t.push_str(&b);
            }
        }
        self.texts
    }
}

/// Finds the top-level block or `locals` attribute at a span.
fn block_at<'b>(body: &'b hcl::edit::structure::Body, span: &Range<usize>) -> Option<&'b Block> {
    body.iter()
        .filter_map(Structure::as_block)
        .find(|b| b.span().as_ref() == Some(span))
}

fn write_over(w: &mut Work, b: &Base) -> BTreeMap<String, String> {
    let mut f = Files {
        texts: b.files.clone(),
        originals: b.files.clone(),
        edits: HashMap::new(),
        appends: BTreeMap::new(),
    };
    let parsed: HashMap<&str, syntax::Parsed> = b
        .files
        .iter()
        .filter_map(|(p, t)| syntax::parse(p, t).ok().map(|x| (p.as_str(), x)))
        .collect();
    let base_body: HashMap<&str, Map> = b
        .sketch
        .services()
        .map(|s| (s.id.as_str(), full_body(s)))
        .collect();
    let base_type: HashMap<&str, &str> = b
        .sketch
        .services()
        .map(|s| (s.id.as_str(), s.type_name.as_str()))
        .collect();
    let present: HashSet<&str> = w.items.iter().map(|i| i.id.as_str()).collect();

    // Renamed services keep their place: a removed block and a new one of
    // the same type in the same module, with the same body (or the only
    // such pair), are one block under a new name.
    let removed: Vec<&str> = base_body
        .keys()
        .copied()
        .filter(|id| !present.contains(id))
        .collect();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut used: HashSet<&str> = HashSet::new();
    for it in w.items.iter().filter(|i| i.new) {
        let same: Vec<&str> = removed
            .iter()
            .copied()
            .filter(|r| {
                !used.contains(r)
                    && base_type.get(r) == Some(&it.type_name.as_str())
                    && scope_of(r) == scope_of(&it.id)
                    && super::derive::is_data(r) == super::derive::is_data(&it.id)
            })
            .collect();
        let pick = same
            .iter()
            .copied()
            .find(|r| base_body[r] == it.body)
            .or_else(|| (same.len() == 1).then(|| same[0]));
        if let Some(r) = pick {
            used.insert(r);
            renamed.insert(it.id.clone(), r.to_string());
        }
    }
    let mut shared_warned: HashSet<String> = HashSet::new();
    let mut written: HashSet<(String, usize)> = HashSet::new();
    for it in &w.items {
        let old_id = renamed.get(&it.id).map(String::as_str).unwrap_or(&it.id);
        let Some(place) = b
            .index
            .places
            .get(old_id)
            .filter(|_| !it.new || renamed.contains_key(&it.id))
        else {
            let file = target_file(&b.index, &b.files, &it.id, "main.tf");
            f.append(&file, item_text(it));
            continue;
        };
        let old = &base_body[old_id];
        let relabel = old_id != it.id;
        if *old == it.body && !relabel {
            continue;
        }
        if !written.insert((place.file.clone(), place.span.start)) {
            if shared_warned.insert(place.file.clone()) {
                w.warnings.push(format!(
                    "{}: this module is used by more than one module call; only the first call's changes are written",
                    place.file
                ));
            }
            continue;
        }
        let Some(p) = parsed.get(place.file.as_str()) else {
            continue;
        };
        let t = &b.files[&place.file];
        let Some(blk) = block_at(&p.body, &place.span) else {
            continue;
        };
        let mut new_text = splice::block(t, blk, old, &it.body)
            .unwrap_or_else(|| item_text(it).trim_end_matches('\n').to_string());
        if relabel {
            // Swap the name label inside the block text.
            if let Some(l) = blk.labels.last().and_then(|l| l.span()) {
                let (_, labels) = header(&it.id, &it.type_name);
                if let Some(name) = labels.last() {
                    let rel = (l.start - place.span.start)..(l.end - place.span.start);
                    if new_text.get(rel.clone()).is_some() && t[l.clone()] == new_text[rel.clone()]
                    {
                        new_text.replace_range(rel, &text::quote(name));
                    } else {
                        new_text = item_text(it).trim_end_matches('\n').to_string();
                    }
                }
            }
        }
        f.edit(&place.file, place.span.clone(), new_text);
    }
    for id in &removed {
        if used.contains(id) {
            continue;
        }
        if let Some(place) = b.index.places.get(*id) {
            if written.insert((place.file.clone(), place.span.start)) {
                let t = &b.files[&place.file];
                f.edit(
                    &place.file,
                    splice::block_removal(t, &place.span),
                    String::new(),
                );
            }
        }
    }
    // Sections: variables, outputs, locals, providers, module calls.
    let mut locals_added: BTreeMap<String, Map> = BTreeMap::new();
    for (key, v) in &w.sections {
        match b.sketch.sections.get(key) {
            Some(old) if old == v => {}
            Some(old) => {
                let Some(place) = b.index.places.get(key) else {
                    continue;
                };
                let Some(p) = parsed.get(place.file.as_str()) else {
                    continue;
                };
                let t = &b.files[&place.file];
                let (ident, _) = section_header(key);
                if ident == "local" {
                    let attr = p
                        .body
                        .iter()
                        .filter_map(Structure::as_block)
                        .find_map(|blk| {
                            blk.body
                                .iter()
                                .filter_map(Structure::as_attribute)
                                .find(|a| a.span().as_ref() == Some(&place.span))
                        });
                    if let Some((r, s)) = attr.and_then(|a| splice::attribute_value(t, &a.value, v))
                    {
                        f.edit(&place.file, r, s);
                    }
                    continue;
                }
                let Some(blk) = block_at(&p.body, &place.span) else {
                    continue;
                };
                let (Some(o), Some(n)) = (old.as_object(), v.as_object()) else {
                    continue;
                };
                let s = splice::block(t, blk, o, n)
                    .unwrap_or_else(|| section_text(key, v).trim_end_matches('\n').to_string());
                f.edit(&place.file, place.span.clone(), s);
            }
            None => {
                let (ident, labels) = section_header(key);
                let default = match ident.as_str() {
                    "variable" => "variables.tf",
                    "output" => "outputs.tf",
                    _ => "main.tf",
                };
                let file = section_file(b, key, &ident, default);
                if ident == "local" {
                    locals_added
                        .entry(file)
                        .or_default()
                        .insert(labels.join("."), v.clone());
                } else {
                    f.append(&file, section_text(key, v));
                }
            }
        }
    }
    for (file, m) in locals_added {
        f.append(&file, text::align(&text::block_text("locals", &[], &m, 0)));
    }
    for key in b.sketch.sections.keys() {
        if w.sections.contains_key(key) {
            continue;
        }
        if let Some(place) = b.index.places.get(key) {
            let t = &b.files[&place.file];
            f.edit(
                &place.file,
                splice::block_removal(t, &place.span),
                String::new(),
            );
        }
    }
    f.finish(&mut w.warnings)
}

/// The file a new item of module `id` goes to.
fn target_file(index: &Index, files: &BTreeMap<String, String>, id: &str, name: &str) -> String {
    let dir = index.dirs.get(scope_of(id)).cloned().unwrap_or_default();
    let join = |n: &str| {
        if dir.is_empty() {
            n.to_string()
        } else {
            format!("{dir}/{n}")
        }
    };
    let preferred = join(name);
    if files.contains_key(&preferred) {
        return preferred;
    }
    files
        .keys()
        .find(|p| import::dir_of(p) == dir)
        .cloned()
        .unwrap_or(preferred)
}

/// The file for a new section: where others of its kind live, else `default`.
fn section_file(b: &Base, key: &str, ident: &str, default: &str) -> String {
    let scope = scope_of(key);
    let prefix = format!("{scope}{ident}.");
    let found = b
        .index
        .places
        .iter()
        .find(|(k, _)| k.starts_with(&prefix) && scope_of(k) == scope)
        .map(|(_, p)| p.file.clone());
    found.unwrap_or_else(|| {
        target_file(
            &b.index,
            &b.files,
            key,
            if ident == "local" { "main.tf" } else { default },
        )
    })
}

/// A folder written from nothing: `main.tf` with the providers and every
/// resource, `variables.tf` and `outputs.tf`.
fn write_fresh(w: &mut Work, sketch: &Sketch) -> BTreeMap<String, String> {
    let mut main = String::new();
    let mut variables = String::new();
    let mut outputs = String::new();
    let mut locals = Map::new();
    let mut other_sections = String::new();
    let has_provider = w.sections.keys().any(|k| k.starts_with("provider."));
    let has_terraform = w.sections.contains_key("terraform");
    let uses = |prefix: &str| w.items.iter().any(|i| i.type_name.starts_with(prefix));
    if !has_terraform {
        let mut providers = Map::new();
        providers.insert(
            "aws".into(),
            json!({"source": "hashicorp/aws", "version": ">= 5.0"}),
        );
        if uses("archive_") {
            providers.insert(
                "archive".into(),
                json!({"source": "hashicorp/archive", "version": ">= 2.0"}),
            );
        }
        if uses("awscc_") {
            providers.insert(
                "awscc".into(),
                json!({"source": "hashicorp/awscc", "version": ">= 1.0"}),
            );
        }
        if uses("random_") {
            providers.insert(
                "random".into(),
                json!({"source": "hashicorp/random", "version": ">= 3.0"}),
            );
        }
        let mut tf = Map::new();
        tf.insert("required_version".into(), json!(">= 1.5"));
        tf.insert(
            "required_providers".into(),
            json!([Value::Object(providers)]),
        );
        main.push_str(&text::align(&text::block_text("terraform", &[], &tf, 0)));
    }
    let prefixed = w
        .items
        .iter()
        .any(|i| serde_json::to_string(&i.body).is_ok_and(|b| b.contains("${var.name_prefix}")));
    if !has_provider {
        let mut p = Map::new();
        p.insert("region".into(), text::expr("var.region"));
        if prefixed {
            // Every resource says which stack made it.
            let mut tags = Map::new();
            tags.insert("Project".into(), text::expr("var.name_prefix"));
            tags.insert("ManagedBy".into(), json!("terraform"));
            p.insert(
                "default_tags".into(),
                json!([{"tags": Value::Object(tags)}]),
            );
        }
        main.push('\n');
        main.push_str(&text::align(&text::block_text("provider", &["aws"], &p, 0)));
        if uses("awscc_") {
            main.push('\n');
            main.push_str(&text::align(&text::block_text(
                "provider",
                &["awscc"],
                &p,
                0,
            )));
        }
        if !w.sections.contains_key("variable.region") {
            let mut v = Map::new();
            v.insert("description".into(), json!("AWS region to deploy to"));
            v.insert("type".into(), text::expr("string"));
            v.insert("default".into(), json!("us-east-1"));
            variables.push_str(&text::align(&text::block_text(
                "variable",
                &["region"],
                &v,
                0,
            )));
        }
    }
    if prefixed && !w.sections.contains_key("variable.name_prefix") {
        let default: String = sketch
            .name
            .as_deref()
            .map(|n| {
                n.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .take(24)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty() && n.chars().any(|c| c.is_ascii_alphabetic()))
            .unwrap_or_else(|| "app".to_string());
        let mut v = Map::new();
        v.insert(
            "description".into(),
            json!("Start of every name this folder gives AWS resources; one per environment (shop-dev, shop-prod)"),
        );
        v.insert("type".into(), text::expr("string"));
        v.insert("default".into(), json!(default));
        v.insert(
            "validation".into(),
            json!([{
                "condition": text::expr("can(regex(\"^[a-z][a-z0-9-]{0,23}$\", var.name_prefix))"),
                "error_message": "Use up to 24 lowercase letters, digits and hyphens, starting with a letter.",
            }]),
        );
        if !variables.is_empty() {
            variables.push('\n');
        }
        variables.push_str(&text::align(&text::block_text(
            "variable",
            &["name_prefix"],
            &v,
            0,
        )));
    }
    for (key, v) in &w.sections {
        let (ident, labels) = section_header(key);
        match ident.as_str() {
            "local" => {
                locals.insert(labels.join("."), v.clone());
            }
            "variable" => {
                if !variables.is_empty() {
                    variables.push('\n');
                }
                variables.push_str(&section_text(key, v));
            }
            "output" => {
                if !outputs.is_empty() {
                    outputs.push('\n');
                }
                outputs.push_str(&section_text(key, v));
            }
            "provider" | "terraform" | "module" | "moved" | "import" | "check" | "removed" => {
                other_sections.push('\n');
                other_sections.push_str(&section_text(key, v));
            }
            _ => w.warnings.push(format!(
                "the section `{key}` is not Terraform; it is kept in the sketch only"
            )),
        }
    }
    main.push_str(&other_sections);
    if !locals.is_empty() {
        main.push('\n');
        main.push_str(&text::align(&text::block_text("locals", &[], &locals, 0)));
    }
    for it in &w.items {
        if !main.is_empty() {
            main.push('\n');
        }
        main.push_str(&item_text(it));
    }
    // Outputs for what the sketch drew, unless it brought its own.
    if !w.sections.keys().any(|k| k.starts_with("output.")) {
        for s in sketch.services() {
            if let Some((name, value)) = output_for(w, &s.id) {
                if !outputs.is_empty() {
                    outputs.push('\n');
                }
                let mut m = Map::new();
                m.insert("value".into(), value);
                outputs.push_str(&text::align(&text::block_text("output", &[&name], &m, 0)));
            }
        }
    }
    let mut files = BTreeMap::new();
    files.insert("main.tf".to_string(), main);
    if !variables.is_empty() {
        files.insert("variables.tf".to_string(), variables);
    }
    if !outputs.is_empty() {
        files.insert("outputs.tf".to_string(), outputs);
    }
    files
}

/// An output naming a service the way its users need it.
fn output_for(w: &Work, id: &str) -> Option<(String, Value)> {
    let it = w.get(id)?;
    if super::derive::is_data(id) || !scope_of(id).is_empty() {
        return None;
    }
    let l = id;
    let name = l.rsplit('.').next()?.to_string();
    let (suffix, attr) = match it.kind {
        Kind::Function
        | Kind::Topic
        | Kind::StateMachine
        | Kind::Stream
        | Kind::Secret
        | Kind::Key => ("arn", format!("{l}.arn")),
        Kind::Queue => ("url", format!("{l}.url")),
        Kind::Bucket => ("name", format!("{l}.bucket")),
        Kind::Table | Kind::EventBus => ("name", format!("{l}.name")),
        Kind::HttpApi | Kind::WebSocket => ("endpoint", format!("{l}.api_endpoint")),
        Kind::Api => {
            let stage = w
                .items
                .iter()
                .find(|i| {
                    i.type_name == "aws_api_gateway_stage"
                        && i.body
                            .get("rest_api_id")
                            .and_then(Value::as_str)
                            .is_some_and(|s| s.contains(&format!("{l}.id")))
                })?
                .id
                .clone();
            ("url", format!("{stage}.invoke_url"))
        }
        Kind::UserPool => ("id", format!("{l}.id")),
        Kind::Cdn => ("domain", format!("{l}.domain_name")),
        _ => return None,
    };
    Some((format!("{name}_{suffix}"), text::expr(&attr)))
}
