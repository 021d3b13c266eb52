//! The joins between stacks: what one stack produces (an export, an SSM
//! parameter, a bus, a Terraform output) and another consumes (an import,
//! a parameter read, a rule or a publisher on the bus, a remote state),
//! matched by name, each becoming typed arrows between the services that
//! produce and consume.

use std::collections::BTreeSet;

use super::names::{Pattern, telling_words, words};
use super::{Repo, Stack, repo_id};
use crate::catalog::Kind;
use crate::model::{ConnectionKind, Dialect, Join, JoinKind, Sketch, Value};

/// Something a stack offers to others under a name.
#[derive(Debug)]
struct Producer {
    stack: usize,
    kind: JoinKind,
    name: Pattern,
    /// The services that hold what is offered (the user pool behind a
    /// parameter holding its ARN).
    services: Vec<String>,
    /// The resource that offers it (the SSM parameter), if one does.
    carrier: Option<String>,
}

/// Something a stack takes from others by name.
#[derive(Debug)]
struct Consumer {
    stack: usize,
    kind: JoinKind,
    /// `None` for an SSM-typed parameter with no name anywhere: then its
    /// own name's words are matched against the names others write.
    name: Option<Pattern>,
    /// The parameter's name, when `name` is to be guessed from it.
    param: String,
    /// The services that use it, and whether they use it to authorize.
    users: Vec<(String, bool)>,
    /// `FILE:LINE` of where it is taken.
    at: String,
    /// The resource that takes it (a data source), if one does.
    carrier: Option<String>,
    /// The users that take it as an event source (`Events:` of a function).
    triggered: Vec<String>,
    /// A value that may well come from outside the repository (an ARN
    /// given as a parameter): no external box when no stack has it.
    optional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum BusRole {
    Owner,
    Publisher,
    Rule,
}

#[derive(Debug)]
struct BusUse {
    stack: usize,
    name: Pattern,
    service: String,
    role: BusRole,
    at: String,
}

#[derive(Default)]
struct Facts {
    producers: Vec<Producer>,
    consumers: Vec<Consumer>,
    buses: Vec<BusUse>,
}

/// Every join between the repository's stacks, and those that resolve in none.
pub fn find(repo: &Repo) -> Vec<Join> {
    let mut f = Facts::default();
    for (i, st) in repo.stacks.iter().enumerate() {
        if st.dialect == Dialect::Terraform {
            terraform_facts(repo, i, st, &mut f);
        } else {
            sam_facts(repo, i, st, &mut f);
        }
    }
    let mut joins = Vec::new();
    match_consumers(repo, &f, &mut joins);
    match_buses(repo, &f, &mut joins);
    remote_state(repo, &mut joins);
    nested(repo, &mut joins);
    joins.sort_by(|a, b| (&a.from, &a.to, a.kind, &a.via).cmp(&(&b.from, &b.to, b.kind, &b.via)));
    joins.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind && a.via == b.via);
    joins
}

/// One-based line of the first line holding `needle`, as `FILE:LINE`.
fn at(repo: &Repo, st: &Stack, needle: &str) -> String {
    for (name, text) in &st.files {
        if let Some(i) = text.lines().position(|l| l.contains(needle)) {
            let rel = if st.dialect == Dialect::Terraform {
                if st.dir.is_empty() {
                    name.clone()
                } else {
                    format!("{}/{name}", st.dir)
                }
            } else {
                st.file.clone()
            };
            return format!("{}:{}", repo.root.join(rel).display(), i + 1);
        }
    }
    let first = if st.dialect == Dialect::Terraform {
        st.files.keys().next().cloned().unwrap_or_default()
    } else {
        st.file.clone()
    };
    let rel = if st.dialect == Dialect::Terraform && !st.dir.is_empty() {
        format!("{}/{first}", st.dir)
    } else {
        first
    };
    format!("{}:1", repo.root.join(rel).display())
}

// ---- SAM / CloudFormation ----

/// Properties that give a resource its physical name, by which an ARN or
/// URL passed to another stack names it.
const PHYSICAL_NAMES_CFN: &[&str] = &[
    "QueueName",
    "TopicName",
    "FunctionName",
    "TableName",
    "BucketName",
    "StateMachineName",
    "StreamName",
    "DeliveryStreamName",
];
const PHYSICAL_NAMES_TF: &[&str] = &["function_name", "bucket"];

/// The resource name an ARN or URL ends in (`orders` for
/// `arn:aws:sqs:us-east-1:123456789012:orders` or
/// `https://sqs.us-east-1.amazonaws.com/123456789012/orders`).
fn named_in(value: &str) -> Option<String> {
    let v = value.trim();
    let tail = if v.starts_with("arn:aws") {
        let parts: Vec<&str> = v.splitn(6, ':').collect();
        let service = parts.get(2).copied().unwrap_or("");
        if !matches!(
            service,
            "sqs" | "sns" | "lambda" | "dynamodb" | "s3" | "states" | "kinesis" | "firehose"
        ) {
            return None;
        }
        let rest = parts.get(5).copied().unwrap_or("");
        let rest = rest.strip_prefix("function:").unwrap_or(rest);
        let rest = rest.strip_prefix("stateMachine:").unwrap_or(rest);
        let rest = rest.strip_prefix("table/").unwrap_or(rest);
        let rest = rest.strip_prefix("stream/").unwrap_or(rest);
        let rest = rest.strip_prefix("deliverystream/").unwrap_or(rest);
        rest.split([':', '/']).next().unwrap_or("")
    } else if v.starts_with("https://sqs.") {
        v.trim_end_matches('/').rsplit('/').next().unwrap_or("")
    } else {
        return None;
    };
    (tail.chars().filter(|c| c.is_alphanumeric()).count() >= 3).then(|| tail.to_string())
}

