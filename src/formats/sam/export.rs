//! Sketch to SAM. Each service becomes a resource; connections drawn by the
//! user become idiomatic SAM (an `SQS` event on the function a queue feeds, a
//! `DynamoDBCrudPolicy` plus an environment variable for a function writing a
//! table, a subscription for a topic feeding a queue, ...). When the sketch
//! came from a template, the result is written over that template's text so
//! untouched resources keep their bytes.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::json;

use super::import::{FOR_EACH, IMPLICIT_HTTP_API, IMPLICIT_REST_API, parse_document, service_from};
use crate::catalog::Kind;
use crate::formats::names::{pascal_case, snake_case};
use crate::formats::recipes::{self, links};
use crate::formats::{Output, Unwritten, patch, refs, yaml};
use crate::model::Dialect;
use crate::model::{ConnectionKind, Map, Service, Sketch, Value};

const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

fn r#ref(id: &str) -> Value {
    json!({ "Ref": id })
}
fn getatt(id: &str, attr: &str) -> Value {
    json!({ "Fn::GetAtt": [id, attr] })
}

/// The resources being written, in order, with what is known of each.
struct Work {
    order: Vec<String>,
    res: HashMap<String, Value>,
    kinds: HashMap<String, Kind>,
    /// Services written as events on another resource instead of on their own.
    absorbed: HashSet<String>,
    warnings: Vec<String>,
    unwritten: Vec<Unwritten>,
}

impl Work {
    /// Records a drawn connection this file cannot be made to hold, and why.
    fn refuse(&mut self, from: &str, to: &str, kind: ConnectionKind, reason: String) {
        self.unwritten.push(Unwritten {
            from: from.to_string(),
            to: to.to_string(),
            kind,
            reason,
        });
    }

