//! What new services and drawn connections need to be real Terraform. A new
//! function gets its code archive, an IAM role and a policy with one
//! least-privilege statement per connection; a queue feeding it becomes an
//! event source mapping; a bucket gets a notification and a permission; an
//! API gets its routes, integrations, permissions and stage; and so on.

use std::collections::{HashMap, HashSet};

use serde_json::json;

use super::derive::scope_of;
use super::syntax::JSONENCODE;
use super::text::{self, single_interpolation};
use crate::catalog::Kind;
use crate::formats::names::{pascal_case, snake_case};
use crate::formats::recipes::links;
use crate::formats::{Unwritten, recipes};
use crate::model::{ConnectionKind, Map, ON_FAILURE, Service, Sketch, Value};

/// One block to write: a resource, data source or module call.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub type_name: String,
    pub kind: Kind,
    /// Meta-arguments and properties together, as the block holds them.
    pub body: Map,
    /// Not in the folder the sketch came from.
    pub new: bool,
}

/// The attribute under which a rule or schedule brought from another
/// language carries the settings of the target it delivers to (retries,
/// input), for the target the exporter writes.
pub const EVENT_TARGET: &str = "event_target";

/// Everything being written.
pub struct Work {
    pub items: Vec<Item>,
    /// Stage settings an API brought from another language.
    stages: HashMap<String, Map>,
    /// Target settings a rule or schedule brought from another language.
    event_targets: HashMap<String, Map>,
    pub sections: Map,
    pub warnings: Vec<String>,
    /// Generated items that belong to another, to be written after it.
    owner_of: HashMap<String, String>,
    taken: HashSet<String>,
    /// Names new resources give AWS start with `var.name_prefix`, so that two
    /// environments can share an account (a folder written from nothing, or
    /// one that declares the variable).
    pub name_prefix: bool,
    /// Connections drawn that these files do not grant, and why.
    pub unwritten: Vec<Unwritten>,
}

/// Meta-arguments that open a block, and those that close it.
const META_FIRST: &[&str] = &["count", "for_each", "provider", "providers"];

/// A service's block body: leading meta-arguments, properties, the rest.
pub fn full_body(s: &Service) -> Map {
    let mut m = Map::new();
    for k in META_FIRST {
        if let Some(v) = s.attributes.get(*k) {
            m.insert((*k).to_string(), v.clone());
        }
    }
    for (k, v) in &s.properties {
        m.insert(k.clone(), v.clone());
    }
    for (k, v) in &s.attributes {
        if !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

fn ex(e: &str) -> Value {
    text::expr(e)
}

fn k(w: &str) -> Kind {
    Kind::parse(w).expect("catalog word")
}

/// The address as written inside its own module.
fn local(id: &str) -> &str {
    &id[scope_of(id).len()..]
}

/// The resource name of an address.
fn name_of(id: &str) -> String {
    local(id).rsplit('.').next().unwrap_or(id).to_string()
}

fn kebab(s: &str) -> String {
    snake_case(s).replace('_', "-")
}

fn jsonencode(v: Value) -> Value {
    json!({ JSONENCODE: v })
}

fn assume(service: &str) -> Value {
    jsonencode(json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
        }],
    }))
}