/// A template parameter's value: what the deploy configuration gives it,
/// else its default.
fn param_value(repo: &Repo, st: &Stack, name: &str) -> Option<String> {
    if let Some(v) = repo.config.parameter(&st.dir, name) {
        return Some(v.to_string());
    }
    let p = st.sketch.sections.get("Parameters")?.get(name)?;
    match p.get("Default")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_param(st: &Stack, name: &str) -> bool {
    st.sketch
        .sections
        .get("Parameters")
        .and_then(|p| p.get(name))
        .is_some()
}

fn is_ssm_param(st: &Stack, name: &str) -> bool {
    st.sketch
        .sections
        .get("Parameters")
        .and_then(|p| p.get(name))
        .and_then(|p| p.get("Type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("AWS::SSM::Parameter::Value"))
}

/// The name a CloudFormation value spells, placeholders as wildcards.
fn cfn_pattern(repo: &Repo, st: &Stack, v: &Value) -> Pattern {
    let mut parts = Vec::new();
    cfn_parts(repo, st, v, &mut parts, 0);
    Pattern::from_parts(&parts)
}

fn cfn_parts(repo: &Repo, st: &Stack, v: &Value, out: &mut Vec<Option<String>>, depth: usize) {
    if depth > 8 {
        out.push(None);
        return;
    }
    match v {
        Value::String(s) => out.push(Some(s.clone())),
        Value::Number(n) => out.push(Some(n.to_string())),
        Value::Object(m) if m.len() == 1 => {
            let (k, a) = m.iter().next().expect("one entry");
            match k.as_str() {
                "Ref" => match a.as_str() {
                    Some(p) if is_param(st, p) && !is_ssm_param(st, p) => {
                        out.push(param_value(repo, st, p))
                    }
                    _ => out.push(None),
                },
                "Fn::Sub" => {
                    let (text, vars) = match a {
                        Value::String(s) => (s.as_str(), None),
                        Value::Array(x) if !x.is_empty() => (
                            x[0].as_str().unwrap_or(""),
                            x.get(1).and_then(Value::as_object),
                        ),
                        _ => ("", None),
                    };
                    sub_parts(repo, st, text, vars, out, depth);
                }
                "Fn::Join" => {
                    let Some(x) = a.as_array() else {
                        out.push(None);
                        return;
                    };
                    let sep = x.first().and_then(Value::as_str).unwrap_or("");
                    if let Some(items) = x.get(1).and_then(Value::as_array) {
                        for (i, it) in items.iter().enumerate() {
                            if i > 0 {
                                out.push(Some(sep.to_string()));
                            }
                            cfn_parts(repo, st, it, out, depth + 1);
                        }
                    } else {
                        out.push(None);
                    }
                }
                _ => out.push(None),
            }
        }
        _ => out.push(None),
    }
}

fn sub_parts(
    repo: &Repo,
    st: &Stack,
    text: &str,
    vars: Option<&crate::model::Map>,
    out: &mut Vec<Option<String>>,
    depth: usize,
) {
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        if rest[i + 2..].starts_with('!') {
            out.push(Some(rest[..i + 3].to_string()));
            rest = &rest[i + 3..];
            continue;
        }
        out.push(Some(rest[..i].to_string()));
        let Some(j) = rest[i..].find('}') else {
            rest = "";
            break;
        };
        let var = &rest[i + 2..i + j];
        if let Some(v) = vars.and_then(|m| m.get(var)) {
            cfn_parts(repo, st, v, out, depth + 1);
        } else if is_param(st, var) && !is_ssm_param(st, var) {
            out.push(param_value(repo, st, var));
        } else {
            out.push(None);
        }
        rest = &rest[i + j + 1..];
    }
    out.push(Some(rest.to_string()));
}

/// The resources of the stack a value refers to (`Ref`, `GetAtt`, `${X}`).
fn cfn_referents(sketch: &Sketch, v: &Value, out: &mut Vec<String>) {
    fn add(sketch: &Sketch, out: &mut Vec<String>, id: &str) {
        let id = id.split('.').next().unwrap_or(id);
        if sketch.contains(id) && !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    match v {
        Value::Object(m) => {
            for (k, a) in m {
                match (k.as_str(), a) {
                    ("Ref", Value::String(s)) => add(sketch, out, s),
                    ("Fn::GetAtt", Value::Array(x)) => {
                        if let Some(s) = x.first().and_then(Value::as_str) {
                            add(sketch, out, s)
                        }
                    }
                    ("Fn::GetAtt", Value::String(s)) => add(sketch, out, s),
                    ("Fn::Sub", _) => {
                        let text = match a {
                            Value::String(s) => s.as_str(),
                            Value::Array(x) => x.first().and_then(Value::as_str).unwrap_or(""),
                            _ => "",
                        };
                        for var in placeholders(text) {
                            add(sketch, out, var);
                        }
                        if let Value::Array(x) = a {
                            for it in x.iter().skip(1) {
                                cfn_referents(sketch, it, out);
                            }
                        }
                    }
                    _ => cfn_referents(sketch, a, out),
                }
            }
        }
        Value::Array(x) => {
            for it in x {
                cfn_referents(sketch, it, out);
            }
        }
        _ => {}
    }
}

fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let Some(j) = rest[i..].find('}') else { break };
        let v = &rest[i + 2..i + j];
        if !v.starts_with('!') {
            out.push(v);
        }
        rest = &rest[i + j + 1..];
    }
    out
}

/// Whether a value uses parameter `p` (`Ref p` or `${p}`).
fn uses_param(v: &Value, p: &str) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, a)| match (k.as_str(), a) {
            ("Ref", Value::String(s)) => s == p,
            ("Fn::Sub", Value::String(s)) => placeholders(s).contains(&p),
            ("Fn::Sub", Value::Array(x)) => {
                x.first()
                    .and_then(Value::as_str)
                    .is_some_and(|s| placeholders(s).contains(&p))
                    || x.iter().skip(1).any(|i| uses_param(i, p))
            }
            _ => uses_param(a, p),
        }),
        Value::Array(x) => x.iter().any(|i| uses_param(i, p)),
        _ => false,
    }
}