    fn props(&mut self, id: &str) -> Option<&mut Map> {
        let r = self.res.get_mut(id)?.as_object_mut()?;
        let p = r
            .entry("Properties")
            .or_insert_with(|| Value::Object(Map::new()));
        p.as_object_mut()
    }
    fn type_of(&self, id: &str) -> &str {
        self.res
            .get(id)
            .and_then(|r| r.get("Type"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    fn add(&mut self, id: String, resource: Map) {
        if !self.res.contains_key(&id) {
            self.order.push(id.clone());
            self.res.insert(id, Value::Object(resource));
        }
    }
    fn unique_key(map: &Map, base: &str) -> String {
        if !map.contains_key(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|k| !map.contains_key(k))
            .expect("a free key")
    }
}

/// Writes the sketch as a SAM template.
pub fn export(sketch: &Sketch) -> Output {
    // A sketch in Terraform's words is translated first.
    if crate::formats::translate::needs_sam(sketch) {
        let mut warnings = Vec::new();
        let translated = crate::formats::translate::to_sam(sketch, &mut warnings);
        let mut out = export(&translated);
        warnings.append(&mut out.warnings);
        out.warnings = warnings;
        return out;
    }
    let baseline = sketch
        .source
        .as_ref()
        .filter(|s| s.dialect == Dialect::Sam && s.files.len() == 1)
        .and_then(|s| s.files.iter().next())
        .map(|(n, t)| (n.clone(), t.clone()));
    let base_doc = baseline
        .as_ref()
        .and_then(|(n, t)| parse_document(n, t).ok());
    let no_resources = Map::new();
    let base_res: &Map = base_doc
        .as_ref()
        .and_then(|d| d.get("Resources"))
        .and_then(Value::as_object)
        .unwrap_or(&no_resources);

    let mut w = Work {
        order: Vec::new(),
        res: HashMap::new(),
        kinds: HashMap::new(),
        absorbed: HashSet::new(),
        warnings: Vec::new(),
        unwritten: Vec::new(),
    };
    for s in sketch.services() {
        w.kinds.insert(s.id.clone(), s.kind);
        if s.implicit {
            continue;
        }
        match compose(s, base_res.get(&s.id)) {
            Some(r) => {
                w.order.push(s.id.clone());
                w.res.insert(s.id.clone(), r);
            }
            None => w.warnings.push(format!(
                "{} ({}) has no SAM/CloudFormation equivalent; it is kept in the sketch but not written",
                s.id, s.type_name
            )),
        }
    }
    let globals = sketch
        .sections
        .get("Globals")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // New: not in the template read, or deleted and added again under the
    // same name (a different type, or nothing left of what the file said).
    let new_ids: HashSet<String> = w
        .order
        .iter()
        .filter(|id| match (base_res.get(*id), sketch.service(id)) {
            (None, _) => true,
            (Some(b), Some(s)) => {
                b.get("Type").and_then(Value::as_str) != Some(s.type_name.as_str())
                    || (s.properties.is_empty()
                        && b.get("Properties")
                            .and_then(Value::as_object)
                            .is_some_and(|p| !p.is_empty()))
            }
            (Some(_), None) => false,
        })
        .cloned()
        .collect();
    for id in &w.order.clone() {
        if new_ids.contains(id) {
            let kind = w.kinds[id];
            if let Some(p) = w.props(id) {
                add_defaults(id, kind, p, &globals);
            }
            // A new schedule is an EventBridge rule with a schedule expression:
            // its targets need no role of their own.
            if kind.word() == "schedule" && w.type_of(id) == "AWS::Scheduler::Schedule" {
                let r = w
                    .res
                    .get_mut(id)
                    .and_then(Value::as_object_mut)
                    .expect("composed");
                let has_target = r.get("Properties").and_then(|p| p.get("Target")).is_some();
                if !has_target {
                    r.insert("Type".into(), json!("AWS::Events::Rule"));
                }
            }
        }
    }
    materialize(sketch, &mut w, &new_ids);

    // Resources as a map, in order.
    let mut resources = Map::new();
    for id in &w.order {
        if w.absorbed.contains(id) {
            continue;
        }
        let mut r = w.res.remove(id).expect("composed");
        if let Value::Object(m) = &mut r {
            if m.get("Properties")
                .and_then(Value::as_object)
                .is_some_and(Map::is_empty)
                && !base_res.get(id).is_some_and(|b| {
                    // Kept only where the template itself said `Properties: {}`.
                    b.get("Properties")
                        .is_some_and(|p| p.as_object().is_none_or(Map::is_empty))
                })
            {
                m.shift_remove("Properties");
            }
        }
        resources.insert(id.clone(), r);
    }
    // Ids that were in the template or sketch and are not written now.
    let gone: HashSet<String> = base_res
        .keys()
        .map(String::as_str)
        .chain(
            sketch
                .services()
                .filter(|s| !s.implicit)
                .map(|s| s.id.as_str()),
        )
        .filter(|id| !resources.contains_key(*id))
        .map(str::to_string)
        .collect();
    prune_dangling(&mut resources, &gone);
    if resources.is_empty() && !base_res.is_empty() {
        w.warnings.push(
            "no resource is left: CloudFormation needs at least one to deploy this template"
                .to_string(),
        );
    }

    // The document, sections in their original order.
    let mut sections = sketch.sections.clone();
    prune_outputs(&mut sections, &gone);
    let mut doc = Map::new();
    match &base_doc {
        Some(Value::Object(b)) => {
            for (k, v) in b {
                if k == "Resources" {
                    let keep_empty = resources.is_empty() && !v.is_object();
                    doc.insert(
                        k.clone(),
                        if keep_empty {
                            v.clone()
                        } else {
                            Value::Object(resources.clone())
                        },
                    );
                } else if let Some(v) = sections.get(k) {
                    doc.insert(k.clone(), v.clone());
                }
            }
            for (k, v) in &sections {
                if !doc.contains_key(k) {
                    doc.insert(k.clone(), v.clone());
                }
            }
            if !doc.contains_key("Resources") && !resources.is_empty() {
                doc.insert("Resources".into(), Value::Object(resources.clone()));
            }
        }
        _ => {
            doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
            doc.insert("Transform".into(), json!(SAM_TRANSFORM));
            let desc = sketch
                .name
                .as_deref()
                .map(|n| format!("{n} (sketched with stacksketch)"))
                .unwrap_or_else(|| "Sketched with stacksketch".to_string());
            doc.insert("Description".into(), json!(desc));
            for (k, v) in &sections {
                // Terraform sections (variables, locals, ...) do not carry over.
                if is_cfn_section(k) && k != "Outputs" {
                    doc.insert(k.clone(), v.clone());
                }
            }
            doc.insert("Resources".into(), Value::Object(resources.clone()));
            match sections.get("Outputs") {
                Some(o) if is_cfn_outputs(o) => {
                    doc.insert("Outputs".into(), o.clone());
                }
                Some(_) => {}
                None => {
                    // What a client needs to reach what the sketch drew.
                    let outputs = outputs_for(sketch, &resources);
                    if !outputs.is_empty() {
                        doc.insert("Outputs".into(), Value::Object(outputs));
                    }
                }
            }
        }
    }
    let serverless = |rs: &Map| {
        rs.values().any(|r| {
            r.get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("AWS::Serverless::"))
        })
    };
    // A template that already used SAM types without the transform is left as it was.
    if serverless(&resources) && !serverless(base_res) && !has_sam_transform(doc.get("Transform")) {
        let t = match doc.shift_remove("Transform") {
            None => json!(SAM_TRANSFORM),
            Some(Value::Array(mut a)) => {
                a.push(json!(SAM_TRANSFORM));
                Value::Array(a)
            }
            Some(other) => json!([other, SAM_TRANSFORM]),
        };
        // The transform goes at the top, after the format version if there is one.
        let mut d = Map::new();
        if !doc.contains_key("AWSTemplateFormatVersion") {
            d.insert("Transform".into(), t.clone());
        }
        for (k, v) in doc {
            let is_version = k == "AWSTemplateFormatVersion";
            d.insert(k, v);
            if is_version {
                d.insert("Transform".into(), t.clone());
            }
        }
        doc = d;
    }
    let doc = Value::Object(doc);

    let (name, text) = match (&baseline, &base_doc) {
        (Some((n, t)), Some(old)) => {
            let json = t
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{');
            let patched = if json {
                patch::json_document(t, old, &doc)
            } else {
                patch::yaml_document(t, old, &doc)
            };
            match patched {
                Some(p) => (n.clone(), p),
                None => {
                    w.warnings.push(format!("{n}: the original layout could not be followed; the template was written anew"));
                    (
                        n.clone(),
                        if json {
                            pretty_json(&doc)
                        } else {
                            fresh_yaml(&doc)
                        },
                    )
                }
            }
        }
        _ => ("template.yaml".to_string(), fresh_yaml(&doc)),
    };
    let mut out = Output::single(&name, text, w.warnings);
    out.unwritten = w.unwritten;
    out
}

/// Outputs naming each service the way its clients need it (an API's URL,
/// a queue's URL, a table's name, a topic's ARN, ...), as the Terraform
/// skeleton writes them.
fn outputs_for(sketch: &Sketch, resources: &Map) -> Map {
    let url = |path: &str| json!({"Fn::Sub": format!("https://${{{path}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/")});
    let mut out = Map::new();
    for s in sketch.services() {
        let id = s.id.as_str();
        let (suffix, value, description) = match (s.kind.word(), s.implicit) {
            ("api", true) if id == "ServerlessRestApi" => (
                "Url",
                json!({"Fn::Sub": "https://${ServerlessRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/"}),
                "the API's URL",
            ),
            ("httpapi", true) if id == "ServerlessHttpApi" => ("Url", url(id), "the API's URL"),
            (_, true) => continue,
            ("api", false) => {
                let stage = resources
                    .get(id)
                    .and_then(|r| r.get("Properties"))
                    .and_then(|p| p.get("StageName"))
                    .and_then(Value::as_str);
                match stage {
                    Some(stage) => (
                        "Url",
                        json!({"Fn::Sub": format!("https://${{{id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage}/")}),
                        "the API's URL",
                    ),
                    None => continue,
                }
            }
            ("httpapi", false) => ("Url", url(id), "the API's URL"),
            ("function", false) => ("Arn", getatt(id, "Arn"), "the function's ARN"),
            ("stream", false) => ("Arn", getatt(id, "Arn"), "the stream's ARN"),
            ("key", false) => ("Arn", getatt(id, "Arn"), "the key's ARN"),
            ("topic", false) => ("Arn", r#ref(id), "the topic's ARN"),
            ("statemachine", false) => ("Arn", r#ref(id), "the state machine's ARN"),
            ("secret", false) => ("Arn", r#ref(id), "the secret's ARN"),
            ("queue", false) => ("Url", r#ref(id), "the queue's URL"),
            ("bucket", false) => ("Name", r#ref(id), "the bucket's name"),
            ("table", false) => ("Name", r#ref(id), "the table's name"),
            ("eventbus", false) => ("Name", r#ref(id), "the event bus's name"),
            ("userpool", false) => ("Id", r#ref(id), "the user pool's id"),
            ("cdn", false) => (
                "Domain",
                getatt(id, "DomainName"),
                "the distribution's domain name",
            ),
            _ => continue,
        };
        let Some(resource) = resources.get(id) else {
            continue;
        };
        let mut o = Map::new();
        o.insert(
            "Description".into(),
            json!(format!("{} ({id})", capitalized(description))),
        );
        o.insert("Value".into(), value);
        if let Some(c) = resource.get("Condition") {
            o.insert("Condition".into(), c.clone());
        }
        let key = Work::unique_key(
            &out,
            &format!("{}{suffix}", crate::formats::names::pascal_case(id)),
        );
        out.insert(key, Value::Object(o));
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn has_sam_transform(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s == SAM_TRANSFORM,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(SAM_TRANSFORM)),
        _ => false,
    }
}

fn is_cfn_section(k: &str) -> bool {
    matches!(
        k,
        "AWSTemplateFormatVersion"
            | "Transform"
            | "Description"
            | "Metadata"
            | "Parameters"
            | "Mappings"
            | "Conditions"
            | "Rules"
            | "Globals"
            | "Outputs"
    )
}

fn is_cfn_outputs(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.values().all(|o| o.get("Value").is_some()))
}

fn pretty_json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// A fresh template: top-level sections and resources separated by blank lines.
fn fresh_yaml(doc: &Value) -> String {
    let mut out = String::new();
    let Value::Object(m) = doc else {
        return yaml::to_string(doc);
    };
    for (i, (k, v)) in m.iter().enumerate() {
        let is_block = matches!(v, Value::Object(x) if !x.is_empty());
        if i > 0 && is_block {
            out.push('\n');
        }
        if (k == "Resources" || k == "Outputs") && is_block {
            out.push_str(&format!("{k}:\n"));
            for (j, (rk, rv)) in v.as_object().expect("object").iter().enumerate() {
                if j > 0 {
                    out.push('\n');
                }
                out.push_str(&yaml::entry_to_string(rk, rv, 2));
            }
        } else {
            out.push_str(&yaml::entry_to_string(k, v, 0));
        }
    }
    out
}

/// A service as a resource mapping; `None` when SAM has no type for it.
fn compose(s: &Service, base: Option<&Value>) -> Option<Value> {
    if let Some(b) = base {
        let was = service_from(&s.id, b.clone());
        if was.type_name == s.type_name
            && was.properties == s.properties
            && was.attributes == s.attributes
        {
            return Some(b.clone());
        }
    }
    if s.type_name == FOR_EACH {
        return s.attributes.get(FOR_EACH).cloned();
    }
    let from_cfn = Dialect::of_type(&s.type_name) == Some(Dialect::Sam);
    let cfn_type = if from_cfn {
        s.type_name.clone()
    } else {
        s.kind.entry().cfn_types.first()?.to_string()
    };
    let mut r = Map::new();
    r.insert("Type".into(), Value::String(cfn_type));
    let props = if from_cfn {
        s.properties.clone()
    } else {
        Map::new()
    };
    r.insert("Properties".into(), Value::Object(props));
    if from_cfn {
        for (k, v) in &s.attributes {
            r.insert(k.clone(), v.clone());
        }
    }
    // Keep the original key order of the resource, so an unchanged one
    // compares and writes as it was.
    if let Some(Value::Object(b)) = base {
        let mut ordered = Map::new();
        for k in b.keys() {
            if let Some(v) = r.shift_remove(k) {
                ordered.insert(k.clone(), v);
            }
        }
        for (k, v) in r {
            ordered.insert(k, v);
        }
        return Some(Value::Object(ordered));
    }
    Some(Value::Object(r))
}

/// What a new service needs to be a valid resource.
fn add_defaults(id: &str, kind: Kind, p: &mut Map, globals: &Map) {
    // What `Globals` already gives every resource of this type is not repeated.
    let global = match kind.word() {
        "function" => globals.get("Function"),
        "api" => globals.get("Api"),
        "httpapi" => globals.get("HttpApi"),
        "statemachine" => globals.get("StateMachine"),
        "table" => globals.get("SimpleTable"),
        _ => None,
    }
    .and_then(Value::as_object)
    .cloned()
    .unwrap_or_default();
    // Drawn in the sketch rather than brought from another file.
    let blank = p.is_empty();
    let is_image = p.get("PackageType").and_then(Value::as_str) == Some("Image");
    let has_definition = ["DefinitionUri", "DefinitionString", "DefinitionS3Location"]
        .iter()
        .any(|k| p.contains_key(*k));
    let mut set = |k: &str, v: Value| {
        if !p.contains_key(k) && !global.contains_key(k) {
            p.insert(k.to_string(), v);
        }
    };
    match kind.word() {
        "function" => {
            // A container image brings its own code, handler and runtime.
            if !is_image {
                set("CodeUri", json!(format!("src/{}/", snake_case(id))));
                set("Handler", json!("app.handler"));
                set("Runtime", json!("python3.13"));
            }
            set("MemorySize", json!(128));
            set("Timeout", json!(10));
            if blank {
                // Graviton: cheaper per GB-second, as `sam init` suggests.
                set("Architectures", json!(["arm64"]));
            }
        }
        "table" => {
            set("BillingMode", json!("PAY_PER_REQUEST"));
            set(
                "AttributeDefinitions",
                json!([{"AttributeName": "id", "AttributeType": "S"}]),
            );
            set(
                "KeySchema",
                json!([{"AttributeName": "id", "KeyType": "HASH"}]),
            );
        }
        "stream" => set("StreamModeDetails", json!({"StreamMode": "ON_DEMAND"})),
        "statemachine" if !has_definition => {
            set(
                "Definition",
                json!({"StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": true}}}),
            );
        }
        "eventbus" => set(
            "Name",
            json!({"Fn::Sub": format!("${{AWS::StackName}}-{}", snake_case(id).replace('_', "-"))}),
        ),
        "rule" => {
            set(
                "EventPattern",
                json!({"source": [format!("{}.events", snake_case(id).replace('_', "."))]}),
            );
            set("State", json!("ENABLED"));
        }
        "schedule" => {
            set("ScheduleExpression", json!("rate(1 hour)"));
            set("State", json!("ENABLED"));
        }
        "api" => set("StageName", json!("prod")),
        "websocket" => {
            set(
                "Name",
                json!({"Fn::Sub": format!("${{AWS::StackName}}-{}", snake_case(id).replace('_', "-"))}),
            );
            set("ProtocolType", json!("WEBSOCKET"));
            set("RouteSelectionExpression", json!("$request.body.action"));
        }
        "loggroup" => set("RetentionInDays", json!(14)),
        "alarm" => {
            set("Namespace", json!("AWS/Lambda"));
            set("MetricName", json!("Errors"));
            set("Statistic", json!("Sum"));
            set("Period", json!(300));
            set("EvaluationPeriods", json!(1));
            set("Threshold", json!(1));
            set("ComparisonOperator", json!("GreaterThanOrEqualToThreshold"));
        }
        "database" => {
            set("Engine", json!("aurora-postgresql"));
            set(
                "ServerlessV2ScalingConfiguration",
                json!({"MinCapacity": 0.5, "MaxCapacity": 2}),
            );
            set("MasterUsername", json!("app"));
            set("ManageMasterUserPassword", json!(true));
        }
        "parameter" => {
            set("Type", json!("String"));
            set("Value", json!("change-me"));
        }
        "vpc" => set("CidrBlock", json!("10.0.0.0/16")),
        "securitygroup" => set("GroupDescription", json!(format!("{id} security group"))),
        "layer" => set("ContentUri", json!(format!("layers/{}/", snake_case(id)))),
        "application" => set(
            "Location",
            json!(format!("apps/{}/template.yaml", snake_case(id))),
        ),
        "cdn" => set(
            "DistributionConfig",
            json!({
                "Enabled": true,
                "DefaultCacheBehavior": {
                    "TargetOriginId": "origin",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"
                },
                "Origins": [{"Id": "origin", "DomainName": "example.com", "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}]
            }),
        ),
        _ => {}
    }
}

fn is_sam_function(w: &Work, id: &str) -> bool {
    w.type_of(id) == "AWS::Serverless::Function"
}
fn is_sam_statemachine(w: &Work, id: &str) -> bool {
    w.type_of(id) == "AWS::Serverless::StateMachine"
}

/// Writes the connections the user drew (those with no origin in the source).
fn materialize(sketch: &Sketch, w: &mut Work, new_ids: &HashSet<String>) {
    let conns: Vec<(String, String, ConnectionKind)> = sketch
        .connections()
        .filter(|(_, _, c)| c.origins.is_empty())
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.kind))
        .collect();
    let on_failure = |a: &str, b: &str, k: ConnectionKind| {
        sketch
            .connection(a, b, Some(k))
            .is_some_and(|c| c.on_failure())
    };
    // New schedules and rules that only feed one function (or state machine)
    // become its events, as SAM writes them.
    let mut out_deg: HashMap<&str, usize> = HashMap::new();
    let mut in_kinds: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut in_deg: HashMap<&str, usize> = HashMap::new();
    for (a, b, _) in sketch.connections() {
        *out_deg.entry(a).or_insert(0) += 1;
        *in_deg.entry(b).or_insert(0) += 1;
        in_kinds
            .entry(b)
            .or_default()
            .insert(sketch.service(a).map(|s| s.kind.word()).unwrap_or(""));
    }
    for (a, b, kind) in &conns {
        let absorbable = matches!(w.kinds.get(a).map(|k| k.word()), Some("schedule" | "rule"))
            && *kind == ConnectionKind::Trigger
            && new_ids.contains(a)
            && out_deg.get(a.as_str()) == Some(&1)
            && in_deg.get(a.as_str()).copied().unwrap_or(0) <= 1
            && in_kinds
                .get(a.as_str())
                .is_none_or(|k| k.iter().all(|x| *x == "eventbus"))
            && (is_sam_function(w, b) || is_sam_statemachine(w, b));
        if absorbable {
            w.absorbed.insert(a.clone());
        }
    }
    for (a, b, kind) in &conns {
        let (Some(ka), Some(kb)) = (w.kinds.get(a).copied(), w.kinds.get(b).copied()) else {
            continue;
        };
        let before = w.unwritten.len();
        let done = if on_failure(a, b, *kind) && ka.word() == "function" {
            failure_destination(sketch, w, a, (b, kb), *kind)
        } else {
            connect(sketch, w, (a, ka), (b, kb), *kind)
        };
        if !done && w.unwritten.len() == before {
            w.refuse(&a, &b, *kind, format!(
                    "SAM/CloudFormation has no recipe for a {kind} connection from this {} to this {}",
                    w.type_of(a),
                    w.type_of(b)
                ));
        }
    }
}

fn connect(
    sketch: &Sketch,
    w: &mut Work,
    (a, ka): (&str, Kind),
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
) -> bool {
    use ConnectionKind::*;
    let target_events = is_sam_function(w, b) || is_sam_statemachine(w, b);
    let a_implicit = sketch.service(a).is_some_and(|s| s.implicit);
    // Links CloudFormation has a recipe for; the others are written by
    // hand below, or not at all.
    // A rule that only triggers a SAM function or state machine is written
    // as an event on it (below).
    let as_event = target_events && w.absorbed.contains(a);
    if let Some(l) = links::link(ka, kb, kind)
        .filter(|l| l.sam.is_some() || l.cfn.is_some())
        .filter(|l| !(as_event && matches!(l.cfn, Some(links::Glue::Target { .. }))))
    {
        return write_link(sketch, w, (a, ka), (b, kb), l);
    }
    match (ka.word(), kb.word(), kind) {
        ("api" | "httpapi", "function" | "statemachine", Route) if target_events => {
            let http = ka.word() == "httpapi";
            if http && !is_sam_function(w, b) {
                return false;
            }
            let mut props = Map::new();
            props.insert(
                "Path".into(),
                json!(format!("/{}", snake_case(b).replace('_', "-"))),
            );
            props.insert(
                "Method".into(),
                json!(if is_sam_function(w, b) { "ANY" } else { "POST" }),
            );
            let implicit = if http {
                IMPLICIT_HTTP_API
            } else {
                IMPLICIT_REST_API
            };
            if !(a_implicit && a == implicit) {
                props.insert((if http { "ApiId" } else { "RestApiId" }).into(), r#ref(a));
            }
            add_event(
                w,
                b,
                a,
                if http { "HttpApi" } else { "Api" },
                Value::Object(props),
            );
            true
        }
        ("schedule" | "rule", "function" | "statemachine", Trigger)
            if target_events && w.absorbed.contains(a) =>
        {
            let src = w
                .res
                .get(a)
                .and_then(|r| r.get("Properties"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let props = if ka.word() == "schedule" {
                json!({"Schedule": src.get("ScheduleExpression").cloned().unwrap_or(json!("rate(1 hour)"))})
            } else {
                let mut p = Map::new();
                p.insert(
                    "Pattern".into(),
                    src.get("EventPattern")
                        .cloned()
                        .unwrap_or(json!({"source": ["app.events"]})),
                );
                if let Some(bus) = sketch.incoming(a).iter().find(|(x, c)| {
                    c.kind == Route && w.kinds.get(*x).is_some_and(|k| k.word() == "eventbus")
                }) {
                    p.insert("EventBusName".into(), r#ref(bus.0));
                }
                Value::Object(p)
            };
            add_event(
                w,
                b,
                a,
                if ka.word() == "schedule" {
                    "Schedule"
                } else {
                    "EventBridgeRule"
                },
                props,
            );
            true
        }
        ("eventbus", "rule", Route) => {
            if w.absorbed.contains(b) {
                // Written with the rule's event on its function.
                return true;
            }
            // A rule listens on one bus.
            match w.props(b) {
                Some(p) if !p.contains_key("EventBusName") => {
                    p.insert("EventBusName".into(), r#ref(a));
                    true
                }
                _ => false,
            }
        }
        ("eventbus", "function" | "statemachine", Trigger) if target_events => {
            add_event(
                w,
                b,
                a,
                "EventBridgeRule",
                json!({"EventBusName": r#ref(a), "Pattern": {"source": ["app.events"]}}),
            );
            true
        }
        // Anything else a bus triggers, it triggers through a rule on it,
        // whose target is the rule's recipe (as Terraform writes it).
        ("eventbus", _, Trigger) => {
            let Some(l) = links::link(Kind::Rule, kb, Trigger) else {
                return false;
            };
            let rule = format!("{a}To{b}Rule");
            if w.res.contains_key(&rule) {
                return false;
            }
            w.add(
                rule.clone(),
                json!({"Type": "AWS::Events::Rule", "Properties": {
                    "EventBusName": r#ref(a),
                    "EventPattern": {"source": ["app.events"]},
                    "State": "ENABLED",
                }})
                .as_object()
                .expect("object")
                .clone(),
            );
            if write_link(sketch, w, (&rule, Kind::Rule), (b, kb), l) {
                true
            } else {
                w.res.remove(&rule);
                w.order.retain(|x| *x != rule);
                false
            }
        }
        ("function" | "statemachine", _, Read | Write | Publish | Invoke)
            if recipes::access(kb, kind).is_some() =>
        {
            grant(sketch, w, a, (b, kb), kind)
        }
        ("queue", "queue", Write) => {
            let Some(p) = w.props(a) else { return false };
            p.insert(
                "RedrivePolicy".into(),
                json!({"deadLetterTargetArn": getatt(b, "Arn"), "maxReceiveCount": 5}),
            );
            true
        }
        ("alarm", "topic", Publish) => {
            let Some(p) = w.props(a) else { return false };
            push_list(p, &["AlarmActions"], r#ref(b));
            true
        }
        ("userpool", "api", Auth) if w.type_of(b) == "AWS::Serverless::Api" => {
            let Some(p) = w.props(b) else { return false };
            let auth = p.entry("Auth").or_insert_with(|| json!({}));
            if let Value::Object(m) = auth {
                let az = m.entry("Authorizers").or_insert_with(|| json!({}));
                if let Value::Object(az) = az {
                    let key = Work::unique_key(az, &format!("{a}Authorizer"));
                    az.insert(key, json!({"UserPoolArn": getatt(a, "Arn")}));
                }
            }
            true
        }
        // An API's access logs: SAM writes them on the API's stage.
        ("api" | "httpapi", "loggroup", Log)
            if matches!(
                w.type_of(a),
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi"
            ) =>
        {
            let http = w.type_of(a) == "AWS::Serverless::HttpApi";
            let key = if http {
                "AccessLogSettings"
            } else {
                "AccessLogSetting"
            };
            let Some(p) = w.props(a) else { return false };
            if let Some(existing) = p.get(key) {
                return refs::cfn_targets(existing).iter().any(|x| *x == b);
            }
            p.insert(
                key.into(),
                json!({"DestinationArn": getatt(b, "Arn"), "Format": recipes::access_log_format(http)}),
            );
            true
        }
        ("function" | "statemachine", "loggroup", Log) => {
            let Some(p) = w.props(b) else { return false };
            if p.contains_key("LogGroupName") {
                return false;
            }
            let prefix = if ka.word() == "function" {
                "/aws/lambda"
            } else {
                "/aws/vendedlogs/states"
            };
            p.insert(
                "LogGroupName".into(),
                json!({"Fn::Sub": format!("{prefix}/${{{a}}}")}),
            );
            true
        }
        ("cdn", "bucket", Read) => {
            let Some(p) = w.props(a) else { return false };
            let cfg = p.entry("DistributionConfig").or_insert_with(|| json!({}));
            if let Some(origins) = cfg.get_mut("Origins").and_then(Value::as_array_mut) {
                if let Some(o) = origins.first_mut() {
                    if o.get("DomainName") == Some(&json!("example.com")) {
                        *o = json!({"Id": "origin", "DomainName": getatt(b, "RegionalDomainName"), "S3OriginConfig": {}});
                        return true;
                    }
                }
                origins.push(json!({"Id": b, "DomainName": getatt(b, "RegionalDomainName"), "S3OriginConfig": {}}));
                return true;
            }
            false
        }
        _ => false,
    }
}

/// Writes a connection the way its recipe says: an event on a SAM function,
/// or the glue plain CloudFormation needs, and what lets the source reach
/// the target.
fn write_link(
    sketch: &Sketch,
    w: &mut Work,
    (a, ka): (&str, Kind),
    (b, kb): (&str, Kind),
    l: &links::Link,
) -> bool {
    if is_sam_function(w, b)
        && let Some(e) = &l.sam
    {
        if l.stream {
            stream_on(w, a);
        }
        let mut props = Map::new();
        props.insert(e.prop.into(), e.by.value(a));
        props.extend(links::fixed(e.props));
        add_event(w, b, a, e.ty, Value::Object(props));
        return true;
    }
    let Some(glue) = &l.cfn else { return false };
    // An invoke permission or a role to poll with is a plain function's.
    // (A rule's target may be a SAM function too: its permission names it.)
    let polls = matches!(glue, links::Glue::Mapping { .. });
    let targets = matches!(glue, links::Glue::Target { .. });
    if (polls || (matches!(l.reach, links::Reach::Permission(_)) && !targets))
        && w.type_of(b) != "AWS::Lambda::Function"
    {
        return false;
    }
    let source_arn = arn_of(a, ka);
    match glue {
        links::Glue::Mapping { props } => {
            let role = match permissions_of(sketch, w, b) {
                Permissions::Role(r) => r,
                Permissions::Policies => return false,
                Permissions::Elsewhere(why) => {
                    w.refuse(
                        a,
                        b,
                        l.kind,
                        format!("{b} cannot be allowed to poll {a} here: {why}"),
                    );
                    return false;
                }
            };
            let source = if l.stream {
                stream_on(w, a);
                getatt(a, "StreamArn")
            } else {
                source_arn.clone()
            };
            let mut p = Map::new();
            p.insert("EventSourceArn".into(), source.clone());
            p.insert("FunctionName".into(), r#ref(b));
            p.extend(links::fixed(props));
            let g = recipes::Grant {
                actions: recipes::poll_actions(ka).unwrap_or_default(),
                template: None,
            };
            let st = recipes::statement(&format!("Poll{}", pascal_case(a)), &g, source);
            if !add_role_policy(w, &role, &format!("{b}Poll{a}"), st) {
                return false;
            }
            w.add(
                format!("{a}To{b}Mapping"),
                json!({"Type": "AWS::Lambda::EventSourceMapping", "Properties": p})
                    .as_object()
                    .expect("object")
                    .clone(),
            );
        }
        links::Glue::Subscription { protocol } => {
            let topic = source_arn.clone();
            w.add(
                format!("{a}To{b}Subscription"),
                json!({"Type": "AWS::SNS::Subscription", "Properties": {
                    "TopicArn": topic,
                    "Protocol": protocol,
                    "Endpoint": arn_of(b, kb),
                }})
                .as_object()
                .expect("object")
                .clone(),
            );
            reach(w, l.reach, (a, source_arn.clone()), (b, kb));
        }
        // Written in CloudFormation only as SAM events, or by hand, so far.
        links::Glue::LogFilter | links::Glue::Hook { .. } => {
            return false;
        }
        links::Glue::Target { role } => {
            if !rule_target(w, (a, source_arn.clone()), (b, kb), l.reach, role) {
                return false;
            }
        }
        links::Glue::Notification { list, key } => {
            let target = arn_of(b, kb);
            let Some(p) = w.props(a) else { return false };
            // What lets the bucket reach the target is made before the
            // bucket, so it names the bucket by its name, not by reference:
            // a bucket without a name is given the one it names.
            // (A name made here is lowercase and short enough for S3
            // whatever the stack is called: the bucket's own name, then
            // the lowercase id CloudFormation gives the stack.)
            let stack_id =
                json!({"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]});
            let (bucket, vars) = match p.get("BucketName") {
                Some(Value::String(n)) => (n.clone(), None),
                Some(v) => match (v.get("Fn::Sub"), v.get("Ref").and_then(Value::as_str)) {
                    (Some(Value::String(n)), _) => (n.to_string(), None),
                    (Some(Value::Array(sub)), _) if sub.len() == 2 => (
                        sub[0].as_str().unwrap_or_default().to_string(),
                        Some(sub[1].clone()),
                    ),
                    (_, Some(p)) => (format!("${{{p}}}"), None),
                    _ => {
                        let n = own_bucket_name(a);
                        (n, Some(json!({ "StackId": stack_id })))
                    }
                },
                None => {
                    let n = own_bucket_name(a);
                    let vars = json!({ "StackId": stack_id });
                    p.insert("BucketName".into(), json!({ "Fn::Sub": [n, vars] }));
                    (n, Some(vars))
                }
            };
            let mut item = Map::new();
            item.insert("Event".into(), json!("s3:ObjectCreated:*"));
            item.insert((*key).into(), target);
            push_list(p, &["NotificationConfiguration", list], Value::Object(item));
            let arn = format!("arn:${{AWS::Partition}}:s3:::{bucket}");
            let name = match vars {
                Some(vars) => json!({ "Fn::Sub": [arn, vars] }),
                None => json!({ "Fn::Sub": arn }),
            };
            // S3 checks that it may reach the target when the bucket is
            // configured, so the bucket waits for the permission or policy.
            if let Some(id) = reach(w, l.reach, (a, name), (b, kb)) {
                depends_on(w, a, &id);
            }
        }
    }
    true
}

/// How CloudFormation names the ARN of a service of this kind.
fn arn_of(id: &str, k: Kind) -> Value {
    recipes::target(k)
        .map_or(recipes::Cfn::Attr("Arn"), |t| t.cfn_arn)
        .value(id)
}

/// A target on an EventBridge rule, and what lets EventBridge reach it:
/// the link's reach, or a role for `events.amazonaws.com` holding `actions`
/// on the target; a log group lets EventBridge write by a resource policy.
fn rule_target(
    w: &mut Work,
    (a, source): (&str, Value),
    (b, kb): (&str, Kind),
    how: links::Reach,
    actions: &'static [&'static str],
) -> bool {
    if !w.res.contains_key(a) {
        return false;
    }
    let scheduler = w.type_of(a) == "AWS::Scheduler::Schedule";
    if !scheduler && w.type_of(a) != "AWS::Events::Rule" {
        return false;
    }
    let arn = arn_of(b, kb);
    if scheduler {
        return schedule_target(w, a, (b, kb), arn, actions);
    }
    let mut target = Map::new();
    target.insert("Id".into(), json!(b));
    target.insert("Arn".into(), arn.clone());
    if how == links::Reach::Nothing && !actions.is_empty() {
        let role = service_role(w, &format!("{a}EventsRole"), "events.amazonaws.com");
        let g = recipes::Grant {
            actions,
            template: None,
        };
        let st = recipes::statement(&format!("Target{}", pascal_case(b)), &g, arn);
        if !add_role_policy(w, &role, &format!("{a}To{b}"), st) {
            return false;
        }
        target.insert("RoleArn".into(), getatt(&role, "Arn"));
    } else if kb == Kind::LogGroup {
        log_group_policy(w, a, b);
    }
    let Some(p) = w.props(a) else { return false };
    match p.entry("Targets").or_insert_with(|| json!([])) {
        Value::Array(t) => t.push(Value::Object(target)),
        _ => return false,
    }
    reach(w, how, (a, source), (b, kb));
    true
}

/// A role `principal` assumes to reach targets, made once under `id`;
/// statements are added to its `Policies`.
fn service_role(w: &mut Work, id: &str, principal: &str) -> String {
    if !w.res.contains_key(id) {
        w.add(
            id.to_string(),
            json!({"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"Service": principal},
                        "Action": "sts:AssumeRole",
                    }],
                },
                "Policies": [],
            }})
            .as_object()
            .expect("object")
            .clone(),
        );
    }
    id.to_string()
}

/// The one target of an EventBridge Scheduler schedule, reached through a
/// role for `scheduler.amazonaws.com` holding `actions` on it.
fn schedule_target(
    w: &mut Work,
    a: &str,
    (b, _): (&str, Kind),
    arn: Value,
    actions: &'static [&'static str],
) -> bool {
    let existing = w.props(a).and_then(|p| p.get("Target")).map(|t| {
        (
            refs::cfn_targets(t).iter().any(|x| *x == b),
            t.get("RoleArn").is_some(),
        )
    });
    match existing {
        // The target there already names it (its input, say).
        Some((true, true)) => return true,
        // ... and needs the role to reach it.
        Some((true, false)) => {}
        Some((false, _)) => {
            w.refuse(
                a,
                b,
                ConnectionKind::Trigger,
                format!("{a} is a schedule with a target already; a schedule has one"),
            );
            return false;
        }
        None => {}
    }
    if actions.is_empty() {
        return false;
    }
    let role = service_role(w, &format!("{a}SchedulerRole"), "scheduler.amazonaws.com");
    let g = recipes::Grant {
        actions,
        template: None,
    };
    let st = recipes::statement(&format!("Target{}", pascal_case(b)), &g, arn.clone());
    if !add_role_policy(w, &role, &format!("{a}To{b}"), st) {
        return false;
    }
    let Some(p) = w.props(a) else { return false };
    match p.get_mut("Target").and_then(Value::as_object_mut) {
        Some(t) => {
            t.insert("RoleArn".into(), getatt(&role, "Arn"));
        }
        None => {
            p.insert(
                "Target".into(),
                json!({"Arn": arn, "RoleArn": getatt(&role, "Arn")}),
            );
        }
    }
    true
}

/// Lets EventBridge write to a log group: CloudWatch Logs takes no role
/// for it, only a resource policy naming the service.
fn log_group_policy(w: &mut Work, rule: &str, group: &str) {
    let id = format!("{group}From{rule}Policy");
    if w.res.contains_key(&id) {
        return;
    }
    let doc = json!({"Fn::Sub": [
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"events.amazonaws.com\",\"delivery.logs.amazonaws.com\"]},\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"${Arn}\"}]}",
        {"Arn": getatt(group, "Arn")},
    ]});
    w.add(
        id.clone(),
        json!({"Type": "AWS::Logs::ResourcePolicy", "Properties": {
            "PolicyName": {"Fn::Sub": format!("${{AWS::StackName}}-{group}-events")},
            "PolicyDocument": doc,
        }})
        .as_object()
        .expect("object")
        .clone(),
    );
}

/// Turns on a table's stream, for a trigger that reads it.
fn stream_on(w: &mut Work, table: &str) {
    if let Some(p) = w.props(table)
        && !p.contains_key("StreamSpecification")
    {
        p.insert(
            "StreamSpecification".into(),
            json!({"StreamViewType": "NEW_AND_OLD_IMAGES"}),
        );
    }
}

/// Lets the source's service reach the target: an invoke permission on a
/// function, a statement in a queue's or topic's policy.
fn reach(
    w: &mut Work,
    how: links::Reach,
    (a, source): (&str, Value),
    (b, kb): (&str, Kind),
) -> Option<String> {
    let (id, resource) = match how {
        links::Reach::Nothing => return None,
        links::Reach::Permission(principal) => (
            format!("{b}{a}Permission"),
            json!({"Type": "AWS::Lambda::Permission", "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": r#ref(b),
                "Principal": principal,
                "SourceArn": source,
            }})
            .as_object()
            .expect("object")
            .clone(),
        ),
        links::Reach::Policy(principal) => (
            format!("{b}From{a}Policy"),
            if kb.word() == "topic" {
                topic_policy(b, principal, source)
            } else {
                queue_policy(b, principal, source)
            },
        ),
    };
    w.add(id.clone(), resource);
    Some(id)
}

/// Makes a resource wait for another.
fn depends_on(w: &mut Work, id: &str, on: &str) {
    let Some(r) = w.res.get_mut(id).and_then(Value::as_object_mut) else {
        return;
    };
    match r.entry("DependsOn").or_insert_with(|| json!([])) {
        Value::Array(list) => {
            if !list.contains(&json!(on)) {
                list.push(json!(on));
            }
        }
        other => {
            if other != &json!(on) {
                *other = json!([other.clone(), on]);
            }
        }
    }
}

fn queue_policy(queue: &str, principal: &str, source: Value) -> Map {
    json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {
        "Queues": [r#ref(queue)],
        "PolicyDocument": {"Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": "sqs:SendMessage",
            "Resource": getatt(queue, "Arn"),
            "Condition": {"ArnEquals": {"aws:SourceArn": source}},
        }]},
    }})
    .as_object()
    .expect("object")
    .clone()
}

fn topic_policy(topic: &str, principal: &str, source: Value) -> Map {
    json!({"Type": "AWS::SNS::TopicPolicy", "Properties": {
        "Topics": [r#ref(topic)],
        "PolicyDocument": {"Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": "sns:Publish",
            "Resource": r#ref(topic),
            "Condition": {"ArnEquals": {"aws:SourceArn": source}},
        }]},
    }})
    .as_object()
    .expect("object")
    .clone()
}

fn push_list(p: &mut Map, path: &[&str], item: Value) {
    let (last, parents) = path.split_last().expect("a path");
    let mut cur = p;
    for k in parents {
        let next = cur.entry(k.to_string()).or_insert_with(|| json!({}));
        let Value::Object(m) = next else { return };
        cur = m;
    }
    let list = cur.entry(last.to_string()).or_insert_with(|| json!([]));
    if let Value::Array(a) = list {
        a.push(item);
    }
}

fn add_event(w: &mut Work, target: &str, source: &str, ty: &str, props: Value) {
    let Some(p) = w.props(target) else { return };
    let events = p.entry("Events").or_insert_with(|| json!({}));
    if let Value::Object(m) = events {
        let key = Work::unique_key(m, source);
        m.insert(key, json!({"Type": ty, "Properties": props}));
    }
}

/// Drops `DependsOn` entries that name resources no longer written.
fn prune_dangling(resources: &mut Map, gone: &HashSet<String>) {
    if gone.is_empty() {
        return;
    }
    for r in resources.values_mut() {
        let Some(m) = r.as_object_mut() else { continue };
        let remove = match m.get_mut("DependsOn") {
            Some(Value::String(s)) => gone.contains(s.as_str()),
            Some(Value::Array(a)) => {
                a.retain(|x| x.as_str().is_none_or(|s| !gone.contains(s)));
                a.is_empty()
            }
            _ => false,
        };
        if remove {
            m.shift_remove("DependsOn");
        }
    }
}

/// Drops outputs that reference resources no longer written.
fn prune_outputs(sections: &mut Map, gone: &HashSet<String>) {
    if gone.is_empty() {
        return;
    }
    if let Some(Value::Object(outputs)) = sections.get_mut("Outputs") {
        let before = outputs.len();
        outputs.retain(|_, o| refs::cfn_targets(o).iter().all(|t| !gone.contains(t)));
        // An `Outputs:` with nothing under it is an invalid template.
        if outputs.is_empty() && before > 0 {
            sections.shift_remove("Outputs");
        }
    }
}

/// Where a function's or state machine's permissions live.
enum Permissions {
    /// SAM `Policies` on the resource itself.
    Policies,
    /// The inline policies of a role in this template.
    Role(String),
    /// Somewhere this template cannot edit, and why.
    Elsewhere(String),
}

/// The property naming the role a resource runs as.
fn role_key(type_name: &str) -> &'static str {
    match type_name {
        "AWS::StepFunctions::StateMachine" => "RoleArn",
        _ => "Role",
    }
}

fn permissions_of(sketch: &Sketch, w: &Work, id: &str) -> Permissions {
    let ty = w.type_of(id).to_string();
    let own = w
        .res
        .get(id)
        .and_then(|r| r.get("Properties"))
        .and_then(|p| p.get(role_key(&ty)))
        .filter(|v| !v.is_null())
        .cloned();
    let global = (ty == "AWS::Serverless::Function")
        .then(|| {
            sketch
                .sections
                .get("Globals")
                .and_then(|g| g.get("Function"))
                .and_then(|f| f.get("Role"))
                .cloned()
        })
        .flatten();
    let serverless = ty.starts_with("AWS::Serverless::");
    let Some(role) = own.or(global) else {
        return if serverless {
            Permissions::Policies
        } else {
            Permissions::Elsewhere("it names no role".to_string())
        };
    };
    let role_id = match &role {
        Value::Object(m) if m.len() == 1 => match m.iter().next() {
            Some((k, v)) if k == "Fn::GetAtt" => match v {
                Value::Array(a) if a.get(1).and_then(Value::as_str) == Some("Arn") => {
                    a.first().and_then(Value::as_str).map(str::to_string)
                }
                Value::String(s) => s.strip_suffix(".Arn").map(str::to_string),
                _ => None,
            },
            Some((k, Value::String(p))) if k == "Ref" => {
                let is_role = w.type_of(p) == "AWS::IAM::Role";
                if !is_role {
                    return Permissions::Elsewhere(if w.res.contains_key(p) {
                        format!("its role is given by {p}, which is not a role")
                    } else {
                        format!("its role is the parameter {p}, not a role in this template")
                    });
                }
                // `Ref` to a role gives its name where an ARN is needed; SAM
                // and CloudFormation accept it for a function's role anyway.
                Some(p.clone())
            }
            Some((k, _)) if k == "Fn::ImportValue" => {
                return Permissions::Elsewhere(
                    "its role is imported from another stack".to_string(),
                );
            }
            Some((k, _)) if k == "Fn::If" => {
                return Permissions::Elsewhere(
                    "its role depends on a condition; grant it on each role by hand".to_string(),
                );
            }
            Some((k, _)) if k == "Fn::Sub" || k == "Fn::Join" => {
                return Permissions::Elsewhere(format!(
                    "its role is an ARN built with {k}, not a role in this template"
                ));
            }
            _ => None,
        },
        Value::String(_) => {
            return Permissions::Elsewhere("its role is a fixed ARN".to_string());
        }
        _ => None,
    };
    match role_id {
        Some(r) if w.type_of(&r) == "AWS::IAM::Role" => Permissions::Role(r),
        Some(r) => Permissions::Elsewhere(format!("its role {r} is not a role in this template")),
        None => Permissions::Elsewhere(
            "its role is an expression this cannot follow to a role in this template".to_string(),
        ),
    }
}

/// Adds an inline policy holding one statement to a role in the template;
/// whether its `Policies` could take it.
fn add_role_policy(w: &mut Work, role: &str, name: &str, statement: Value) -> bool {
    let Some(p) = w.props(role) else { return false };
    let policies = p.entry("Policies").or_insert_with(|| json!([]));
    let Value::Array(list) = policies else {
        return false;
    };
    let taken: HashSet<String> = list
        .iter()
        .filter_map(|x| x.get("PolicyName").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let name = (1..)
        .map(|n| {
            if n == 1 {
                name.to_string()
            } else {
                format!("{name}{n}")
            }
        })
        .find(|n| !taken.contains(n))
        .expect("a free name");
    list.push(json!({
        "PolicyName": name,
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [statement],
        },
    }));
    true
}

/// Grants a function or state machine what a connection needs, where its
/// permissions live, and hands a function the resource's name.
fn grant(
    sketch: &Sketch,
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
) -> bool {
    grant_with(sketch, w, a, (b, kb), kind, true)
}

/// A function's dead-letter queue (or topic): `DeadLetterQueue` on a SAM
/// function, which then grants the sending itself unless the function runs
/// as a role of its own; `DeadLetterConfig` on a plain function, granted on
/// its role. The code calls nothing, so no environment variable.
fn failure_destination(
    sketch: &Sketch,
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
) -> bool {
    let (ty, target) = match kb.word() {
        "queue" => ("SQS", getatt(b, "Arn")),
        "topic" => ("SNS", r#ref(b)),
        _ => return false,
    };
    let key = match w.type_of(a) {
        "AWS::Serverless::Function" => "DeadLetterQueue",
        "AWS::Lambda::Function" => "DeadLetterConfig",
        _ => return false,
    };
    if w.props(a).is_some_and(|p| p.contains_key(key)) {
        w.refuse(
            a,
            b,
            kind,
            format!("{a} already sends what it fails on elsewhere ({key})"),
        );
        return false;
    }
    let sam_grants =
        key == "DeadLetterQueue" && matches!(permissions_of(sketch, w, a), Permissions::Policies);
    if !sam_grants && !grant_with(sketch, w, a, (b, kb), kind, false) {
        return false;
    }
    let Some(p) = w.props(a) else { return false };
    let value = if key == "DeadLetterQueue" {
        json!({"Type": ty, "TargetArn": target})
    } else {
        json!({ "TargetArn": target })
    };
    p.insert(key.into(), value);
    true
}

fn grant_with(
    sketch: &Sketch,
    w: &mut Work,
    a: &str,
    (b, kb): (&str, Kind),
    kind: ConnectionKind,
    with_env: bool,
) -> bool {
    let Some((t, g)) = recipes::access(kb, kind) else {
        return false;
    };
    match permissions_of(sketch, w, a) {
        Permissions::Policies => {
            let entry = match g.template {
                Some((tpl, param, by)) => json!({ tpl: { param: by.value(b) } }),
                None => json!({"Statement": [recipes::statement(
                    &recipes::sid(kind, b),
                    g,
                    recipes::cfn_resource(t, b),
                )]}),
            };
            let Some(p) = w.props(a) else { return false };
            let policies = p.entry("Policies").or_insert_with(|| json!([]));
            if let Value::String(_) | Value::Object(_) = policies {
                *policies = Value::Array(vec![policies.clone()]);
            }
            if let Value::Array(list) = policies {
                list.push(entry);
            }
        }
        Permissions::Role(role) => {
            let users = w
                .order
                .iter()
                .filter(|id| *id != a)
                .filter(|id| sketch.service(id).is_some_and(|s| !s.kind.is_glue()))
                .filter(|id| {
                    let Some(props) = w
                        .res
                        .get(*id)
                        .and_then(|r| r.get("Properties"))
                        .and_then(Value::as_object)
                    else {
                        return false;
                    };
                    super::import::identity_properties(props)
                        .any(|v| refs::cfn_targets(v).iter().any(|x| *x == role))
                })
                .count();
            if users > 0 {
                w.warnings.push(format!(
                    "{a} -> {b} ({kind}): granted on {role}, which {users} other resource(s) also run as"
                ));
            }
            let st = recipes::statement(&recipes::sid(kind, b), g, recipes::cfn_resource(t, b));
            let name = format!("{a}{}{}", pascal_case(kind.word()), b);
            if !add_role_policy(w, &role, &name, st) {
                w.refuse(
                    a,
                    b,
                    kind,
                    format!(
                        "{a}'s role {role} lists its policies in a way that cannot be added to"
                    ),
                );
                return false;
            }
        }
        Permissions::Elsewhere(why) => {
            w.refuse(
                a,
                b,
                kind,
                format!("{a} cannot be granted access here: {why}"),
            );
            return false;
        }
    }
    if !with_env {
        return true;
    }
    let sfn = w.kinds.get(a).is_some_and(|k| k.word() == "statemachine");
    let Some(p) = w.props(a) else { return true };
    if sfn {
        let subs = p
            .entry("DefinitionSubstitutions")
            .or_insert_with(|| json!({}));
        if let Value::Object(m) = subs {
            let key = Work::unique_key(m, &format!("{}Arn", pascal_case(b)));
            m.insert(key, t.cfn_arn.value(b));
        }
    } else if let Some(env) = &t.env {
        let e = p.entry("Environment").or_insert_with(|| json!({}));
        if let Value::Object(e) = e {
            let vars = e.entry("Variables").or_insert_with(|| json!({}));
            if let Value::Object(v) = vars {
                // A variable that already names the resource is enough.
                let named = v
                    .values()
                    .any(|x| refs::cfn_targets(x).iter().any(|t| t == b));
                if !named {
                    let key = Work::unique_key(v, &recipes::env_name(b, kb));
                    v.insert(key, env.cfn.value(b));
                }
            }
        }
    }
    true
}

/// The name a bucket is given so that what it notifies can name it before
/// it exists: its id in kebab case (cut to leave room), then the stack's id.
fn own_bucket_name(id: &str) -> String {
    let kebab: String = snake_case(id).replace('_', "-").chars().take(24).collect();
    format!("{}-${{StackId}}", kebab.trim_end_matches('-'))
}