impl Work {
    pub fn new(sketch: &Sketch, in_base: &dyn Fn(&str) -> bool) -> Work {
        let mut items = Vec::new();
        let mut stages = HashMap::new();
        let mut event_targets = HashMap::new();
        for s in sketch.services().filter(|s| !s.implicit) {
            let mut body = full_body(s);
            if let Some(Value::Object(t)) = s.attributes.get(EVENT_TARGET) {
                event_targets.insert(s.id.clone(), t.clone());
                if !s.properties.contains_key(EVENT_TARGET) {
                    body.shift_remove(EVENT_TARGET);
                }
            }
            // Stage settings arrive as an attribute (never a Terraform
            // argument of the API itself).
            if let Some(Value::Object(stage)) = s.attributes.get("stage") {
                stages.insert(s.id.clone(), stage.clone());
                if s.properties.get("stage") != Some(&Value::Object(stage.clone())) {
                    body.shift_remove("stage");
                }
            }
            items.push(Item {
                id: s.id.clone(),
                type_name: s.type_name.clone(),
                kind: s.kind,
                body,
                new: !in_base(&s.id),
            });
        }
        Work {
            stages,
            event_targets,
            taken: items.iter().map(|i| i.id.clone()).collect(),
            items,
            sections: sketch.sections.clone(),
            warnings: Vec::new(),
            unwritten: Vec::new(),
            owner_of: HashMap::new(),
            name_prefix: false,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Item> {
        self.items.iter_mut().find(|i| i.id == id)
    }
    fn body(&mut self, id: &str) -> Option<&mut Map> {
        self.get_mut(id).map(|i| &mut i.body)
    }

    /// A free address `TYPE.NAME` in the scope of `near`.
    fn free(&self, near: &str, type_name: &str, name: &str) -> String {
        let scope = scope_of(near);
        let base = format!("{scope}{type_name}.{}", snake_case(name));
        if !self.taken.contains(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}_{n}"))
            .find(|c| !self.taken.contains(c))
            .expect("a free name")
    }

    /// Adds a generated item that belongs to `owner`; returns its address.
    fn add(&mut self, owner: &str, type_name: &str, name: &str, body: Map) -> String {
        let id = self.free(owner, type_name, name);
        self.add_at(owner, id.clone(), type_name, body);
        id
    }

    fn add_at(&mut self, owner: &str, id: String, type_name: &str, body: Map) {
        self.taken.insert(id.clone());
        self.owner_of.insert(id.clone(), owner.to_string());
        let item = Item {
            kind: Kind::from_tf_type(type_name),
            id: id.clone(),
            type_name: type_name.to_string(),
            body,
            new: true,
        };
        // After the owner and what was generated for it already.
        let mut at = self
            .items
            .iter()
            .position(|i| i.id == owner)
            .map_or(self.items.len(), |p| p + 1);
        while at < self.items.len()
            && self.owner_of.get(&self.items[at].id).map(String::as_str) == Some(owner)
        {
            at += 1;
        }
        self.items.insert(at, item);
    }

    /// A name AWS must find unique in an account, under the folder's prefix.
    fn physical(&self, name: &str) -> String {
        if self.name_prefix {
            format!("${{var.name_prefix}}-{name}")
        } else {
            name.to_string()
        }
    }

    /// Records a drawn connection this file cannot be made to hold, and why.
    fn refuse(&mut self, from: &str, to: &str, kind: ConnectionKind, reason: String) {
        self.unwritten.push(Unwritten {
            from: from.to_string(),
            to: to.to_string(),
            kind,
            reason,
        });
    }

    fn warn(&mut self, w: String) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// The first item of `type_name` whose `key` references `target`.
    fn find_by_ref(&self, type_name: &str, key: &str, target: &str) -> Option<String> {
        let t = local(target);
        self.items
            .iter()
            .filter(|i| i.type_name == type_name && scope_of(&i.id) == scope_of(target))
            .find(|i| {
                i.body
                    .get(key)
                    .and_then(Value::as_str)
                    .and_then(single_interpolation)
                    .is_some_and(|e| {
                        e.starts_with(&format!("{t}.")) || e.starts_with(&format!("{t}["))
                    })
            })
            .map(|i| i.id.clone())
    }
}

fn set_default(m: &mut Map, key: &str, v: Value) {
    if !m.contains_key(key) {
        m.insert(key.to_string(), v);
    }
}

/// Defaults that make a new service a valid resource, and the glue a new
/// function or state machine needs (code archive, role).
/// Arguments a reader looks for first in a new block.
const FRONT: &[&str] = &[
    "function_name",
    "name",
    "bucket",
    "bucket_prefix",
    "alarm_name",
    "description",
    "role",
    "role_arn",
    "package_type",
    "image_uri",
    "handler",
    "runtime",
    "filename",
    "source_code_hash",
];

fn front(m: &mut Map) {
    let mut out = Map::new();
    for k in FRONT {
        if let Some(v) = m.shift_remove(*k) {
            out.insert((*k).to_string(), v);
        }
    }
    for (k, v) in std::mem::take(m) {
        out.insert(k, v);
    }
    *m = out;
}

pub fn complete_new(w: &mut Work) {
    complete(w);
    for i in w.items.iter_mut().filter(|i| i.new) {
        front(&mut i.body);
    }
}

fn complete(w: &mut Work) {
    let new: Vec<(String, String, Kind)> = w
        .items
        .iter()
        .filter(|i| i.new && !super::derive::is_data(&i.id) && i.type_name != "module")
        .map(|i| (i.id.clone(), i.type_name.clone(), i.kind))
        .collect();
    for (id, ty, kind) in new {
        let name = name_of(&id);
        let kb = w.physical(&kebab(&name));
        let aws = ty.starts_with("aws_");
        let w_prefix = w.name_prefix;
        let mut needs_role: Option<&str> = None;
        let mut needs_archive = false;
        {
            let Some(m) = w.body(&id) else { continue };
            // Drawn in the sketch rather than brought from another file.
            let blank = m.is_empty();
            match (kind.word(), aws) {
                ("function", true) => {
                    if blank {
                        // Graviton: cheaper per GB-second.
                        set_default(m, "architectures", json!(["arm64"]));
                    }
                    set_default(m, "function_name", json!(kb));
                    if !m.contains_key("role") {
                        needs_role = Some("lambda.amazonaws.com");
                    }
                    let has_code = ["filename", "s3_bucket", "image_uri"]
                        .iter()
                        .any(|k| m.contains_key(*k));
                    if !has_code {
                        needs_archive = true;
                    }
                    if !m.contains_key("image_uri") {
                        set_default(m, "handler", json!("app.handler"));
                        set_default(m, "runtime", json!("python3.13"));
                    }
                    set_default(m, "memory_size", json!(128));
                    set_default(m, "timeout", json!(10));
                }
                ("table", true) => {
                    set_default(m, "name", json!(kb));
                    set_default(m, "billing_mode", json!("PAY_PER_REQUEST"));
                    if !m.contains_key("hash_key") {
                        m.insert("hash_key".into(), json!("id"));
                        set_default(m, "attribute", json!([{"name": "id", "type": "S"}]));
                    }
                }
                ("queue" | "topic" | "stream" | "eventbus" | "firehose" | "secret", true) => {
                    set_default(m, "name", json!(kb));
                    if kind.word() == "stream" {
                        set_default(
                            m,
                            "stream_mode_details",
                            json!([{"stream_mode": "ON_DEMAND"}]),
                        );
                    }
                    if kind.word() == "firehose" {
                        set_default(m, "destination", json!("extended_s3"));
                    }
                }
                ("bucket", true) => {
                    if !m.contains_key("bucket") {
                        set_default(m, "bucket_prefix", json!(format!("{kb}-")));
                    }
                }
                ("statemachine", true) => {
                    set_default(m, "name", json!(kb));
                    if !m.contains_key("role_arn") {
                        needs_role = Some("states.amazonaws.com");
                    }
                    set_default(
                        m,
                        "definition",
                        jsonencode(
                            json!({"StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": true}}}),
                        ),
                    );
                }
                ("rule", true) => {
                    set_default(m, "name", json!(kb));
                    if !m.contains_key("schedule_expression") {
                        set_default(
                            m,
                            "event_pattern",
                            jsonencode(
                                json!({"source": [format!("{}.events", snake_case(&name).replace('_', "."))]}),
                            ),
                        );
                    }
                }
                ("schedule", true) => {
                    set_default(m, "name", json!(kb));
                    set_default(m, "schedule_expression", json!("rate(1 hour)"));
                    if ty == "aws_scheduler_schedule" {
                        set_default(m, "flexible_time_window", json!([{"mode": "OFF"}]));
                    }
                }
                ("api", true) => set_default(m, "name", json!(kb)),
                ("httpapi", true) => {
                    set_default(m, "name", json!(kb));
                    set_default(m, "protocol_type", json!("HTTP"));
                }
                ("websocket", true) => {
                    set_default(m, "name", json!(kb));
                    set_default(m, "protocol_type", json!("WEBSOCKET"));
                    set_default(
                        m,
                        "route_selection_expression",
                        json!("$request.body.action"),
                    );
                }
                ("loggroup", true) => {
                    set_default(m, "retention_in_days", json!(14));
                }
                ("alarm", true) => {
                    set_default(m, "alarm_name", json!(kb));
                    set_default(m, "namespace", json!("AWS/Lambda"));
                    set_default(m, "metric_name", json!("Errors"));
                    set_default(m, "statistic", json!("Sum"));
                    set_default(m, "period", json!(300));
                    set_default(m, "evaluation_periods", json!(1));
                    set_default(m, "threshold", json!(1));
                    set_default(
                        m,
                        "comparison_operator",
                        json!("GreaterThanOrEqualToThreshold"),
                    );
                }
                ("userpool", true) => set_default(m, "name", json!(kb)),
                ("parameter", true) => {
                    let path = if w_prefix {
                        format!("/${{var.name_prefix}}/{}", kebab(&name))
                    } else {
                        format!("/{kb}")
                    };
                    set_default(m, "name", json!(path));
                    set_default(m, "type", json!("String"));
                    set_default(m, "value", json!("change-me"));
                }
                ("key", true) => set_default(m, "description", json!(format!("{name} key"))),
                ("vpc", true) => set_default(m, "cidr_block", json!("10.0.0.0/16")),
                ("securitygroup", true) => set_default(m, "name", json!(kb)),
                ("database", true) if ty == "aws_rds_cluster" => {
                    set_default(m, "engine", json!("aurora-postgresql"));
                    set_default(m, "engine_mode", json!("provisioned"));
                    set_default(m, "master_username", json!("app"));
                    set_default(m, "manage_master_user_password", json!(true));
                    set_default(
                        m,
                        "serverlessv2_scaling_configuration",
                        json!([{"min_capacity": 0.5, "max_capacity": 2}]),
                    );
                }
                ("cdn", true) => {
                    set_default(m, "enabled", json!(true));
                    set_default(
                        m,
                        "default_cache_behavior",
                        json!([{
                            "target_origin_id": "origin",
                            "viewer_protocol_policy": "redirect-to-https",
                            "allowed_methods": ["GET", "HEAD"],
                            "cached_methods": ["GET", "HEAD"],
                            "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                        }]),
                    );
                    set_default(
                        m,
                        "restrictions",
                        json!([{"geo_restriction": [{"restriction_type": "none"}]}]),
                    );
                    set_default(
                        m,
                        "viewer_certificate",
                        json!([{"cloudfront_default_certificate": true}]),
                    );
                }
                _ => {}
            }
        }
        if needs_archive {
            let data = w.free(&id, "data.archive_file", &name);
            let mut body = Map::new();
            body.insert("type".into(), json!("zip"));
            body.insert(
                "source_dir".into(),
                json!(format!("${{path.module}}/src/{name}")),
            );
            body.insert(
                "output_path".into(),
                json!(format!("${{path.module}}/build/{name}.zip")),
            );
            w.add_at(&id, data.clone(), "archive_file", body);
            let d = local(&data).to_string();
            if let Some(m) = w.body(&id) {
                m.insert("filename".into(), ex(&format!("{d}.output_path")));
                m.insert(
                    "source_code_hash".into(),
                    ex(&format!("{d}.output_base64sha256")),
                );
            }
        }
        if let Some(principal) = needs_role {
            let role = new_role(w, &id, &name, principal);
            let key = if kind.word() == "function" {
                "role"
            } else {
                "role_arn"
            };
            if let Some(m) = w.body(&id) {
                m.insert(key.into(), ex(&format!("{}.arn", local(&role))));
            }
            if kind.word() == "function" {
                let mut att = Map::new();
                att.insert("role".into(), ex(&format!("{}.name", local(&role))));
                att.insert(
                    "policy_arn".into(),
                    json!("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                );
                w.add(
                    &id,
                    "aws_iam_role_policy_attachment",
                    &format!("{name}_logs"),
                    att,
                );
            }
        }
    }
}

fn new_role(w: &mut Work, owner: &str, name: &str, principal: &str) -> String {
    let mut body = Map::new();
    body.insert(
        "name".into(),
        json!(w.physical(&format!("{}-role", kebab(name)))),
    );
    body.insert("assume_role_policy".into(), assume(principal));
    w.add(owner, "aws_iam_role", name, body)
}

/// The role a function or state machine runs as, when it is one of ours.
fn role_of(w: &Work, id: &str) -> Option<String> {
    let item = w.get(id)?;
    let v = item
        .body
        .get("role")
        .or_else(|| item.body.get("role_arn"))?;
    let e = single_interpolation(v.as_str()?)?;
    let addr = e.strip_suffix(".arn")?;
    let full = format!("{}{addr}", scope_of(id));
    (addr.starts_with("aws_iam_role.") && w.get(&full).is_some()).then_some(full)
}

/// What a reference to a service's ARN looks like.
fn arn(w: &Work, id: &str) -> String {
    format!("{}.arn", reference(w, id))
}

/// How another block in the module refers to a service: its address, with
/// `[0]` when `count` makes it a list (a resource under a condition).
fn reference(w: &Work, id: &str) -> String {
    let l = local(id);
    if w.get(id).is_some_and(|i| i.body.contains_key("count")) {
        format!("{l}[0]")
    } else {
        l.to_string()
    }
}

fn statement(sid: &str, actions: &[&str], resource: Value) -> Value {
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": resource,
    })
}

/// Adds a statement to the access policy of a role (made on first use).
fn grant(w: &mut Work, user: &str, role: &str, st: Value) {
    let name = format!("{}_access", name_of(user));
    let id = format!(
        "{}aws_iam_role_policy.{}",
        scope_of(user),
        snake_case(&name)
    );
    if w.get(&id).is_none() {
        let mut body = Map::new();
        body.insert("name".into(), json!(kebab(&name)));
        body.insert("role".into(), ex(&format!("{}.id", local(role))));
        body.insert(
            "policy".into(),
            jsonencode(json!({"Version": "2012-10-17", "Statement": []})),
        );
        w.add_at(user, id.clone(), "aws_iam_role_policy", body);
    }
    if let Some(list) = w
        .body(&id)
        .and_then(|m| m.get_mut("policy"))
        .and_then(|p| p.get_mut(JSONENCODE))
        .and_then(|d| d.get_mut("Statement"))
        .and_then(Value::as_array_mut)
    {
        if !list.contains(&st) {
            list.push(st);
        }
    }
}

/// A role for a service (scheduler, events) to reach targets, made once.
fn service_role(w: &mut Work, owner: &str, suffix: &str, principal: &str) -> String {
    let id = format!(
        "{}aws_iam_role.{}_{suffix}",
        scope_of(owner),
        name_of(owner)
    );
    if w.get(&id).is_none() {
        let mut body = Map::new();
        body.insert(
            "name".into(),
            json!(w.physical(&format!("{}-{}", kebab(&name_of(owner)), kebab(suffix)))),
        );
        body.insert("assume_role_policy".into(), assume(principal));
        w.add_at(owner, id.clone(), "aws_iam_role", body);
    }
    id
}

fn permission(w: &mut Work, function: &str, source: &str, principal: &str, source_arn: Value) {
    let exists = w.items.iter().any(|i| {
        i.type_name == "aws_lambda_permission"
            && i.body.get("function_name")
                == Some(&ex(&format!("{}.function_name", reference(w, function))))
            && i.body.get("source_arn") == Some(&source_arn)
    });
    if exists {
        return;
    }
    let mut body = Map::new();
    body.insert(
        "statement_id".into(),
        json!(format!("Allow{}", pascal_case(&name_of(source)))),
    );
    body.insert("action".into(), json!("lambda:InvokeFunction"));
    body.insert(
        "function_name".into(),
        ex(&format!("{}.function_name", reference(w, function))),
    );
    body.insert("principal".into(), json!(principal));
    body.insert("source_arn".into(), source_arn);
    let name = format!("{}_from_{}", name_of(function), name_of(source));
    w.add(function, "aws_lambda_permission", &name, body);
}

/// A resource policy (queue or topic) statement letting a service send.
fn resource_policy(w: &mut Work, target: &str, principal: &str, action: &str, source: &str) {
    let (ty, key, target_ref) = match w.get(target).map(|i| i.kind.word()) {
        Some("queue") => (
            "aws_sqs_queue_policy",
            "queue_url",
            format!("{}.id", reference(w, target)),
        ),
        Some("topic") => (
            "aws_sns_topic_policy",
            "arn",
            format!("{}.arn", reference(w, target)),
        ),
        _ => return,
    };
    let st = json!({
        "Sid": format!("Allow{}", pascal_case(&name_of(source))),
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": action,
        "Resource": format!("${{{}}}", arn(w, target)),
        "Condition": {"ArnEquals": {"aws:SourceArn": format!("${{{}}}", arn(w, source))}},
    });
    let id = match w.find_by_ref(ty, key, target) {
        Some(id) => id,
        None => {
            let mut body = Map::new();
            body.insert(key.into(), ex(&target_ref));
            body.insert(
                "policy".into(),
                jsonencode(json!({"Version": "2012-10-17", "Statement": []})),
            );
            w.add(target, ty, &name_of(target), body)
        }
    };
    match w
        .body(&id)
        .and_then(|m| m.get_mut("policy"))
        .and_then(|p| p.get_mut(JSONENCODE))
        .and_then(|d| d.get_mut("Statement"))
        .and_then(Value::as_array_mut)
    {
        Some(list) => list.push(st),
        None => w.warn(format!(
            "{id}: its policy is not written with jsonencode, so the statement letting {source} reach {target} was not added"
        )),
    }
}

fn push(m: &mut Map, key: &str, v: Value) {
    match m.entry(key.to_string()).or_insert_with(|| json!([])) {
        Value::Array(a) => a.push(v),
        other => *other = json!([other.clone(), v]),
    }
}

/// An API route: method and path from a label such as `GET /orders`.
fn route_of(label: Option<&str>, target: &str) -> (String, String) {
    if let Some(l) = label {
        let mut it = l.split_whitespace();
        if let (Some(m), Some(p)) = (it.next(), it.next()) {
            if p.starts_with('/') {
                return (m.to_uppercase(), p.to_string());
            }
        }
        if l.starts_with('/') {
            return ("ANY".into(), l.to_string());
        }
    }
    ("ANY".into(), format!("/{}", kebab(&name_of(target))))
}

fn route_name(method: &str, path: &str) -> String {
    let p: String = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches(|c| c == '{' || c == '}' || c == '+'))
        .collect::<Vec<_>>()
        .join("_");
    let p = if p.is_empty() { "root".to_string() } else { p };
    snake_case(&format!("{}_{p}", method.to_lowercase()))
}

/// Writes the connections drawn in the sketch (those with no origin).
pub fn materialize(w: &mut Work, sketch: &Sketch) {
    let conns: Vec<(String, String, ConnectionKind, Option<String>)> = sketch
        .connections()
        .filter(|(_, _, c)| c.origins.is_empty())
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.kind, c.label.clone()))
        .collect();
    // A rule's dead-letter queue goes on its targets, so after them.
    let dead_letter =
        |w: &Work, (a, b, kind, _): &(String, String, ConnectionKind, Option<String>)| {
            *kind == ConnectionKind::Write
                && w.get(a)
                    .is_some_and(|i| matches!(i.kind.word(), "rule" | "schedule"))
                && w.get(b).is_some_and(|i| i.kind.word() == "queue")
        };
    let (last, first): (Vec<_>, Vec<_>) = conns.into_iter().partition(|c| dead_letter(w, c));
    let conns: Vec<_> = first.into_iter().chain(last).collect();
    let mut rest_routes: Vec<(String, String)> = Vec::new();
    let mut stages: Vec<String> = Vec::new();
    for (a, b, kind, label) in conns {
        let (Some(ka), Some(kb)) = (w.get(&a).map(|i| i.kind), w.get(&b).map(|i| i.kind)) else {
            continue;
        };
        if scope_of(&a) != scope_of(&b) {
            let grants = recipes::access(kb, kind).is_some()
                && matches!(ka.word(), "function" | "statemachine");
            if grants && scope_of(&b).is_empty() {
                grant_into_module(w, &a, (&b, kb), kind);
                continue;
            }
            w.refuse(&a, &b, kind, format!(
                    "{a} and {b} are in different modules; pass {b} to the module as an input and connect them inside the module by hand"
                ));
            continue;
        }
        let before = w.unwritten.len();
        let done = connect(
            w,
            (&a, ka),
            (&b, kb),
            kind,
            label.as_deref(),
            &mut rest_routes,
            &mut stages,
        );
        if !done && w.unwritten.len() == before {
            w.refuse(
                &a,
                &b,
                kind,
                format!(
                    "Terraform has no recipe for a {kind} connection from a {} to a {}",
                    ka.word(),
                    kb.word()
                ),
            );
        }
    }
    // HTTP APIs with stage settings and no routes still get their stage.
    let pending: Vec<String> = w.stages.keys().cloned().collect();
    for api in pending {
        let is_v2 = w
            .get(&api)
            .is_some_and(|i| i.type_name == "aws_apigatewayv2_api");
        if is_v2
            && !stages.contains(&api)
            && w.find_by_ref("aws_apigatewayv2_stage", "api_id", &api)
                .is_none()
        {
            let settings = w.stages.remove(&api).unwrap_or_default();
            let mut s = Map::new();
            s.insert("api_id".into(), ex(&format!("{}.id", local(&api))));
            s.insert("name".into(), json!("$default"));
            s.insert("auto_deploy".into(), json!(true));
            for (k, v) in settings {
                s.insert(k, v);
            }
            w.add(&api, "aws_apigatewayv2_stage", &name_of(&api), s);
        }
    }
    // One deployment and stage per REST API, redeployed when its routes change.
    let mut apis: Vec<String> = rest_routes.iter().map(|(a, _)| a.clone()).collect();
    // An API defined by its body (OpenAPI) deploys without routes of ours.
    for (api, _) in w.stages.iter() {
        if w.get(api).is_some_and(|i| {
            i.type_name == "aws_api_gateway_rest_api" && i.body.contains_key("body")
        }) && !apis.contains(api)
        {
            apis.push(api.clone());
        }
    }
    apis.dedup();
    for api in apis {
        if w.find_by_ref("aws_api_gateway_deployment", "rest_api_id", &api)
            .is_some()
        {
            continue;
        }
        let mut ids: Vec<Value> = rest_routes
            .iter()
            .filter(|(a, _)| *a == api)
            .map(|(_, i)| json!(format!("${{{}.id}}", local(i))))
            .collect();
        if ids.is_empty() {
            ids.push(json!(format!("${{{}.body}}", local(&api))));
        }
        let l = local(&api).to_string();
        let mut body = Map::new();
        body.insert("rest_api_id".into(), ex(&format!("{l}.id")));
        let mut triggers = Map::new();
        triggers.insert(
            "redeployment".into(),
            ex(&format!(
                "sha1(jsonencode([{}]))",
                ids.iter()
                    .filter_map(|v| v
                        .as_str()
                        .and_then(single_interpolation)
                        .map(str::to_string))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        body.insert("triggers".into(), Value::Object(triggers));
        body.insert("lifecycle".into(), json!([{"create_before_destroy": true}]));
        let dep = w.add(&api, "aws_api_gateway_deployment", &name_of(&api), body);
        let settings = w.stages.remove(&api).unwrap_or_default();
        let mut stage = Map::new();
        stage.insert("rest_api_id".into(), ex(&format!("{l}.id")));
        stage.insert("deployment_id".into(), ex(&format!("{}.id", local(&dep))));
        stage.insert(
            "stage_name".into(),
            settings.get("stage_name").cloned().unwrap_or(json!("prod")),
        );
        for (k, v) in settings {
            stage.entry(k).or_insert(v);
        }
        w.add(&api, "aws_api_gateway_stage", &name_of(&api), stage);
    }
}

#[allow(clippy::too_many_arguments)]
fn connect(
    w: &mut Work,
    (a, ka): (&str, Kind),
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
    label: Option<&str>,
    rest_routes: &mut Vec<(String, String)>,
    stages: &mut Vec<String>,
) -> bool {
    use ConnectionKind::*;
    if label == Some(ON_FAILURE) && ka.word() == "function" {
        return failure_destination(w, a, (b, kb), kind);
    }
    let la = reference(w, a);
    let lb = reference(w, b);
    let (na, nb) = (name_of(a), name_of(b));
    if let Some(l) = links::link(ka, kb, kind) {
        return write_link(w, (a, ka), (b, kb), l);
    }
    match (ka.word(), kb.word(), kind) {
        // A stream's dedicated (enhanced fan-out) consumer reads the stream
        // for the function, as the stream itself would.
        ("generic", "function", Trigger)
            if w.get(a)
                .is_some_and(|i| i.type_name == "aws_kinesis_stream_consumer") =>
        {
            let mut body = Map::new();
            body.insert("event_source_arn".into(), ex(&format!("{la}.arn")));
            body.insert("function_name".into(), ex(&format!("{lb}.arn")));
            body.insert("starting_position".into(), json!("LATEST"));
            w.add(
                b,
                "aws_lambda_event_source_mapping",
                &format!("{na}_to_{nb}"),
                body,
            );
            true
        }
        ("generic" | "database", "function", Trigger)
            if w.get(a).is_some_and(|i| {
                matches!(
                    i.type_name.as_str(),
                    "aws_mq_broker"
                        | "aws_msk_cluster"
                        | "aws_msk_serverless_cluster"
                        | "aws_docdb_cluster"
                ) || i.type_name.starts_with("awscc_amazonmq")
                    || i.type_name.starts_with("awscc_msk")
            }) =>
        {
            let mut body = Map::new();
            body.insert("event_source_arn".into(), ex(&format!("{la}.arn")));
            body.insert("function_name".into(), ex(&format!("{lb}.arn")));
            w.add(
                b,
                "aws_lambda_event_source_mapping",
                &format!("{na}_to_{nb}"),
                body,
            );
            w.warn(format!(
                "{a} -> {b}: give the event source mapping its queues or topics and credentials"
            ));
            true
        }
        ("generic", "function", Trigger)
            if w.get(a)
                .is_some_and(|i| i.type_name == "aws_iot_topic_rule") =>
        {
            let Some(m) = w.body(a) else { return false };
            push(
                m,
                "lambda",
                json!({"function_arn": format!("${{{lb}.arn}}")}),
            );
            set_default(m, "enabled", json!(true));
            set_default(m, "sql_version", json!("2016-03-23"));
            permission(w, b, a, "iot.amazonaws.com", ex(&format!("{la}.arn")));
            true
        }
        ("api", "function", Route) if label.is_some_and(|l| l.contains(", ")) => {
            let mut ok = true;
            for one in label.unwrap_or("").split(", ") {
                ok &= connect(w, (a, ka), (b, kb), kind, Some(one), rest_routes, stages);
            }
            ok
        }
        ("httpapi" | "websocket", "function", Route) if label.is_some_and(|l| l.contains(", ")) => {
            let mut ok = true;
            for one in label.unwrap_or("").split(", ") {
                ok &= connect(w, (a, ka), (b, kb), kind, Some(one), rest_routes, stages);
            }
            ok
        }
        ("api", "function", Route) => {
            let (method, path) = route_of(label, b);
            let l = la.clone();
            // Resources down the path, shared between routes.
            let mut parent = format!("{l}.root_resource_id");
            let mut sofar = String::new();
            for seg in path.split('/').filter(|s| !s.is_empty()) {
                sofar.push('/');
                sofar.push_str(seg);
                let rname = format!("{na}_{}", route_name("", &sofar));
                let existing = w
                    .items
                    .iter()
                    .find(|i| {
                        i.type_name == "aws_api_gateway_resource"
                            && i.body.get("path_part") == Some(&json!(seg))
                            && i.body.get("parent_id") == Some(&ex(&parent))
                    })
                    .map(|i| i.id.clone());
                let rid = match existing {
                    Some(r) => r,
                    None => {
                        let mut body = Map::new();
                        body.insert("rest_api_id".into(), ex(&format!("{l}.id")));
                        body.insert("parent_id".into(), ex(&parent));
                        body.insert("path_part".into(), json!(seg));
                        w.add(a, "aws_api_gateway_resource", &rname, body)
                    }
                };
                parent = format!("{}.id", local(&rid));
            }
            let rn = format!("{na}_{}", route_name(&method, &path));
            let mut m = Map::new();
            m.insert("rest_api_id".into(), ex(&format!("{l}.id")));
            m.insert("resource_id".into(), ex(&parent));
            m.insert("http_method".into(), json!(method));
            m.insert("authorization".into(), json!("NONE"));
            let method_id = w.add(a, "aws_api_gateway_method", &rn, m);
            let mut i = Map::new();
            i.insert("rest_api_id".into(), ex(&format!("{l}.id")));
            i.insert("resource_id".into(), ex(&parent));
            i.insert(
                "http_method".into(),
                ex(&format!("{}.http_method", local(&method_id))),
            );
            i.insert("integration_http_method".into(), json!("POST"));
            i.insert("type".into(), json!("AWS_PROXY"));
            i.insert("uri".into(), ex(&format!("{lb}.invoke_arn")));
            let integ = w.add(a, "aws_api_gateway_integration", &rn, i);
            rest_routes.push((a.to_string(), method_id));
            rest_routes.push((a.to_string(), integ));
            permission(
                w,
                b,
                a,
                "apigateway.amazonaws.com",
                json!(format!("${{{l}.execution_arn}}/*/*")),
            );
            true
        }
        ("httpapi" | "websocket", "function", Route) => {
            let ws = ka.word() == "websocket";
            let mut i = Map::new();
            i.insert("api_id".into(), ex(&format!("{la}.id")));
            i.insert("integration_type".into(), json!("AWS_PROXY"));
            i.insert("integration_uri".into(), ex(&format!("{lb}.invoke_arn")));
            if !ws {
                i.insert("payload_format_version".into(), json!("2.0"));
            }
            let integ = match w.items.iter().find(|x| {
                x.type_name == "aws_apigatewayv2_integration"
                    && x.body.get("integration_uri") == Some(&ex(&format!("{lb}.invoke_arn")))
                    && x.body.get("api_id") == Some(&ex(&format!("{la}.id")))
            }) {
                Some(x) => x.id.clone(),
                None => w.add(a, "aws_apigatewayv2_integration", &format!("{na}_{nb}"), i),
            };
            let route_key = if ws || label == Some("$default") {
                label.unwrap_or("$default").to_string()
            } else {
                let (m, p) = route_of(label, b);
                format!("{m} {p}")
            };
            let mut r = Map::new();
            r.insert("api_id".into(), ex(&format!("{la}.id")));
            r.insert("route_key".into(), json!(route_key));
            r.insert(
                "target".into(),
                json!(format!("integrations/${{{}.id}}", local(&integ))),
            );
            let rn = if ws || route_key == "$default" {
                format!("{na}_{}", snake_case(route_key.trim_start_matches('$')))
            } else {
                let (m, p) = route_of(label, b);
                format!("{na}_{}", route_name(&m, &p))
            };
            w.add(a, "aws_apigatewayv2_route", &rn, r);
            if !stages.contains(&a.to_string())
                && w.find_by_ref("aws_apigatewayv2_stage", "api_id", a)
                    .is_none()
            {
                stages.push(a.to_string());
                let mut s = Map::new();
                s.insert("api_id".into(), ex(&format!("{la}.id")));
                s.insert("name".into(), json!(if ws { "prod" } else { "$default" }));
                s.insert("auto_deploy".into(), json!(true));
                for (k, v) in w.stages.remove(a).unwrap_or_default() {
                    s.insert(k, v);
                }
                w.add(a, "aws_apigatewayv2_stage", &na, s);
            }
            permission(
                w,
                b,
                a,
                "apigateway.amazonaws.com",
                json!(format!("${{{la}.execution_arn}}/*/*")),
            );
            true
        }
        ("eventbus", "rule" | "schedule", Route) => {
            let Some(m) = w.body(b) else { return false };
            m.insert("event_bus_name".into(), ex(&format!("{la}.name")));
            true
        }
        (
            "eventbus",
            "function" | "queue" | "topic" | "statemachine" | "stream" | "firehose",
            Trigger,
        ) => {
            let mut body = Map::new();
            body.insert(
                "name".into(),
                json!(format!("{}-to-{}", kebab(&na), kebab(&nb))),
            );
            body.insert("event_bus_name".into(), ex(&format!("{la}.name")));
            body.insert(
                "event_pattern".into(),
                jsonencode(json!({"source": ["app.events"]})),
            );
            let rule = w.add(
                a,
                "aws_cloudwatch_event_rule",
                &format!("{na}_to_{nb}"),
                body,
            );
            let rk = k("rule");
            if let Some(i) = w.get_mut(&rule) {
                i.kind = rk;
            }
            connect(w, (&rule, rk), (b, kb), Trigger, None, rest_routes, stages)
        }
        // What a rule or schedule writes to a queue are the events it could
        // not deliver: the queue is its targets' dead-letter queue.
        ("rule" | "schedule", "queue", Write)
            if w.get(a)
                .is_some_and(|i| i.type_name == "aws_cloudwatch_event_rule") =>
        {
            let targets: Vec<String> = w
                .items
                .iter()
                .filter(|i| i.type_name == "aws_cloudwatch_event_target")
                .filter(|i| scope_of(&i.id) == scope_of(a))
                .filter(|i| {
                    i.body
                        .get("rule")
                        .and_then(Value::as_str)
                        .and_then(single_interpolation)
                        .is_some_and(|e| e.starts_with(&format!("{la}.")))
                })
                .map(|i| i.id.clone())
                .collect();
            if targets.is_empty() {
                return false;
            }
            for t in targets {
                if let Some(m) = w.body(&t) {
                    m.insert(
                        "dead_letter_config".into(),
                        json!([{"arn": format!("${{{lb}.arn}}")}]),
                    );
                }
            }
            resource_policy(w, b, "events.amazonaws.com", "sqs:SendMessage", a);
            true
        }
        ("schedule", "queue", Write)
            if w.get(a).is_some_and(|i| {
                i.type_name == "aws_scheduler_schedule" && i.body.contains_key("target")
            }) =>
        {
            let Some(role) = w
                .get(a)
                .and_then(|i| i.body.get("target"))
                .and_then(|t| t.get(0))
                .and_then(|t| t.get("role_arn"))
                .and_then(Value::as_str)
                .and_then(single_interpolation)
                .and_then(|e| e.strip_suffix(".arn"))
                .map(|r| format!("{}{r}", scope_of(a)))
            else {
                return false;
            };
            if let Some(t) = w
                .body(a)
                .and_then(|m| m.get_mut("target"))
                .and_then(|t| t.get_mut(0))
                .and_then(Value::as_object_mut)
            {
                t.insert(
                    "dead_letter_config".into(),
                    json!([{"arn": format!("${{{lb}.arn}}")}]),
                );
            }
            grant(
                w,
                a,
                &role,
                statement(
                    &format!("DeadLetter{}", pascal_case(&nb)),
                    &["sqs:SendMessage"],
                    ex(&format!("{lb}.arn")),
                ),
            );
            true
        }
        ("queue", "queue", Write) => {
            let Some(m) = w.body(a) else { return false };
            m.insert(
                "redrive_policy".into(),
                jsonencode(
                    json!({"deadLetterTargetArn": format!("${{{lb}.arn}}"), "maxReceiveCount": 5}),
                ),
            );
            true
        }
        ("alarm", "topic", Publish) => {
            let Some(m) = w.body(a) else { return false };
            push(m, "alarm_actions", ex(&format!("{lb}.arn")));
            true
        }
        ("userpool", "api", Auth) => {
            let mut body = Map::new();
            body.insert("name".into(), json!(kebab(&na)));
            body.insert("rest_api_id".into(), ex(&format!("{lb}.id")));
            body.insert("type".into(), json!("COGNITO_USER_POOLS"));
            body.insert("provider_arns".into(), json!([format!("${{{la}.arn}}")]));
            w.add(b, "aws_api_gateway_authorizer", &na, body);
            true
        }
        ("userpool", "httpapi" | "websocket", Auth) => {
            let mut body = Map::new();
            body.insert("name".into(), json!(kebab(&na)));
            body.insert("api_id".into(), ex(&format!("{lb}.id")));
            body.insert("authorizer_type".into(), json!("JWT"));
            body.insert(
                "identity_sources".into(),
                json!(["$request.header.Authorization"]),
            );
            body.insert(
                "jwt_configuration".into(),
                json!([{"issuer": format!("https://${{{la}.endpoint}}"), "audience": []}]),
            );
            w.add(b, "aws_apigatewayv2_authorizer", &na, body);
            true
        }
        ("function", "api" | "httpapi" | "websocket", Auth) => {
            let mut body = Map::new();
            body.insert("name".into(), json!(kebab(&na)));
            if kb.word() == "api" {
                body.insert("rest_api_id".into(), ex(&format!("{lb}.id")));
                body.insert("type".into(), json!("TOKEN"));
                body.insert("authorizer_uri".into(), ex(&format!("{la}.invoke_arn")));
                w.add(b, "aws_api_gateway_authorizer", &na, body);
            } else {
                body.insert("api_id".into(), ex(&format!("{lb}.id")));
                body.insert("authorizer_type".into(), json!("REQUEST"));
                body.insert("authorizer_uri".into(), ex(&format!("{la}.invoke_arn")));
                body.insert(
                    "identity_sources".into(),
                    json!(["$request.header.Authorization"]),
                );
                if kb.word() == "httpapi" {
                    body.insert("authorizer_payload_format_version".into(), json!("2.0"));
                }
                w.add(b, "aws_apigatewayv2_authorizer", &na, body);
            }
            permission(
                w,
                a,
                b,
                "apigateway.amazonaws.com",
                json!(format!("${{{lb}.execution_arn}}/authorizers/*")),
            );
            true
        }
        // An API's access logs, on the stage written for it.
        ("api" | "httpapi", "loggroup", Log) => {
            let http = ka == Kind::HttpApi;
            let logs = json!([{
                "destination_arn": format!("${{{lb}.arn}}"),
                "format": recipes::access_log_format(http),
            }]);
            // The stage may be written already (an HTTP API's, with its
            // first route), else it takes the setting when it is.
            let stage = w
                .find_by_ref("aws_apigatewayv2_stage", "api_id", a)
                .or_else(|| w.find_by_ref("aws_api_gateway_stage", "rest_api_id", a));
            let settings = match stage {
                Some(s) => match w.body(&s) {
                    Some(m) => m,
                    None => return false,
                },
                None => w.stages.entry(a.to_string()).or_default(),
            };
            if settings.contains_key("access_log_settings") {
                return false;
            }
            settings.insert("access_log_settings".into(), logs);
            true
        }
        ("function" | "statemachine", "loggroup", Log) => {
            let prefix = if ka.word() == "function" {
                format!("/aws/lambda/${{{la}.function_name}}")
            } else {
                format!("/aws/vendedlogs/states/${{{la}.name}}")
            };
            let Some(m) = w.body(b) else { return false };
            if m.contains_key("name") || m.contains_key("name_prefix") {
                return false;
            }
            m.insert("name".into(), json!(prefix));
            true
        }
        ("cdn", "bucket", Read) => {
            let Some(m) = w.body(a) else { return false };
            push(
                m,
                "origin",
                json!({"origin_id": "origin", "domain_name": format!("${{{lb}.bucket_regional_domain_name}}")}),
            );
            true
        }
        ("function" | "statemachine", _, Read | Write | Publish | Invoke)
            if recipes::access(kb, kind).is_some() =>
        {
            grant_access(w, a, (b, kb), kind)
        }
        _ => false,
    }
}

/// Writes a connection the way its recipe says: the glue Terraform needs
/// and what lets the source reach the target.
fn write_link(w: &mut Work, (a, ka): (&str, Kind), (b, kb): (&str, Kind), l: &links::Link) -> bool {
    let Some(glue) = &l.tf else { return false };
    let la = reference(w, a);
    let lb = reference(w, b);
    let (na, nb) = (name_of(a), name_of(b));
    match glue {
        links::Glue::Mapping { props } => {
            let mut body = Map::new();
            let src = if l.stream {
                if let Some(m) = w.body(a) {
                    set_default(m, "stream_enabled", json!(true));
                    set_default(m, "stream_view_type", json!("NEW_AND_OLD_IMAGES"));
                }
                format!("{la}.stream_arn")
            } else {
                format!("{la}.{}", tf_arn(ka))
            };
            body.insert("event_source_arn".into(), ex(&src));
            body.insert("function_name".into(), ex(&format!("{lb}.{}", tf_arn(kb))));
            body.extend(links::fixed(props));
            w.add(
                b,
                "aws_lambda_event_source_mapping",
                &format!("{na}_to_{nb}"),
                body,
            );
            let actions = recipes::poll_actions(ka).unwrap_or_default();
            if let Some(role) = role_of(w, b) {
                let sid = format!("Poll{}", pascal_case(&na));
                grant(w, b, &role, statement(&sid, actions, ex(&src)));
            } else {
                w.warn(format!(
                    "{b}: its role is not one this sketch writes; give it {} on {a}",
                    actions.join(", ")
                ));
            }
        }
        links::Glue::Notification { list, key } => {
            let n = match w.find_by_ref("aws_s3_bucket_notification", "bucket", a) {
                Some(n) => n,
                None => {
                    let mut body = Map::new();
                    body.insert("bucket".into(), ex(&format!("{la}.id")));
                    w.add(a, "aws_s3_bucket_notification", &na, body)
                }
            };
            let mut cfg = Map::new();
            cfg.insert((*key).into(), ex(&format!("{lb}.{}", tf_arn(kb))));
            cfg.insert("events".into(), json!(["s3:ObjectCreated:*"]));
            if let Some(m) = w.body(&n) {
                push(m, list, Value::Object(cfg));
            }
            reach(w, l.reach, (a, ka), (b, kb));
            // A bucket checks its notifications' permissions when it is
            // configured, so the permission comes first.
            if matches!(l.reach, links::Reach::Permission(_)) {
                let perm = w
                    .items
                    .iter()
                    .rev()
                    .find(|i| i.type_name == "aws_lambda_permission")
                    .map(|i| local(&i.id).to_string());
                if let (Some(p), Some(m)) = (perm, w.body(&n)) {
                    push(m, "depends_on", ex(&p));
                }
            }
        }
        links::Glue::Subscription { protocol } => {
            let mut body = Map::new();
            body.insert("topic_arn".into(), ex(&format!("{la}.{}", tf_arn(ka))));
            body.insert("protocol".into(), json!(protocol));
            body.insert("endpoint".into(), ex(&format!("{lb}.{}", tf_arn(kb))));
            w.add(
                a,
                "aws_sns_topic_subscription",
                &format!("{na}_to_{nb}"),
                body,
            );
            reach(w, l.reach, (a, ka), (b, kb));
        }
        links::Glue::LogFilter => {
            let mut body = Map::new();
            body.insert(
                "name".into(),
                json!(format!("{}-to-{}", kebab(&na), kebab(&nb))),
            );
            body.insert("log_group_name".into(), ex(&format!("{la}.name")));
            body.insert("filter_pattern".into(), json!(""));
            body.insert(
                "destination_arn".into(),
                ex(&format!("{lb}.{}", tf_arn(kb))),
            );
            w.add(
                a,
                "aws_cloudwatch_log_subscription_filter",
                &format!("{na}_to_{nb}"),
                body,
            );
            // Logs names the log group's streams.
            let source = json!(format!("${{{la}.{}}}:*", tf_arn(ka)));
            reach_from(w, l.reach, (a, source), (b, kb));
        }
        links::Glue::Target { role } => {
            let ty = w.get(a).map(|i| i.type_name.clone()).unwrap_or_default();
            match ty.as_str() {
                "aws_cloudwatch_event_rule" => event_target(w, (a, ka), (b, kb), l.reach, role),
                "aws_scheduler_schedule" => schedule_target(w, a, b, role),
                _ => return false,
            }
        }
        links::Glue::Hook { key } => {
            let Some(m) = w.body(a) else { return false };
            let cfg = m
                .entry("lambda_config".to_string())
                .or_insert_with(|| json!([{}]));
            let Some(c) = cfg.get_mut(0).and_then(Value::as_object_mut) else {
                return false;
            };
            if c.contains_key(*key) {
                return false;
            }
            c.insert((*key).into(), ex(&format!("{lb}.{}", tf_arn(kb))));
            reach(w, l.reach, (a, ka), (b, kb));
        }
    }
    true
}

/// A rule's target, and what lets EventBridge reach it: the link's reach,
/// or else a role holding `actions` on the target.
fn event_target(
    w: &mut Work,
    (a, ka): (&str, Kind),
    (b, kb): (&str, Kind),
    how: links::Reach,
    actions: &[&str],
) {
    let la = reference(w, a);
    let (na, nb) = (name_of(a), name_of(b));
    let mut body = Map::new();
    body.insert("rule".into(), ex(&format!("{la}.name")));
    if let Some(bus) = w.get(a).and_then(|i| i.body.get("event_bus_name")).cloned() {
        body.insert("event_bus_name".into(), bus);
    }
    body.insert("arn".into(), ex(&arn(w, b)));
    if how != links::Reach::Nothing {
        reach(w, how, (a, ka), (b, kb));
    } else if !actions.is_empty() {
        let res = ex(&arn(w, b));
        let role = service_role(w, a, "events", "events.amazonaws.com");
        grant(
            w,
            a,
            &role,
            statement(&format!("Target{}", pascal_case(&nb)), actions, res),
        );
        body.insert("role_arn".into(), ex(&format!("{}.arn", local(&role))));
    } else if kb == Kind::LogGroup {
        // CloudWatch Logs takes no role: a resource policy lets
        // EventBridge write to the group.
        let lb = reference(w, b);
        let mut p = Map::new();
        p.insert(
            "policy_name".into(),
            json!(w.physical(&format!("{}-events", kebab(&nb)))),
        );
        p.insert(
            "policy_document".into(),
            jsonencode(json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]},
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": format!("${{{lb}.arn}}:*"),
                }],
            })),
        );
        w.add(
            b,
            "aws_cloudwatch_log_resource_policy",
            &format!("{nb}_from_{na}"),
            p,
        );
    }
    if let Some(t) = w.event_targets.get(a) {
        for (k, v) in t {
            body.insert(k.clone(), v.clone());
        }
    }
    w.add(
        a,
        "aws_cloudwatch_event_target",
        &format!("{na}_to_{nb}"),
        body,
    );
}