/// Where in a value parameter `p` is used, as paths of keys.
fn param_paths(v: &Value, p: &str, path: &mut Vec<String>, out: &mut Vec<String>) {
    if let Value::Object(m) = v {
        if m.len() == 1 && uses_param(v, p) && (m.contains_key("Ref") || m.contains_key("Fn::Sub"))
        {
            out.push(path.join("/"));
            return;
        }
        for (k, a) in m {
            path.push(k.clone());
            param_paths(a, p, path, out);
            path.pop();
        }
    } else if let Value::Array(x) = v {
        for (i, a) in x.iter().enumerate() {
            path.push(i.to_string());
            param_paths(a, p, path, out);
            path.pop();
        }
    }
}

fn is_auth_path(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l.contains("auth")
}

/// The services using parameter `p`, and whether to authorize; Globals
/// that use it count for every function.
/// The services whose events take parameter `p` as their source.
fn event_users(st: &Stack, p: &str) -> Vec<String> {
    st.sketch
        .services()
        .filter(|s| s.properties.get("Events").is_some_and(|e| uses_param(e, p)))
        .map(|s| s.id.clone())
        .collect()
}

fn param_users(st: &Stack, p: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for s in st.sketch.services() {
        let mut paths = Vec::new();
        param_paths(
            &Value::Object(s.properties.clone()),
            p,
            &mut Vec::new(),
            &mut paths,
        );
        if !paths.is_empty() {
            out.push((s.id.clone(), paths.iter().any(|x| is_auth_path(x))));
        }
    }
    if let Some(g) = st
        .sketch
        .sections
        .get("Globals")
        .and_then(|g| g.get("Function"))
        && uses_param(g, p)
    {
        for s in st.sketch.services() {
            if s.kind == Kind::Function && !out.iter().any(|(i, _)| *i == s.id) {
                out.push((s.id.clone(), false));
            }
        }
    }
    if let Some(g) = st.sketch.sections.get("Globals").and_then(|g| g.get("Api"))
        && uses_param(g, p)
    {
        for s in st.sketch.services() {
            if s.kind == Kind::Api && !out.iter().any(|(i, _)| *i == s.id) {
                out.push((s.id.clone(), true));
            }
        }
    }
    out
}

/// Every `Fn::ImportValue` in a value, with the path it sits at.
fn imports<'a>(v: &'a Value, path: &mut Vec<String>, out: &mut Vec<(&'a Value, String)>) {
    match v {
        Value::Object(m) => {
            for (k, a) in m {
                if k == "Fn::ImportValue" {
                    out.push((a, path.join("/")));
                    continue;
                }
                path.push(k.clone());
                imports(a, path, out);
                path.pop();
            }
        }
        Value::Array(x) => {
            for (i, a) in x.iter().enumerate() {
                path.push(i.to_string());
                imports(a, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every `{{resolve:ssm:NAME}}` in a value's strings.
fn resolves(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(i) = rest.find("{{resolve:ssm") {
                let after = &rest[i + 2..];
                let Some(j) = after.find("}}") else { break };
                let inner = &after[..j];
                let mut parts = inner.splitn(3, ':');
                let _ = parts.next();
                let _ = parts.next();
                if let Some(name) = parts.next() {
                    // A trailing `:VERSION` is not part of the name.
                    let name = match name.rsplit_once(':') {
                        Some((n, v)) if v.chars().all(|c| c.is_ascii_digit()) => n,
                        _ => name,
                    };
                    out.push(name.to_string());
                }
                rest = &after[j + 2..];
            }
        }
        Value::Object(m) => m.values().for_each(|a| resolves(a, out)),
        Value::Array(x) => x.iter().for_each(|a| resolves(a, out)),
        _ => {}
    }
}

/// Bus names a publisher's properties name after `events:PutEvents`.
fn published_buses(repo: &Repo, st: &Stack, v: &Value, out: &mut Vec<Pattern>) {
    let text = v.to_string();
    if !(text.contains("events:PutEvents") || text.contains("EventBridgePutEventsPolicy")) {
        return;
    }
    collect_bus_names(repo, st, v, out);
}

fn collect_bus_names(repo: &Repo, st: &Stack, v: &Value, out: &mut Vec<Pattern>) {
    match v {
        Value::Object(m) => {
            for (k, a) in m {
                if k == "EventBusName" || k == "event_bus_name" {
                    if a.get("Ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| st.sketch.contains(r))
                    {
                        continue;
                    }
                    out.push(if st.dialect == Dialect::Terraform {
                        tf_pattern(repo, st, a)
                    } else {
                        cfn_pattern(repo, st, a)
                    });
                } else {
                    collect_bus_names(repo, st, a, out);
                }
            }
        }
        Value::Array(x) => x.iter().for_each(|a| collect_bus_names(repo, st, a, out)),
        Value::String(s) => {
            if let Some(i) = s.find("event-bus/") {
                let name: String = s[i + 10..]
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ',' | ' ' | ']'))
                    .collect();
                if !name.is_empty() {
                    let p = if name.contains("${") {
                        if st.dialect == Dialect::Terraform {
                            tf_pattern(repo, st, &Value::String(name))
                        } else {
                            let mut parts = Vec::new();
                            sub_parts(repo, st, &name, None, &mut parts, 0);
                            Pattern::from_parts(&parts)
                        }
                    } else {
                        Pattern::literal(&name)
                    };
                    out.push(p);
                }
            }
        }
        _ => {}
    }
}

fn sam_facts(repo: &Repo, i: usize, st: &Stack, f: &mut Facts) {
    let sk = &st.sketch;
    // Exports.
    if let Some(Value::Object(outs)) = sk.sections.get("Outputs") {
        for (_, o) in outs {
            let Some(name) = o.get("Export").and_then(|e| e.get("Name")) else {
                continue;
            };
            let mut services = Vec::new();
            if let Some(v) = o.get("Value") {
                cfn_referents(sk, v, &mut services);
            }
            f.producers.push(Producer {
                carrier: None,
                stack: i,
                kind: JoinKind::Export,
                name: cfn_pattern(repo, st, name),
                services,
            });
        }
    }
    // Parameters read from SSM, and plain ones given an ARN or a URL.
    if let Some(Value::Object(params)) = sk.sections.get("Parameters") {
        for (p, _) in params {
            if !is_ssm_param(st, p) {
                if let Some(name) = param_value(repo, st, p).as_deref().and_then(named_in) {
                    f.consumers.push(Consumer {
                        carrier: None,
                        stack: i,
                        kind: JoinKind::Parameter,
                        name: Some(Pattern::literal(&name)),
                        param: p.clone(),
                        users: param_users(st, p),
                        at: at(repo, st, &format!("{p}:")),
                        optional: true,
                        triggered: event_users(st, p),
                    });
                }
                continue;
            }
            let name = param_value(repo, st, p).map(|v| Pattern::literal(&v));
            f.consumers.push(Consumer {
                carrier: None,
                stack: i,
                kind: JoinKind::Ssm,
                name,
                param: p.clone(),
                users: param_users(st, p),
                at: at(repo, st, &format!("{p}:")),
                optional: false,
                triggered: Vec::new(),
            });
        }
    }
    for s in sk.services() {
        let props = Value::Object(s.properties.clone());
        for key in PHYSICAL_NAMES_CFN {
            if let Some(n) = s.properties.get(*key) {
                f.producers.push(Producer {
                    carrier: None,
                    stack: i,
                    kind: JoinKind::Parameter,
                    name: cfn_pattern(repo, st, n),
                    services: vec![s.id.clone()],
                });
            }
        }
        match s.type_name.as_str() {
            "AWS::SSM::Parameter" => {
                if let Some(n) = s.properties.get("Name") {
                    let mut services = Vec::new();
                    if let Some(v) = s.properties.get("Value") {
                        cfn_referents(sk, v, &mut services);
                    }
                    if services.is_empty() {
                        services.push(s.id.clone());
                    }
                    f.producers.push(Producer {
                        carrier: Some(s.id.clone()),
                        stack: i,
                        kind: JoinKind::Ssm,
                        name: cfn_pattern(repo, st, n),
                        services,
                    });
                }
            }
            "AWS::Events::EventBus" => {
                if let Some(n) = s.properties.get("Name") {
                    f.buses.push(BusUse {
                        stack: i,
                        name: cfn_pattern(repo, st, n),
                        service: s.id.clone(),
                        role: BusRole::Owner,
                        at: at(repo, st, &format!("{}:", s.id)),
                    });
                }
            }
            "AWS::Events::Rule" => {
                if let Some(n) = s.properties.get("EventBusName")
                    && !n
                        .get("Ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| sk.contains(r))
                    && n.get("Fn::ImportValue").is_none()
                    && !matches!(n.get("Ref").and_then(Value::as_str), Some(r) if is_ssm_param(st, r))
                {
                    let mut targets = Vec::new();
                    if let Some(t) = s.properties.get("Targets") {
                        cfn_referents(sk, t, &mut targets);
                    }
                    targets.retain(|t| !sk.service(t).is_some_and(|x| x.kind.is_glue()));
                    if targets.is_empty() {
                        targets.push(s.id.clone());
                    }
                    for t in targets {
                        f.buses.push(BusUse {
                            stack: i,
                            name: cfn_pattern(repo, st, n),
                            service: t,
                            role: BusRole::Rule,
                            at: at(repo, st, &format!("{}:", s.id)),
                        });
                    }
                }
            }
            _ => {}
        }
        // Function events on a named bus.
        if let Some(Value::Object(events)) = s.properties.get("Events") {
            for (_, e) in events {
                let ty = e.get("Type").and_then(Value::as_str).unwrap_or("");
                if !matches!(ty, "EventBridgeRule" | "CloudWatchEvent") {
                    continue;
                }
                let Some(n) = e.get("Properties").and_then(|p| p.get("EventBusName")) else {
                    continue;
                };
                if n.get("Ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| sk.contains(r) || is_ssm_param(st, r))
                    || n.get("Fn::ImportValue").is_some()
                {
                    continue;
                }
                f.buses.push(BusUse {
                    stack: i,
                    name: cfn_pattern(repo, st, n),
                    service: s.id.clone(),
                    role: BusRole::Rule,
                    at: at(repo, st, "EventBusName"),
                });
            }
        }
        // Publishers.
        if s.kind == Kind::Function || s.kind.is_glue() {
            let mut names = Vec::new();
            published_buses(repo, st, &props, &mut names);
            let owner = if s.kind.is_glue() {
                s.owner.clone()
            } else {
                Some(s.id.clone())
            };
            if let Some(o) = owner {
                for n in names {
                    f.buses.push(BusUse {
                        stack: i,
                        name: n,
                        service: o.clone(),
                        role: BusRole::Publisher,
                        at: at(repo, st, "PutEvents"),
                    });
                }
            }
        }
        // Imports and dynamic references.
        let mut found = Vec::new();
        imports(&props, &mut Vec::new(), &mut found);
        for (v, path) in found {
            let name = cfn_pattern(repo, st, v);
            f.consumers.push(Consumer {
                carrier: None,
                stack: i,
                kind: JoinKind::Export,
                at: at(repo, st, "ImportValue"),
                name: Some(name),
                param: String::new(),
                users: vec![(s.id.clone(), is_auth_path(&path))],
                optional: false,
                triggered: Vec::new(),
            });
        }
        let mut names = Vec::new();
        resolves(&props, &mut names);
        for n in names {
            let name = if n.contains("${") {
                let mut parts = Vec::new();
                sub_parts(repo, st, &n, None, &mut parts, 0);
                Pattern::from_parts(&parts)
            } else {
                Pattern::literal(&n)
            };
            f.consumers.push(Consumer {
                carrier: None,
                stack: i,
                kind: JoinKind::Ssm,
                at: at(repo, st, &n),
                name: Some(name),
                param: String::new(),
                users: vec![(s.id.clone(), false)],
                optional: false,
                triggered: Vec::new(),
            });
        }
    }
}

// ---- Terraform ----

/// A Terraform string's name, `${...}` placeholders as wildcards unless
/// a variable's value is known (tfvars, default) or a local is a literal.
fn tf_pattern(repo: &Repo, st: &Stack, v: &Value) -> Pattern {
    let Some(s) = v.as_str() else {
        return Pattern::from_parts(&[None]);
    };
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        parts.push(Some(rest[..i].to_string()));
        let Some(j) = rest[i..].find('}') else {
            rest = "";
            break;
        };
        let expr = rest[i + 2..i + j].trim();
        parts.push(tf_value(repo, st, expr));
        rest = &rest[i + j + 1..];
    }
    parts.push(Some(rest.to_string()));
    Pattern::from_parts(&parts)
}

fn tf_value(repo: &Repo, st: &Stack, expr: &str) -> Option<String> {
    if let Some(var) = expr.strip_prefix("var.") {
        if let Some(v) = repo.config.variable(&st.dir, var) {
            return Some(v.to_string());
        }
        return st
            .sketch
            .sections
            .get(&format!("variable.{var}"))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str)
            .filter(|d| !d.contains("${"))
            .map(str::to_string);
    }
    if expr.starts_with("local.") {
        return st
            .sketch
            .sections
            .get(expr)
            .and_then(Value::as_str)
            .filter(|d| !d.contains("${"))
            .map(str::to_string);
    }
    None
}

/// The services a Terraform value refers to.
fn tf_referents(sketch: &Sketch, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.contains("${") || s.contains('.') => {
            for chunk in s.split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
                let parts: Vec<&str> = chunk.split('.').collect();
                for n in (2..=parts.len().min(6)).rev() {
                    let cand = parts[..n].join(".");
                    if sketch.contains(&cand) {
                        if !out.contains(&cand) {
                            out.push(cand);
                        }
                        break;
                    }
                }
            }
        }
        Value::Object(m) => m.values().for_each(|a| tf_referents(sketch, a, out)),
        Value::Array(x) => x.iter().for_each(|a| tf_referents(sketch, a, out)),
        _ => {}
    }
}