/// A schedule's one target, reached through a role holding `actions` on it.
fn schedule_target(w: &mut Work, a: &str, b: &str, actions: &[&str]) {
    if w.get(a).is_some_and(|i| i.body.contains_key("target")) {
        w.warn(format!(
            "{a}: a schedule has one target; the connection to {b} is kept in the sketch only"
        ));
        return;
    }
    let nb = name_of(b);
    let role = service_role(w, a, "scheduler", "scheduler.amazonaws.com");
    grant(
        w,
        a,
        &role,
        statement(
            &format!("Target{}", pascal_case(&nb)),
            actions,
            ex(&arn(w, b)),
        ),
    );
    let mut target = json!({"arn": format!("${{{}}}", arn(w, b)), "role_arn": format!("${{{}.arn}}", local(&role))});
    if let (Some(t), Some(settings)) = (target.as_object_mut(), w.event_targets.get(a)) {
        for (k, v) in settings {
            if k != "role_arn" {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    let target = json!([target]);
    if let Some(m) = w.body(a) {
        m.insert("target".into(), target);
    }
}

/// The attribute holding a service's ARN.
fn tf_arn(k: Kind) -> &'static str {
    recipes::target(k).map_or("arn", |t| t.tf_arn)
}

/// Lets the source's service reach the target: an invoke permission on a
/// function, a statement in a queue's or topic's policy.
fn reach(w: &mut Work, how: links::Reach, (a, ka): (&str, Kind), (b, kb): (&str, Kind)) {
    let source = ex(&format!("{}.{}", reference(w, a), tf_arn(ka)));
    reach_from(w, how, (a, source), (b, kb));
}

/// The same, with the source's ARN as the permission names it.
fn reach_from(w: &mut Work, how: links::Reach, (a, source): (&str, Value), (b, kb): (&str, Kind)) {
    match how {
        links::Reach::Nothing => {}
        links::Reach::Permission(principal) => permission(w, b, a, principal, source),
        links::Reach::Policy(principal) => {
            let Some((_, g)) = recipes::access(kb, ConnectionKind::Write) else {
                return;
            };
            resource_policy(w, b, principal, g.actions[0], a);
        }
    }
}

/// Grants a function or state machine what a connection needs on its role,
/// and hands a function the resource's name in an environment variable.
fn grant_access(w: &mut Work, a: &str, (b, kb): (&str, Kind), kind: ConnectionKind) -> bool {
    grant_access_with(w, a, (b, kb), kind, true)
}

/// A function's dead-letter queue (or topic): its `dead_letter_config`,
/// with the sending granted on its role and no environment variable (the
/// code calls nothing).
fn failure_destination(w: &mut Work, a: &str, (b, kb): (&str, Kind), kind: ConnectionKind) -> bool {
    let is_lambda = w
        .get(a)
        .is_some_and(|i| i.type_name == "aws_lambda_function");
    if !is_lambda || !matches!(kb.word(), "queue" | "topic") {
        return false;
    }
    if w.get(a)
        .is_some_and(|i| i.body.contains_key("dead_letter_config"))
    {
        w.refuse(
            a,
            b,
            kind,
            format!("{a} already sends what it fails on elsewhere (dead_letter_config)"),
        );
        return false;
    }
    if !grant_access_with(w, a, (b, kb), kind, false) {
        return false;
    }
    let lb = reference(w, b);
    if let Some(m) = w.body(a) {
        m.insert(
            "dead_letter_config".into(),
            json!([{"target_arn": format!("${{{lb}.arn}}")}]),
        );
    }
    true
}

fn grant_access_with(
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
    with_env: bool,
) -> bool {
    let Some((t, g)) = recipes::access(kb, kind) else {
        return false;
    };
    if let Some(done) = grant_into_registry_lambda(w, a, (b, kb), kind, with_env) {
        return done;
    }
    let lb = reference(w, b);
    let nb = name_of(b);
    if registry_call(w, b).is_some() {
        return grant_on_role_to_module(w, a, (b, kb), kind, with_env);
    }
    let Some(role) = role_of(w, a) else {
        let why = match w
            .get(a)
            .and_then(|i| i.body.get("role").or_else(|| i.body.get("role_arn")))
        {
            None => "it names no role".to_string(),
            Some(v) => format!(
                "its role ({}) is not an aws_iam_role written in this folder",
                v.as_str().unwrap_or("an expression")
            ),
        };
        w.refuse(
            a,
            b,
            kind,
            format!(
                "{a} cannot be granted access here: {why}; give its role {} on {b}",
                g.actions.join(", ")
            ),
        );
        return false;
    };
    let st = recipes::statement(&recipes::sid(kind, &nb), g, recipes::tf_resource(t, &lb));
    grant(w, a, &role, st);
    let Some(env) = t
        .env
        .as_ref()
        .filter(|_| with_env && w.get(a).is_some_and(|i| i.kind.word() == "function"))
    else {
        return true;
    };
    let value = ex(&format!("{lb}.{}", env.tf));
    set_env(w, a, &recipes::env_name(&nb, kb), value, &lb);
    true
}

/// The well-known registry module a module call `id` makes, with the call's
/// arguments.
fn registry_call<'a>(w: &'a Work, id: &str) -> Option<(&'static super::registry::Module, &'a Map)> {
    let item = w.get(id)?;
    if !local(id).starts_with("module.") {
        return None;
    }
    let source = item.body.get("source")?.as_str()?;
    Some((super::registry::module(source)?, &item.body))
}

/// An attribute of a service as an expression: `aws_sqs_queue.jobs.arn`,
/// or the registry module's output for it (`module.jobs.queue_arn`).
/// `None` for a module whose outputs are not known here.
fn attribute(w: &Work, id: &str, attr: &str) -> Option<String> {
    match registry_call(w, id) {
        Some((m, props)) => {
            let out = super::registry::output(m, attr, props)?;
            Some(format!("{}.{out}", local(id)))
        }
        None if local(id).starts_with("module.") => None,
        None => Some(format!("{}.{attr}", reference(w, id))),
    }
}

/// What a grant on `b` covers, through its module's outputs when it is a
/// registry module call.
fn grant_resource(w: &Work, b: &str, t: &recipes::Target) -> Option<Value> {
    let arn = format!("${{{}}}", attribute(w, b, t.tf_arn)?);
    Some(match t.children {
        None => json!(arn),
        Some(c) => json!([arn.clone(), format!("{arn}{c}")]),
    })
}

/// A grant to a registry module's service from a function with a role of
/// its own in this folder: the statement names the module's outputs.
fn grant_on_role_to_module(
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
    with_env: bool,
) -> bool {
    let Some((t, g)) = recipes::access(kb, kind) else {
        return false;
    };
    let (Some(role), Some(resource)) = (role_of(w, a), grant_resource(w, b, t)) else {
        w.refuse(a, b, kind, format!(
                "{a} cannot be granted access to {b} here: the role or the module's outputs are not known; give its role {} on {b} by hand",
                g.actions.join(", ")
            ));
        return false;
    };
    let nb = name_of(b);
    grant(
        w,
        a,
        &role,
        recipes::statement(&recipes::sid(kind, &nb), g, resource),
    );
    if let Some(env) = t.env.as_ref().filter(|_| with_env) {
        if let Some(v) = attribute(w, b, env.tf) {
            set_env(w, a, &recipes::env_name(&nb, kb), ex(&v), local(b));
        }
    }
    true
}

/// A function made by the terraform-aws-modules lambda module has its role
/// inside the module: a grant is one more of the call's `policy_statements`
/// (with `attach_policy_statements`), the environment variable one more of
/// its `environment_variables`. `None` when `a` is no such call.
fn grant_into_registry_lambda(
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
    with_env: bool,
) -> Option<bool> {
    let (m, _) = registry_call(w, a)?;
    if m.name != "lambda" {
        return None;
    }
    let (t, g) = recipes::access(kb, kind)?;
    let Some(resource) = grant_resource(w, b, t) else {
        w.refuse(a, b, kind, format!(
                "{b}'s module outputs are not known here; add a policy statement for {} on it to {a}'s policy_statements by hand",
                g.actions.join(", ")
            ));
        return Some(false);
    };
    let resources = match resource {
        Value::Array(list) => Value::Array(list),
        one => json!([one]),
    };
    let nb = name_of(b);
    let env_value = t
        .env
        .as_ref()
        .filter(|_| with_env)
        .and_then(|e| attribute(w, b, e.tf));
    let body = w.body(a)?;
    match body.get("attach_policy_statements") {
        None => {
            body.insert("attach_policy_statements".into(), json!(true));
        }
        Some(v) if *v == json!(true) || *v == json!("true") => {}
        Some(_) => {
            w.refuse(a, b, kind, format!(
                    "{a} sets attach_policy_statements to something other than true; a statement added to its policy_statements would not be attached"
                ));
            return Some(false);
        }
    }
    let statements = body
        .entry("policy_statements".to_string())
        .or_insert_with(|| json!({}));
    let Some(statements) = statements.as_object_mut() else {
        w.refuse(a, b, kind, format!("{a}'s policy_statements is an expression, not a map; add the statement to it by hand"));
        return Some(false);
    };
    let base = snake_case(&recipes::sid(kind, &nb));
    let mut key = base.clone();
    let mut n = 2;
    while statements.contains_key(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    statements.insert(
        key,
        json!({"effect": "Allow", "actions": g.actions, "resources": resources}),
    );
    if let Some(v) = env_value {
        let body = w.body(a)?;
        let vars = body
            .entry("environment_variables".to_string())
            .or_insert_with(|| json!({}));
        if let Some(vars) = vars.as_object_mut() {
            let names = local(b);
            let named = vars
                .values()
                .any(|x| x.as_str().is_some_and(|s| s.contains(&format!("{names}."))));
            if !named {
                let name = recipes::env_name(&nb, kb);
                let mut k = name.clone();
                let mut i = 2;
                while vars.contains_key(&k) {
                    k = format!("{name}{i}");
                    i += 1;
                }
                vars.insert(k, ex(&v));
            }
        }
    }
    Some(true)
}

/// Hands function `a` a value in an environment variable named `name` (or
/// the next free name), unless one already refers to `names`.
fn set_env(w: &mut Work, a: &str, name: &str, value: Value, names: &str) {
    let Some(m) = w.body(a) else { return };
    let e = m
        .entry("environment".to_string())
        .or_insert_with(|| json!([{}]));
    let Some(e) = e.get_mut(0).and_then(Value::as_object_mut) else {
        return;
    };
    let vars = e
        .entry("variables".to_string())
        .or_insert_with(|| json!({}));
    let Some(vars) = vars.as_object_mut() else {
        return;
    };
    let named = vars.values().any(|v| {
        v.as_str().is_some_and(|s| {
            text::template_chains(s)
                .iter()
                .any(|c| c.parts.len() >= 2 && format!("{}.{}", c.parts[0], c.parts[1]) == names)
        })
    });
    if named {
        return;
    }
    let mut key = name.to_string();
    let mut n = 2;
    while vars.contains_key(&key) {
        key = format!("{name}{n}");
        n += 1;
    }
    vars.insert(key, value);
}

/// Grants a function inside a local module access to a service of the root
/// module: the service's ARN (and name) go in as module inputs, the grant
/// and the environment variable inside the module. A module whose code
/// other calls share is not edited: the grant would reach them all.
fn grant_into_module(w: &mut Work, a: &str, (b, kb): (&str, Kind), kind: ConnectionKind) {
    let Some((t, g)) = recipes::access(kb, kind) else {
        return;
    };
    let scope = scope_of(a).to_string();
    let call = scope.trim_end_matches('.').to_string();
    let refuse = |w: &mut Work, why: String| {
        w.refuse(
            a,
            b,
            kind,
            format!("{a} cannot be granted access here: {why}"),
        );
    };
    if scope.matches("module.").count() != 1 {
        refuse(
            w,
            format!(
                "it sits in a nested module; pass {b}'s ARN down through each module and grant it on the function's role by hand"
            ),
        );
        return;
    }
    let source = w
        .sections
        .get(&call)
        .and_then(|c| c.get("source"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !(source.starts_with("./") || source.starts_with("../")) {
        refuse(
            w,
            format!("its module comes from `{source}`, not from a folder here"),
        );
        return;
    }
    let calls = w
        .sections
        .iter()
        .filter(|(k, v)| {
            k.starts_with("module.")
                && k.matches('.').count() == 1
                && v.get("source").and_then(Value::as_str) == Some(source.as_str())
        })
        .count();
    if calls > 1 {
        refuse(
            w,
            format!(
                "{source} is used by {calls} module calls, so a grant inside it would reach them all; add a variable for {b}'s ARN to the module, pass it in each call, and grant it on the function's role by hand"
            ),
        );
        return;
    }
    let Some(role) = role_of(w, a) else {
        refuse(
            w,
            "its role is not an aws_iam_role written in its module".to_string(),
        );
        return;
    };
    let lb = reference(w, b);
    let nb = name_of(b);
    // A module input per value the module needs from outside.
    let input = |w: &mut Work, suffix: &str, attr: &str| -> String {
        let base = format!("{nb}_{suffix}");
        let mut name = base.clone();
        let mut n = 2;
        while w.sections.contains_key(&format!("{scope}variable.{name}")) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let mut var = Map::new();
        var.insert("description".into(), json!(format!("{attr} of {b}")));
        var.insert("type".into(), ex("string"));
        w.sections
            .insert(format!("{scope}variable.{name}"), Value::Object(var));
        if let Some(Value::Object(args)) = w.sections.get_mut(&call) {
            args.insert(name.clone(), ex(&format!("{lb}.{attr}")));
        }
        name
    };
    let arn_var = input(w, "arn", t.tf_arn);
    let arn = format!("${{var.{arn_var}}}");
    let resource = match t.children {
        None => json!(arn),
        Some(c) => json!([arn.clone(), format!("{arn}{c}")]),
    };
    grant(
        w,
        a,
        &role,
        recipes::statement(&recipes::sid(kind, &nb), g, resource),
    );
    if let Some(env) = t
        .env
        .as_ref()
        .filter(|_| w.get(a).is_some_and(|i| i.kind.word() == "function"))
    {
        let v = if env.tf == t.tf_arn {
            arn_var
        } else {
            input(w, env.tf, env.tf)
        };
        set_env(
            w,
            a,
            &recipes::env_name(&nb, kb),
            ex(&format!("var.{v}")),
            &format!("var.{v}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_from_labels() {
        assert_eq!(
            route_of(Some("GET /orders/{id}"), "aws_lambda_function.f"),
            ("GET".to_string(), "/orders/{id}".to_string())
        );
        assert_eq!(
            route_of(None, "aws_lambda_function.get_order"),
            ("ANY".to_string(), "/get-order".to_string())
        );
        assert_eq!(route_name("GET", "/orders/{id}"), "get_orders_id");
    }
}