/// Whether a value mentions a Terraform address (followed by a non-name character).
fn mentions(v: &Value, addr: &str) -> bool {
    match v {
        Value::String(s) => s.match_indices(addr).any(|(i, _)| {
            let after = s[i + addr.len()..].chars().next();
            let before = s[..i].chars().last();
            !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        }),
        Value::Object(m) => m.values().any(|a| mentions(a, addr)),
        Value::Array(x) => x.iter().any(|a| mentions(a, addr)),
        _ => false,
    }
}

fn tf_users(st: &Stack, addr: &str) -> Vec<(String, bool)> {
    st.sketch
        .services()
        .filter(|s| s.id != addr && mentions(&Value::Object(s.properties.clone()), addr))
        .map(|s| {
            let text = Value::Object(s.properties.clone()).to_string();
            let auth = text.contains("authoriz") || text.contains("user_pool");
            (s.id.clone(), auth && s.kind != Kind::Function)
        })
        .collect()
}

fn terraform_facts(repo: &Repo, i: usize, st: &Stack, f: &mut Facts) {
    let sk = &st.sketch;
    // Variables given an ARN or a URL.
    for (key, _) in sk.sections.iter() {
        let Some(var) = key.strip_prefix("variable.") else {
            continue;
        };
        let Some(name) = tf_value(repo, st, &format!("var.{var}"))
            .as_deref()
            .and_then(named_in)
        else {
            continue;
        };
        let users = tf_users(st, &format!("var.{var}"));
        f.consumers.push(Consumer {
            carrier: None,
            stack: i,
            kind: JoinKind::Parameter,
            name: Some(Pattern::literal(&name)),
            param: var.to_string(),
            users,
            at: at(repo, st, &format!("variable \"{var}\"")),
            optional: true,
            triggered: Vec::new(),
        });
    }
    for s in sk.services() {
        if !s.is_data_source() {
            for key in PHYSICAL_NAMES_TF {
                if let Some(n) = s.properties.get(*key) {
                    f.producers.push(Producer {
                        carrier: None,
                        stack: i,
                        kind: JoinKind::Parameter,
                        name: tf_pattern(repo, st, n),
                        services: vec![s.id.clone()],
                    });
                }
            }
        }
        let short = s.id.rsplit('.').next().unwrap_or(&s.id);
        let place = |needle: &str| at(repo, st, needle);
        match s.type_name.as_str() {
            "aws_ssm_parameter" if !s.is_data_source() => {
                if let Some(n) = s.properties.get("name") {
                    let mut services = Vec::new();
                    if let Some(v) = s
                        .properties
                        .get("value")
                        .or(s.properties.get("insecure_value"))
                    {
                        tf_referents(sk, v, &mut services);
                    }
                    services.retain(|x| x != &s.id);
                    if services.is_empty() {
                        services.push(s.id.clone());
                    }
                    f.producers.push(Producer {
                        carrier: Some(s.id.clone()),
                        stack: i,
                        kind: JoinKind::Ssm,
                        name: tf_pattern(repo, st, n),
                        services,
                    });
                }
            }
            "aws_ssm_parameter" => {
                if let Some(n) = s.properties.get("name") {
                    let mut users = tf_users(st, &s.id);
                    if users.is_empty() {
                        users.push((s.id.clone(), false));
                    }
                    f.consumers.push(Consumer {
                        carrier: Some(s.id.clone()),
                        stack: i,
                        kind: JoinKind::Ssm,
                        name: Some(tf_pattern(repo, st, n)),
                        param: short.to_string(),
                        users,
                        at: place(&format!("\"aws_ssm_parameter\" \"{short}\"")),
                        optional: false,
                        triggered: Vec::new(),
                    });
                }
            }
            "aws_cloudwatch_event_bus" if !s.is_data_source() => {
                if let Some(n) = s.properties.get("name") {
                    f.buses.push(BusUse {
                        stack: i,
                        name: tf_pattern(repo, st, n),
                        service: s.id.clone(),
                        role: BusRole::Owner,
                        at: place(&format!("\"{short}\"")),
                    });
                }
            }
            "aws_cloudwatch_event_rule" => {
                if let Some(n) = s.properties.get("event_bus_name") {
                    let mut local = Vec::new();
                    tf_referents(sk, n, &mut local);
                    if !local.is_empty() {
                        continue;
                    }
                    let mut targets: Vec<String> = Vec::new();
                    for t in sk.services() {
                        if t.type_name == "aws_cloudwatch_event_target"
                            && mentions(&Value::Object(t.properties.clone()), &s.id)
                            && let Some(arn) = t.properties.get("arn")
                        {
                            tf_referents(sk, arn, &mut targets);
                        }
                    }
                    if targets.is_empty() {
                        targets.push(s.id.clone());
                    }
                    for t in targets {
                        f.buses.push(BusUse {
                            stack: i,
                            name: tf_pattern(repo, st, n),
                            service: t,
                            role: BusRole::Rule,
                            at: place(&format!("\"{short}\"")),
                        });
                    }
                }
            }
            _ => {}
        }
        if s.kind == Kind::Function || (s.kind.is_glue() && s.owner.is_some()) {
            let mut names = Vec::new();
            published_buses(repo, st, &Value::Object(s.properties.clone()), &mut names);
            let owner = if s.kind.is_glue() {
                s.owner.clone()
            } else {
                Some(s.id.clone())
            };
            if let Some(o) = owner {
                for n in names {
                    f.buses.push(BusUse {
                        stack: i,
                        name: n,
                        service: o.clone(),
                        role: BusRole::Publisher,
                        at: at(repo, st, "PutEvents"),
                    });
                }
            }
        }
    }
}

// ---- Matching ----

/// The service an arrow should reach at the service level: glue and
/// settings hand it to what they serve.
fn visible(sketch: &Sketch, id: &str) -> String {
    let mut cur = id.to_string();
    for _ in 0..16 {
        let Some(s) = sketch.service(&cur) else { break };
        let folds = s.kind.is_glue()
            || matches!(
                s.kind,
                Kind::Subnet | Kind::SecurityGroup | Kind::Layer | Kind::Vpc
            )
            || s.is_data_source()
            || (s.kind.is_generic() && s.owner.is_some());
        match (&s.owner, folds) {
            (Some(o), true) => cur = o.clone(),
            _ => break,
        }
    }
    cur
}

const API_KINDS: &[Kind] = &[Kind::Api, Kind::HttpApi, Kind::WebSocket, Kind::GraphQl];

/// The arrow between a producing and a consuming service: authorizers take
/// their user pool as `auth`; a service that calls or reads what it is
/// given points at it; otherwise what is given points at who takes it.
fn arrow(pk: Kind, uk: Kind, auth: bool) -> (bool, ConnectionKind) {
    if auth || (pk == Kind::UserPool && API_KINDS.contains(&uk)) {
        return (false, ConnectionKind::Auth);
    }
    if let Some(k) = uk.natural_connection(pk) {
        return (true, k);
    }
    if let Some(k) = pk.natural_connection(uk) {
        return (false, k);
    }
    (false, ConnectionKind::Ref)
}

fn arrows(
    repo: &Repo,
    from: usize,
    producers: &[String],
    to: usize,
    users: &[(String, bool)],
    triggered: &[String],
) -> Vec<(String, String, ConnectionKind)> {
    let (ps, us) = (&repo.stacks[from], &repo.stacks[to]);
    let mut out: Vec<(String, String, ConnectionKind)> = Vec::new();
    let any_auth = users.iter().any(|(_, a)| *a);
    for p in producers {
        let Some(psvc) = ps.sketch.service(p) else {
            continue;
        };
        for (u, auth) in users {
            // Services told who may sign in verify tokens; the authorizer
            // is the arrow an engineer draws.
            if !auth && psvc.kind == Kind::UserPool {
                continue;
            }
            let _ = any_auth;
            let uid = visible(&us.sketch, u);
            let Some(usvc) = us.sketch.service(&uid) else {
                continue;
            };
            // An event source mapping makes what it is given trigger its function.
            let mapping = us.sketch.service(u).is_some_and(|m| {
                matches!(
                    m.type_name.as_str(),
                    "AWS::Lambda::EventSourceMapping" | "aws_lambda_event_source_mapping"
                )
            });
            let (back, k) = if mapping || triggered.contains(u) {
                (false, ConnectionKind::Trigger)
            } else {
                arrow(psvc.kind, usvc.kind, *auth)
            };
            let (a, b) = (repo_id(&ps.id, p), repo_id(&us.id, &uid));
            let e = if back { (b, a, k) } else { (a, b, k) };
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

fn external_arrows(
    repo: &Repo,
    via: &str,
    to: usize,
    users: &[(String, bool)],
) -> Vec<(String, String, ConnectionKind)> {
    let st = &repo.stacks[to];
    let ext = format!("external:{via}");
    let mut out = Vec::new();
    for (u, _) in users {
        let e = (
            ext.clone(),
            repo_id(&st.id, &visible(&st.sketch, u)),
            ConnectionKind::Ref,
        );
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

fn match_consumers(repo: &Repo, f: &Facts, joins: &mut Vec<Join>) {
    for c in &f.consumers {
        let to = &repo.stacks[c.stack];
        // AWS's own public parameters (AMI ids, regions) come from no stack;
        // a name that is nothing but placeholders says nothing.
        if c.name
            .as_ref()
            .is_some_and(|n| n.text.starts_with("/aws/service/") || !n.says_something())
        {
            continue;
        }
        let (matches, inferred, via): (Vec<&Producer>, bool, String) = match &c.name {
            Some(n) => {
                let m: Vec<&Producer> = f
                    .producers
                    .iter()
                    .filter(|p| p.kind == c.kind && p.name.matches(n))
                    .collect();
                (m, false, n.text.clone())
            }
            None => {
                let want: BTreeSet<String> = telling_words(&c.param).into_iter().collect();
                let m: Vec<&Producer> = f
                    .producers
                    .iter()
                    .filter(|p| {
                        p.kind == c.kind && p.stack != c.stack && !want.is_empty() && {
                            let have: BTreeSet<String> = words(&p.name.text).into_iter().collect();
                            want.is_subset(&have)
                        }
                    })
                    .collect();
                if m.len() == 1 {
                    let via = m[0].name.text.clone();
                    (m, true, via)
                } else {
                    (Vec::new(), true, c.param.clone())
                }
            }
        };
        // What the stack itself provides is no join.
        if matches.iter().any(|p| p.stack == c.stack) {
            continue;
        }
        if matches.is_empty() && c.optional {
            continue;
        }
        if matches.is_empty() {
            joins.push(Join {
                through: c.carrier.iter().map(|x| repo_id(&to.id, x)).collect(),
                from: None,
                to: Some(to.id.clone()),
                kind: c.kind,
                via: via.clone(),
                inferred: false,
                wildcard: c.name.as_ref().is_some_and(|n| n.wild),
                at: c.at.clone(),
                arrows: external_arrows(repo, &via, c.stack, &c.users),
            });
            continue;
        }
        for p in matches {
            let via = if inferred {
                p.name.text.clone()
            } else {
                via.clone()
            };
            joins.push(Join {
                through: p
                    .carrier
                    .iter()
                    .map(|x| repo_id(&repo.stacks[p.stack].id, x))
                    .chain(c.carrier.iter().map(|x| repo_id(&to.id, x)))
                    .collect(),
                from: Some(repo.stacks[p.stack].id.clone()),
                to: Some(to.id.clone()),
                kind: c.kind,
                via,
                inferred,
                wildcard: p.name.wild || c.name.as_ref().is_some_and(|n| n.wild),
                at: c.at.clone(),
                arrows: arrows(repo, p.stack, &p.services, c.stack, &c.users, &c.triggered),
            });
        }
    }
}

fn match_buses(repo: &Repo, f: &Facts, joins: &mut Vec<Join>) {
    let owners: Vec<&BusUse> = f
        .buses
        .iter()
        .filter(|b| b.role == BusRole::Owner)
        .collect();
    for u in f.buses.iter().filter(|b| b.role != BusRole::Owner) {
        if u.name.text == "default" || !u.name.says_something() {
            continue;
        }
        let owned: Vec<&&BusUse> = owners.iter().filter(|o| o.name.matches(&u.name)).collect();
        if owned.iter().any(|o| o.stack == u.stack) {
            continue;
        }
        let wildcard = u.name.wild;
        if let Some(o) = owned.first() {
            let (from, to, a, b, k) = match u.role {
                BusRole::Publisher => (
                    u.stack,
                    o.stack,
                    &u.service,
                    &o.service,
                    ConnectionKind::Publish,
                ),
                _ => (
                    o.stack,
                    u.stack,
                    &o.service,
                    &u.service,
                    ConnectionKind::Trigger,
                ),
            };
            let (fs, ts) = (&repo.stacks[from], &repo.stacks[to]);
            joins.push(Join {
                through: Vec::new(),
                from: Some(fs.id.clone()),
                to: Some(ts.id.clone()),
                kind: JoinKind::Bus,
                via: o.name.text.clone(),
                inferred: false,
                wildcard: wildcard || o.name.wild,
                at: u.at.clone(),
                arrows: vec![(
                    repo_id(&fs.id, &visible(&fs.sketch, a)),
                    repo_id(&ts.id, &visible(&ts.sketch, b)),
                    k,
                )],
            });
            continue;
        }
        // No stack defines the bus: publishers join the rules of other stacks.
        let partners: Vec<&BusUse> = f
            .buses
            .iter()
            .filter(|p| {
                p.stack != u.stack
                    && p.role != BusRole::Owner
                    && p.role != u.role
                    && p.name.matches(&u.name)
            })
            .collect();
        if partners.is_empty() {
            let st = &repo.stacks[u.stack];
            let ext = format!("external:{}", u.name.text);
            let me = repo_id(&st.id, &visible(&st.sketch, &u.service));
            let (from, to, arrow) = match u.role {
                BusRole::Publisher => (
                    Some(st.id.clone()),
                    None,
                    (me, ext, ConnectionKind::Publish),
                ),
                _ => (
                    None,
                    Some(st.id.clone()),
                    (ext, me, ConnectionKind::Trigger),
                ),
            };
            joins.push(Join {
                through: Vec::new(),
                from,
                to,
                kind: JoinKind::Bus,
                via: u.name.text.clone(),
                inferred: false,
                wildcard,
                at: u.at.clone(),
                arrows: vec![arrow],
            });
            continue;
        }
        if u.role != BusRole::Publisher {
            continue;
        }
        for r in partners {
            let (fs, ts) = (&repo.stacks[u.stack], &repo.stacks[r.stack]);
            joins.push(Join {
                through: Vec::new(),
                from: Some(fs.id.clone()),
                to: Some(ts.id.clone()),
                kind: JoinKind::Bus,
                via: u.name.text.clone(),
                inferred: false,
                wildcard: wildcard || r.name.wild,
                at: r.at.clone(),
                arrows: vec![(
                    repo_id(&fs.id, &visible(&fs.sketch, &u.service)),
                    repo_id(&ts.id, &visible(&ts.sketch, &r.service)),
                    ConnectionKind::Publish,
                )],
            });
        }
    }
}

/// `data "terraform_remote_state"`: the outputs of another root, found by
/// its local state path or its backend key.
fn remote_state(repo: &Repo, joins: &mut Vec<Join>) {
    for (ci, st) in repo.stacks.iter().enumerate() {
        if st.dialect != Dialect::Terraform {
            continue;
        }
        for s in st.sketch.services() {
            if s.type_name != "terraform_remote_state" {
                continue;
            }
            let short = s.id.rsplit('.').next().unwrap_or(&s.id).to_string();
            let config = s.properties.get("config");
            let path = config.and_then(|c| c.get("path")).and_then(Value::as_str);
            let key = config.and_then(|c| c.get("key")).and_then(Value::as_str);
            let producer = repo.stacks.iter().position(|p| {
                p.dialect == Dialect::Terraform
                    && p.id != st.id
                    && (path.is_some_and(|path| {
                        let joined = if st.dir.is_empty() {
                            path.to_string()
                        } else {
                            format!("{}/{path}", st.dir)
                        };
                        super::normalize(&joined).is_some_and(|n| super::dir_of(&n) == p.dir)
                    }) || key.is_some_and(|k| {
                        p.files.values().any(|t| {
                            t.contains("backend")
                                && t.lines().any(|l| {
                                    let l = l.trim();
                                    l.starts_with("key") && l.contains(&format!("\"{k}\""))
                                })
                        })
                    }))
            });
            let place = at(repo, st, &format!("\"terraform_remote_state\" \"{short}\""));
            // The outputs read, and who reads them.
            let prefix = format!("{}.outputs.", s.id);
            let mut outputs: Vec<(String, Vec<(String, bool)>)> = Vec::new();
            for u in st.sketch.services() {
                let text = Value::Object(u.properties.clone()).to_string();
                for (i, _) in text.match_indices(&prefix) {
                    let name: String = text[i + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if name.is_empty() {
                        continue;
                    }
                    match outputs.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, users)) => {
                            if !users.iter().any(|(x, _)| *x == u.id) {
                                users.push((u.id.clone(), false));
                            }
                        }
                        None => outputs.push((name, vec![(u.id.clone(), false)])),
                    }
                }
            }
            let Some(pi) = producer else {
                let via = path.or(key).unwrap_or(&short).to_string();
                let users: Vec<(String, bool)> = outputs.into_iter().flat_map(|(_, u)| u).collect();
                joins.push(Join {
                    through: Vec::new(),
                    from: None,
                    to: Some(st.id.clone()),
                    kind: JoinKind::RemoteState,
                    arrows: external_arrows(repo, &via, ci, &users),
                    via,
                    inferred: false,
                    wildcard: false,
                    at: place,
                });
                continue;
            };
            let p = &repo.stacks[pi];
            if outputs.is_empty() {
                joins.push(Join {
                    through: Vec::new(),
                    from: Some(p.id.clone()),
                    to: Some(st.id.clone()),
                    kind: JoinKind::RemoteState,
                    via: short.clone(),
                    inferred: false,
                    wildcard: false,
                    at: place.clone(),
                    arrows: Vec::new(),
                });
            }
            for (name, users) in outputs {
                let mut services = Vec::new();
                if let Some(v) = p
                    .sketch
                    .sections
                    .get(&format!("output.{name}"))
                    .and_then(|o| o.get("value"))
                {
                    tf_referents(&p.sketch, v, &mut services);
                }
                joins.push(Join {
                    through: Vec::new(),
                    from: Some(p.id.clone()),
                    to: Some(st.id.clone()),
                    kind: JoinKind::RemoteState,
                    via: format!("{short}.outputs.{name}"),
                    inferred: false,
                    wildcard: false,
                    at: place.clone(),
                    arrows: arrows(repo, pi, &services, ci, &users, &[]),
                });
            }
        }
    }
}

/// A stack that includes another.
fn nested(repo: &Repo, joins: &mut Vec<Join>) {
    for st in &repo.stacks {
        let Some(parent) = &st.parent else { continue };
        let Some(p) = repo.stack(parent) else {
            continue;
        };
        let via = super::nested_locations(p)
            .into_iter()
            .find(|(_, f)| *f == st.file)
            .map(|(r, _)| r)
            .unwrap_or_else(|| st.file.clone());
        joins.push(Join {
            through: Vec::new(),
            from: Some(parent.clone()),
            to: Some(st.id.clone()),
            kind: JoinKind::Nested,
            at: at(repo, p, &format!("{via}:")),
            via,
            inferred: false,
            wildcard: false,
            arrows: Vec::new(),
        });
    }
}
