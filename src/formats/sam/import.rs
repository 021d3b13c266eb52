//! SAM/CloudFormation to sketch. Resources become services; connections come
//! from SAM events, the implicit APIs, connectors, policy templates and IAM
//! statements, environment variables and definition substitutions, glue
//! resources (permissions, mappings, subscriptions, rule targets, ...) and
//! plain references.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::policies::{self, kinds_assuming, trusted_services};
use crate::catalog::Kind;
use crate::formats::recipes::links;
use crate::formats::refs::{self, Reference};
use crate::formats::wiring::Found;
use crate::formats::{FormatError, recipes, yaml};
use crate::model::Dialect;
use crate::model::{ConnectionKind, Map, ON_FAILURE, Origin, Service, Sketch, Source, Value};

pub const IMPLICIT_REST_API: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

/// Properties where a role named is not the role the resource runs as:
/// resource policies, where it is a principal let in, and a function's or
/// state machine's own `Policies`, where it is a role passed on
/// (`iam:PassRole` to a task it starts).
const NOT_IDENTITY: &[&str] = &[
    "AccessPolicies",
    "KeyPolicy",
    "Policies",
    "Policy",
    "PolicyDocument",
    "PolicyText",
    "Principal",
    "RepositoryPolicyText",
    "ResourcePolicy",
];

/// The properties of a resource where a role it names is the role it runs
/// as: all but those in [`NOT_IDENTITY`] (an OpenSearch access policy, a
/// key policy, a role the resource may pass on).
pub(crate) fn identity_properties(props: &Map) -> impl Iterator<Item = &Value> {
    props
        .iter()
        .filter(|(k, _)| !NOT_IDENTITY.contains(&k.as_str()))
        .map(|(_, v)| v)
}

/// The type given to `Fn::ForEach` loops in `Resources`.
pub const FOR_EACH: &str = "Fn::ForEach";

/// Top-level keys that make a mapping a template.
const TEMPLATE_KEYS: &[&str] = &[
    "Resources",
    "AWSTemplateFormatVersion",
    "Transform",
    "Parameters",
    "Outputs",
    "Conditions",
    "Mappings",
    "Globals",
];

const DUPLICATE_HINT: &str =
    "CloudFormation refuses a key given twice; remove or rename one of them";

/// Parses a template's text (JSON or YAML) into a neutral value.
pub fn parse_document(name: &str, text: &str) -> Result<Value, FormatError> {
    let trimmed = text.trim_start_matches('\u{feff}');
    if trimmed.trim_start().starts_with('{') {
        crate::formats::json_doc::parse(trimmed).map_err(|e| {
            let hint = if e.message.contains("appears twice") {
                DUPLICATE_HINT
            } else {
                "check for a missing comma, quote or bracket just before this point"
            };
            FormatError::new(
                name,
                e.line,
                e.column,
                format!("invalid JSON: {}", e.message),
            )
            .hint(hint)
        })
    } else {
        let parsed = yaml::parse(trimmed).map_err(|e| {
            FormatError::new(
                name,
                e.line,
                e.column,
                format!("invalid YAML: {}", e.message),
            )
            .hint(if e.message.contains("appears twice") {
                DUPLICATE_HINT
            } else {
                "check the indentation and quoting on this line and the one before it"
            })
        })?;
        Ok(parsed.value)
    }
}

/// One-based line of the first line that starts with `key:` at any indent.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches('"');
            t.starts_with(key)
                && t[key.len()..]
                    .trim_start_matches('"')
                    .trim_start()
                    .starts_with(':')
        })
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// What is wrong with a `Resources` entry's shape, if anything: it must be a
/// mapping with a string `Type`, unless it is an `Fn::ForEach` loop.
fn shape_fault(id: &str, r: &Value) -> Option<String> {
    if id.starts_with(FOR_EACH) {
        return None;
    }
    let id = crate::model::inert(id);
    match r {
        Value::Object(m) => match m.get("Type") {
            Some(Value::String(_)) => None,
            Some(_) => Some(format!(
                "the resource `{id}` has a `Type` that is not a name"
            )),
            None => Some(format!("the resource `{id}` has no `Type`")),
        },
        _ => Some(format!("the resource `{id}` is not a mapping")),
    }
}

/// One-based line of the resource `id`, the `index`th entry of
/// `Resources`: the first line after `Resources:` that starts with it as a
/// key, or else (an id written with escapes) the `index`th line at the
/// entries' indent.
fn line_of_resource(text: &str, id: &str, index: usize) -> usize {
    let from = line_of_key(text, "Resources");
    let lines: Vec<&str> = text.lines().skip(from).collect();
    let key_line = |l: &str, k: &str| {
        let t = l.trim_start().trim_start_matches(['"', '\'']);
        t.strip_prefix(k).is_some_and(|r| {
            r.trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        })
    };
    if let Some(i) = lines.iter().position(|l| key_line(l, id)) {
        return from + i + 1;
    }
    let is_entry = |l: &&str| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with(['#', '-', '}', ']'])
    };
    let Some(indent) = lines
        .iter()
        .find(|l| is_entry(l))
        .map(|l| l.len() - l.trim_start().len())
        .filter(|&n| n > 0)
    else {
        return from;
    };
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_entry(l) && l.len() - l.trim_start().len() == indent)
        .nth(index)
        .map_or(from, |(i, _)| from + i + 1)
}

pub fn import(name: &str, text: &str) -> Result<Sketch, FormatError> {
    let doc = parse_document(name, text)?;
    let Value::Object(top) = doc else {
        return Err(FormatError::new(
            name,
            1,
            1,
            "a template must be a mapping of sections at its top level",
        )
        .hint("start with `AWSTemplateFormatVersion: '2010-09-09'` and a `Resources:` section"));
    };
    if !TEMPLATE_KEYS.iter().any(|k| top.contains_key(*k)) {
        return Err(FormatError::new(name, 1, 1, "this does not look like a SAM or CloudFormation template: it has no `Resources` section")
            .hint("a template needs a `Resources:` mapping of logical ids to resources"));
    }
    let mut top = top;
    let resources = match top.get("Resources") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(_)) => match top.shift_remove("Resources") {
            Some(Value::Object(m)) => m,
            _ => unreachable!("checked"),
        },
        Some(_) => {
            return Err(FormatError::new(
                name,
                line_of_key(text, "Resources"),
                1,
                "`Resources` must be a mapping of logical ids to resources",
            ));
        }
    };
    let mut sketch = Sketch::new();
    for (k, v) in top {
        if k != "Resources" {
            sketch.sections.insert(k, v);
        }
    }
    for (index, (id, r)) in resources.into_iter().enumerate() {
        if let Some(what) = shape_fault(&id, &r) {
            let line = line_of_resource(text, &id, index);
            return Err(FormatError::new(name, line, 1, what).hint(
                "a resource is a mapping with a `Type:` (such as AWS::Serverless::Function) and its `Properties:`",
            ));
        }
        let svc = service_from(&id, r);
        if let Err(e) = sketch.add_service(svc) {
            return Err(FormatError::new(
                name,
                line_of_resource(text, &id, index),
                1,
                e.to_string(),
            ));
        }
    }
    derive(&mut sketch);
    sketch.source = Some(Source {
        dialect: Dialect::Sam,
        files: BTreeMap::from([(file_name(name), text.to_string())]),
    });
    sketch.name = Some(stem(name));
    Ok(sketch)
}

fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

fn stem(path: &str) -> String {
    let f = file_name(path);
    f.split('.').next().unwrap_or(&f).to_string()
}

/// A resource entry as a service. Entries that are not mappings
/// (`Fn::ForEach::Name: [...]` loops) keep their whole value as an attribute.
pub(crate) fn service_from(id: &str, r: Value) -> Service {
    let (type_name, properties, attributes) = match r {
        Value::Object(mut m) => {
            let t = match m.get("Type") {
                Some(Value::String(s)) => {
                    let t = s.clone();
                    m.shift_remove("Type");
                    t
                }
                _ => String::new(),
            };
            // Properties that are not a mapping (an `Fn::If`, say) stay whole
            // among the attributes.
            let props = match m.get("Properties") {
                Some(Value::Object(_)) => match m.shift_remove("Properties") {
                    Some(Value::Object(p)) => p,
                    _ => unreachable!("checked"),
                },
                _ => Map::new(),
            };
            (t, props, m)
        }
        other => {
            let mut attrs = Map::new();
            attrs.insert(FOR_EACH.to_string(), other);
            (FOR_EACH.to_string(), Map::new(), attrs)
        }
    };
    let mut kind = Kind::from_cfn_type(&type_name);
    if type_name == "AWS::ApiGatewayV2::Api"
        && properties.get("ProtocolType").and_then(Value::as_str) == Some("WEBSOCKET")
    {
        kind = Kind::WebSocket;
    }
    if type_name == "AWS::Events::Rule"
        && properties.contains_key("ScheduleExpression")
        && !properties.contains_key("EventPattern")
    {
        kind = Kind::Schedule;
    }
    let mut svc = Service::new(id, kind, type_name);
    if id.starts_with("Fn::ForEach") {
        svc.multiplicity = Some("for_each".to_string());
    }
    svc.properties = properties;
    svc.attributes = attributes;
    svc
}

/// The statements of a policy document written as JSON text (`!Sub '{...}'`),
/// with its `${...}` strings made `Fn::Sub` again so their references count.
fn text_statements(doc: &Value) -> Option<Value> {
    let (text, vars) = match doc {
        Value::String(s) => (s.as_str(), None),
        Value::Object(m) if m.len() == 1 => match m.get("Fn::Sub")? {
            Value::String(s) => (s.as_str(), None),
            Value::Array(a) => (a.first()?.as_str()?, a.get(1)),
            _ => return None,
        },
        _ => return None,
    };
    fn sub(v: Value, vars: Option<&Value>) -> Value {
        match v {
            Value::String(s) if s.contains("${") => {
                let mut m = Map::new();
                let inner = match vars {
                    Some(vs) => Value::Array(vec![Value::String(s), vs.clone()]),
                    None => Value::String(s),
                };
                m.insert("Fn::Sub".into(), inner);
                Value::Object(m)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|x| sub(x, vars)).collect()),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, x)| (k, sub(x, vars))).collect())
            }
            other => other,
        }
    }
    let parsed: Value = serde_json::from_str(text.trim()).ok()?;
    let st = parsed.get("Statement")?.clone();
    Some(sub(st, vars))
}

/// Connections, owners, implicit services and groups, derived from the
/// services' properties.
pub(crate) fn derive(sketch: &mut Sketch) {
    let mut d = Deriver::new(sketch);
    d.run(sketch);
    d.finish(sketch);
}

/// Names a resource is known by (BucketName, TableName, ...), for policy
/// parameters that give a name instead of a reference.
const NAME_PROPERTIES: &[&str] = &[
    "BucketName",
    "TableName",
    "QueueName",
    "TopicName",
    "StreamName",
    "FunctionName",
    "StateMachineName",
    "Name",
    "DeliveryStreamName",
    "LogGroupName",
    "DBClusterIdentifier",
    "DBInstanceIdentifier",
    "AlarmName",
    "RuleName",
    "EventBusName",
];

struct Deriver {
    kinds: HashMap<String, Kind>,
    /// Name property values (as JSON text) to the resource they name.
    names: HashMap<String, String>,
    /// Literal names (of at least a few characters) to the resource they name.
    plain_names: HashMap<String, String>,
    /// Functions named by a `Fn::Sub` text (`${Env}-agent`), by that text.
    sub_names: HashMap<String, String>,
    found: Found,
    implicit: Vec<Service>,
    groups: Vec<(String, String)>,
    globals_env: Option<Value>,
    /// Ids taken by resources and implicit services.
    taken: HashSet<String>,
    /// Ids SAM makes from a resource (`MyFunctionUrl` for a function's
    /// URL), to the resource.
    aliases: HashMap<String, String>,
    /// (resource, property) whose references made their arrows already.
    handled_keys: HashSet<(String, String)>,
    /// Services that dispatch to targets they name (see [`fold::dispatches`]).
    dispatchers: HashSet<String>,
    /// Actions each service's statements grant, for references to
    /// resources of no known kind.
    granted: HashMap<String, Vec<String>>,
    /// Resource types by id.
    types: HashMap<String, String>,
}

impl Deriver {
    fn new(sketch: &Sketch) -> Deriver {
        let kinds: HashMap<String, Kind> =
            sketch.services().map(|s| (s.id.clone(), s.kind)).collect();
        let mut names = HashMap::new();
        let mut plain_names = HashMap::new();
        let mut sub_names = HashMap::new();
        for s in sketch.services() {
            if let Some(Value::String(n)) = s
                .properties
                .get("FunctionName")
                .and_then(|v| v.get("Fn::Sub"))
            {
                sub_names.entry(n.clone()).or_insert_with(|| s.id.clone());
            }
            for p in NAME_PROPERTIES {
                if let Some(v) = s.properties.get(*p) {
                    names.entry(v.to_string()).or_insert_with(|| s.id.clone());
                    if let Value::String(n) = v {
                        if n.len() >= 4 {
                            plain_names.entry(n.clone()).or_insert_with(|| s.id.clone());
                        }
                    }
                    // A name given by a parameter is what an ARN built from
                    // that parameter (`...:cluster:${DBClusterName}`) names.
                    if let Some(p) = v.get("Ref").and_then(Value::as_str) {
                        if !p.starts_with("AWS::") && !sketch.contains(p) {
                            plain_names
                                .entry(format!("${{{p}}}"))
                                .or_insert_with(|| s.id.clone());
                        }
                    }
                }
            }
        }
        let globals_env = sketch
            .sections
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(|f| f.get("Environment"))
            .and_then(|e| e.get("Variables"))
            .cloned();
        let mut aliases = HashMap::new();
        for s in sketch.services() {
            if s.type_name == "AWS::Serverless::Function" {
                if s.properties.contains_key("FunctionUrlConfig") {
                    aliases.insert(format!("{}Url", s.id), s.id.clone());
                }
                if let Some(Value::String(a)) = s.properties.get("AutoPublishAlias") {
                    aliases.insert(format!("{}Alias{a}", s.id), s.id.clone());
                }
                // `!Ref Fn.Alias` and `!Ref Fn.Version`: what SAM publishes
                // for `AutoPublishAlias` (here or in `Globals`) is the function.
                let published = s.properties.contains_key("AutoPublishAlias")
                    || sketch
                        .sections
                        .get("Globals")
                        .and_then(|g| g.get("Function"))
                        .is_some_and(|f| f.get("AutoPublishAlias").is_some());
                if published {
                    for part in ["Alias", "Version"] {
                        aliases.insert(format!("{}.{part}", s.id), s.id.clone());
                    }
                }
            }
        }
        aliases.retain(|k, _| !kinds.contains_key(k));
        Deriver {
            dispatchers: sketch
                .services()
                .filter(|s| crate::formats::fold::dispatches(&s.type_name))
                .map(|s| s.id.clone())
                .collect(),
            granted: HashMap::new(),
            types: sketch
                .services()
                .map(|s| (s.id.clone(), s.type_name.clone()))
                .collect(),
            handled_keys: HashSet::new(),
            aliases,
            taken: kinds.keys().cloned().collect(),
            kinds,
            names,
            plain_names,
            sub_names,
            found: Found::default(),
            implicit: Vec::new(),
            groups: Vec::new(),
            globals_env,
        }
    }

    fn is_resource(&self, id: &str) -> bool {
        self.kinds.contains_key(id)
    }

    /// The resource an id names: itself, or what SAM made it from.
    fn canon<'a>(&'a self, id: &'a str) -> &'a str {
        self.aliases.get(id).map_or(id, String::as_str)
    }

    fn type_of<'a>(&self, sketch: &'a Sketch, id: &str) -> &'a str {
        sketch.service(id).map_or("", |s| s.type_name.as_str())
    }

    fn kind_of(&self, id: &str) -> Option<Kind> {
        self.kinds.get(id).copied()
    }

    /// The resource a value names: the first reference to a resource, else a
    /// resource whose name property equals the value.
    fn target(&self, v: &Value) -> Option<String> {
        let mut found: Option<String> = None;
        refs::visit_targets(v, &mut |t, _| {
            let t = self.canon(t);
            if found.is_none() && self.is_resource(t) {
                found = Some(t.to_string());
            }
        });
        if found.is_some() {
            return found;
        }
        if matches!(v, Value::String(_) | Value::Object(_)) {
            if let Some(id) = self.names.get(&v.to_string()) {
                return Some(id.clone());
            }
        }
        match v {
            Value::String(s) => self.arn_target(s),
            Value::Object(m) => m.get("Fn::Sub").and_then(|x| match x {
                Value::String(s) => self.arn_target(s),
                Value::Array(a) => a
                    .first()
                    .and_then(Value::as_str)
                    .and_then(|s| self.arn_target(s)),
                _ => None,
            }),
            _ => None,
        }
    }

    /// The resource an ARN written out by hand names, found by the resource's
    /// own name property (`arn:aws:lambda:...:function:orders-api`).
    fn arn_target(&self, s: &str) -> Option<String> {
        if !s.starts_with("arn:") {
            return None;
        }
        s.rsplit([':', '/'])
            .filter(|seg| {
                let parameter = seg.starts_with("${")
                    && seg.ends_with('}')
                    && seg.matches("${").count() == 1
                    && !seg.contains("AWS::");
                !seg.is_empty()
                    && *seg != "*"
                    && (parameter || (!seg.contains("${") && !seg.contains('}')))
            })
            .take(2)
            .find_map(|seg| self.plain_names.get(seg).cloned())
    }

    /// Resources a value names by their literal names (a state machine
    /// task's `"FunctionName": "orders-handler"`).
    fn literal_names(&self, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                if let Some(t) = self.plain_names.get(s.as_str()) {
                    if !out.contains(t) {
                        out.push(t.clone());
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.literal_names(x, out)),
            Value::Object(m) => m.values().for_each(|x| self.literal_names(x, out)),
            _ => {}
        }
    }

    /// Resources named by hand-written ARNs anywhere in a value (a state
    /// machine definition, say).
    fn arn_targets(&self, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                if let Some(t) = self.arn_target(s) {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.arn_targets(x, out)),
            Value::Object(m) => m.values().for_each(|x| self.arn_targets(x, out)),
            _ => {}
        }
    }

    /// Every resource a value references.
    fn targets(&self, v: &Value) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in refs::cfn_targets(v) {
            let t = self.canon(&t).to_string();
            if self.is_resource(&t) && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    fn connect(
        &mut self,
        from: &str,
        to: &str,
        kind: ConnectionKind,
        origin: (&str, &str),
        label: Option<String>,
    ) {
        self.connect_with(from, to, kind, origin, false, label);
    }

    fn connect_with(
        &mut self,
        from: &str,
        to: &str,
        kind: ConnectionKind,
        origin: (&str, &str),
        fixed: bool,
        label: Option<String>,
    ) {
        self.found.connect(from, to, kind, origin, fixed, label);
    }

    fn natural(&self, from: &str, to: &str) -> ConnectionKind {
        match (self.kind_of(from), self.kind_of(to)) {
            (Some(a), Some(b)) => a.natural_connection(b).unwrap_or(ConnectionKind::Ref),
            _ => ConnectionKind::Ref,
        }
    }

    fn own(&mut self, glue: &str, owner: &str) {
        if self.is_resource(owner) {
            self.found.own(glue, owner);
        }
    }

    fn add_implicit(&mut self, id: String, kind: Kind, type_name: &str, properties: Map) -> String {
        if self.taken.insert(id.clone()) {
            let mut s = Service::new(id.clone(), kind, type_name);
            s.implicit = true;
            s.properties = properties;
            self.implicit.push(s);
            self.kinds.insert(id.clone(), kind);
        }
        id
    }

    fn run(&mut self, sketch: &Sketch) {
        // Event names that may name an implicit schedule or rule by themselves.
        let mut event_names: HashMap<String, usize> = HashMap::new();
        for s in sketch.services() {
            if let Some(Value::Object(ev)) = s.properties.get("Events") {
                for k in ev.keys() {
                    *event_names.entry(k.clone()).or_insert(0) += 1;
                }
            }
        }
        for s in sketch.services() {
            let id = s.id.as_str();
            let t = s.type_name.as_str();
            match t {
                "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                    self.events(s, &event_names);
                    self.policies(s, "/Properties/Policies");
                }
                "AWS::Serverless::Connector" => self.connector(id, &s.properties, (id, "")),
                "AWS::StepFunctions::StateMachine" => {
                    // References are found with the others; names written out
                    // in ARNs only here.
                    for key in ["Definition", "DefinitionString", "DefinitionSubstitutions"] {
                        if let Some(v) = s.properties.get(key) {
                            let mut ts = Vec::new();
                            self.arn_targets(v, &mut ts);
                            let ptr = format!("/Properties/{key}");
                            for t in ts {
                                self.reference(id, &t, (id, &ptr), true);
                            }
                        }
                    }
                }
                // Permissions wait until every other arrow is drawn.
                "AWS::Lambda::Permission" => {}
                "AWS::Lambda::EventSourceMapping" => {
                    let f = s
                        .properties
                        .get("FunctionName")
                        .and_then(|v| self.target(v));
                    let src = s
                        .properties
                        .get("EventSourceArn")
                        .and_then(|v| self.target(v));
                    if let Some(f) = &f {
                        self.own(id, f);
                        if let Some(src) = src {
                            self.connect(&src, f, ConnectionKind::Trigger, (id, ""), None);
                        }
                    }
                }
                "AWS::SNS::Subscription" => {
                    let topic = s.properties.get("TopicArn").and_then(|v| self.target(v));
                    let end = s.properties.get("Endpoint").and_then(|v| self.target(v));
                    if let Some(topic) = &topic {
                        self.own(id, topic);
                        if let Some(end) = end {
                            let k = self.subscription_kind(topic, &end);
                            self.connect(topic, &end, k, (id, ""), None);
                        }
                    }
                }
                "AWS::SQS::QueuePolicy" => self.own_first(id, s.properties.get("Queues")),
                "AWS::SNS::TopicPolicy" => self.own_first(id, s.properties.get("Topics")),
                "AWS::S3::BucketPolicy" => self.own_first(id, s.properties.get("Bucket")),
                "AWS::Events::EventBusPolicy" => {
                    self.own_first(id, s.properties.get("EventBusName"))
                }
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
                    // Owned by (the owner of) its role; statements connect the role's user.
                    let role = s
                        .properties
                        .get("Roles")
                        .or_else(|| s.properties.get("RoleName"))
                        .and_then(|v| self.target(v));
                    if let Some(role) = role {
                        self.own(id, &role);
                    }
                }
                "AWS::Events::Rule" | "AWS::Scheduler::Schedule" => self.rule(s),
                "AWS::Pipes::Pipe" => self.pipe(s),
                "AWS::SNS::Topic" => {
                    if let Some(Value::Array(subs)) = s.properties.get("Subscription") {
                        for (i, sub) in subs.iter().enumerate() {
                            if let Some(end) = sub.get("Endpoint").and_then(|v| self.target(v)) {
                                let k = self.subscription_kind(id, &end);
                                self.connect(
                                    id,
                                    &end,
                                    k,
                                    (id, &format!("/Properties/Subscription/{i}")),
                                    None,
                                );
                            }
                        }
                    }
                }
                "AWS::S3::Bucket" => self.bucket_notifications(s),
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => self.api_auth(s),
                "AWS::ApiGateway::Method" => {
                    if let Some(api) = s.properties.get("RestApiId").and_then(|v| self.target(v)) {
                        self.own(id, &api);
                        if let Some(integ) = s.properties.get("Integration") {
                            for t in self.targets(integ) {
                                if self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                                    self.connect(&api, &t, ConnectionKind::Route, (id, ""), None);
                                }
                            }
                        }
                        if let Some(a) = s
                            .properties
                            .get("AuthorizerId")
                            .and_then(|v| self.target(v))
                        {
                            self.found.owners.push((a.clone(), api.clone()));
                        }
                    }
                }
                "AWS::ApiGatewayV2::Integration" => {
                    if let Some(api) = s.properties.get("ApiId").and_then(|v| self.target(v)) {
                        self.own(id, &api);
                        for key in ["IntegrationUri", "RequestParameters", "CredentialsArn"] {
                            if key == "CredentialsArn" {
                                continue;
                            }
                            if let Some(v) = s.properties.get(key) {
                                for t in self.targets(v) {
                                    if self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                                        self.connect(
                                            &api,
                                            &t,
                                            ConnectionKind::Route,
                                            (id, ""),
                                            None,
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
                "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer" => {
                    let api = s
                        .properties
                        .get("RestApiId")
                        .or_else(|| s.properties.get("ApiId"))
                        .and_then(|v| self.target(v));
                    if let Some(api) = api {
                        self.own(id, &api);
                        let mut sources = Vec::new();
                        for key in ["AuthorizerUri", "ProviderARNs", "JwtConfiguration"] {
                            if let Some(v) = s.properties.get(key) {
                                sources.extend(self.targets(v));
                            }
                        }
                        for src in sources {
                            self.connect(&src, &api, ConnectionKind::Auth, (id, ""), None);
                        }
                    }
                }
                "AWS::EC2::Subnet"
                | "AWS::EC2::SecurityGroup"
                | "AWS::EC2::RouteTable"
                | "AWS::EC2::InternetGateway"
                | "AWS::EC2::VPCGatewayAttachment"
                | "AWS::EC2::VPCEndpoint" => {
                    if let Some(vpc) = s.properties.get("VpcId").and_then(|v| self.target(v)) {
                        self.groups.push((id.to_string(), vpc.clone()));
                        if s.kind != Kind::Vpc {
                            self.own(id, &vpc);
                        }
                    }
                }
                _ => {
                    if let Some(api) = ["RestApiId", "ApiId"]
                        .iter()
                        .find_map(|k| s.properties.get(*k))
                        .and_then(|v| self.target(v))
                    {
                        if s.kind.is_glue() {
                            self.own(id, &api);
                        }
                    }
                }
            }
            self.embedded_connectors(s);
            if t == "AWS::Logs::LogGroup" {
                self.log_group(s);
            }
        }
        self.load_balancers(sketch);
        for s in sketch.services() {
            self.infrastructure(sketch, s);
        }
        // A permission lets a source reach a function: it belongs to the
        // arrow already drawn between them (a route, an authorizer, a
        // trigger), else it draws the natural one.
        for s in sketch
            .services()
            .filter(|s| s.type_name == "AWS::Lambda::Permission")
        {
            let id = s.id.as_str();
            let Some(f) = s
                .properties
                .get("FunctionName")
                .and_then(|v| self.target(v))
            else {
                continue;
            };
            self.own(id, &f);
            let Some(src) = s.properties.get("SourceArn").and_then(|v| self.target(v)) else {
                continue;
            };
            let o = Origin {
                resource: id.to_string(),
                pointer: String::new(),
                fixed: false,
            };
            let drawn = self
                .found
                .conns
                .iter_mut()
                .find(|(a, b, _)| (*a == src && *b == f) || (*a == f && *b == src));
            if let Some((_, _, c)) = drawn {
                if !c.origins.contains(&o) {
                    c.origins.push(o);
                }
                continue;
            }
            let k = match self.natural(&src, &f) {
                ConnectionKind::Ref => ConnectionKind::Trigger,
                k => k,
            };
            self.connect(&src, &f, k, (id, ""), None);
        }
        self.roles(sketch);
        // References say "uses" without saying how: they join what the
        // policies drew, a role's statements included, as any other
        // reference does (a plain `AWS::Lambda::Function`'s environment).
        for s in sketch.services() {
            match s.type_name.as_str() {
                "AWS::Serverless::Function" => self.environment(s),
                "AWS::Serverless::StateMachine" => self.substitutions(s),
                _ => {}
            }
        }
        self.generic_refs(sketch);
    }

    /// Load balancers route to their targets: listeners and rules forward
    /// to target groups, whose targets (functions, instances, containers,
    /// auto scaling groups) are named by the group or name it.
    fn load_balancers(&mut self, sketch: &Sketch) {
        const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
        let mut listener_lb: HashMap<String, String> = HashMap::new();
        let mut tg_lbs: Vec<(String, String)> = Vec::new();
        for s in sketch
            .services()
            .filter(|s| s.type_name == "AWS::ElasticLoadBalancingV2::Listener")
        {
            if let Some(lb) = s
                .properties
                .get("LoadBalancerArn")
                .and_then(|v| self.target(v))
            {
                listener_lb.insert(s.id.clone(), lb.clone());
                if let Some(a) = s.properties.get("DefaultActions") {
                    for t in self.targets(a) {
                        if self.type_of(sketch, &t) == TG {
                            tg_lbs.push((t, lb.clone()));
                        }
                    }
                }
            }
        }
        for s in sketch
            .services()
            .filter(|s| s.type_name == "AWS::ElasticLoadBalancingV2::ListenerRule")
        {
            let lb = s
                .properties
                .get("ListenerArn")
                .and_then(|v| self.target(v))
                .and_then(|l| listener_lb.get(&l).cloned());
            if let (Some(lb), Some(a)) = (lb, s.properties.get("Actions")) {
                for t in self.targets(a) {
                    if self.type_of(sketch, &t) == TG {
                        tg_lbs.push((t, lb.clone()));
                    }
                }
            }
        }
        let lbs_of = |tg: &str| -> Vec<String> {
            tg_lbs
                .iter()
                .filter(|(t, _)| t == tg)
                .map(|(_, lb)| lb.clone())
                .collect()
        };
        let mut routes: Vec<(String, String, String)> = Vec::new();
        for s in sketch.services() {
            let t = s.type_name.as_str();
            if t == TG {
                if let Some(v) = s.properties.get("Targets") {
                    for x in self.targets(v) {
                        routes.push((s.id.clone(), x, s.id.clone()));
                    }
                }
                continue;
            }
            if s.kind.is_glue()
                || t.starts_with("AWS::ElasticLoadBalancingV2::")
                || t == "AWS::Lambda::Permission"
            {
                continue;
            }
            for v in s.properties.values() {
                for x in self.targets(v) {
                    if self.type_of(sketch, &x) == TG {
                        routes.push((x, s.id.clone(), s.id.clone()));
                    }
                }
            }
        }
        for (tg, target, origin) in routes {
            let lbs = lbs_of(&tg);
            if let Some(lb) = lbs.first() {
                self.own(&tg, lb);
            }
            for lb in lbs {
                self.connect_with(
                    &lb,
                    &target,
                    ConnectionKind::Route,
                    (&origin, ""),
                    true,
                    None,
                );
            }
        }
        for (tg, lb) in &tg_lbs {
            self.own(tg, lb);
        }
    }

    /// Connections of infrastructure resources that say what they do in
    /// their own words: IoT rules' actions, custom resources' providers,
    /// Object Lambda access points, database proxies, log subscriptions,
    /// log groups named after a function.
    fn infrastructure(&mut self, sketch: &Sketch, s: &Service) {
        let id = s.id.as_str();
        let t = s.type_name.as_str();
        let p = &s.properties;
        match t {
            "AWS::IoT::TopicRule" => {
                let Some(payload) = p.get("TopicRulePayload") else {
                    return;
                };
                let mut actions: Vec<(String, &Value)> = Vec::new();
                if let Some(Value::Array(a)) = payload.get("Actions") {
                    for (i, x) in a.iter().enumerate() {
                        actions.push((format!("/Properties/TopicRulePayload/Actions/{i}"), x));
                    }
                }
                if let Some(x) = payload.get("ErrorAction") {
                    actions.push(("/Properties/TopicRulePayload/ErrorAction".into(), x));
                }
                for (ptr, action) in actions {
                    let Value::Object(m) = action else { continue };
                    for cfg in m.values() {
                        let Value::Object(cfg) = cfg else { continue };
                        for (k, v) in cfg {
                            if k == "RoleArn" {
                                continue;
                            }
                            for x in self.targets(v) {
                                if self.kind_of(&x).is_some_and(|k| !k.is_glue()) {
                                    self.connect(id, &x, ConnectionKind::Trigger, (id, &ptr), None);
                                }
                            }
                        }
                    }
                }
                self.handled_keys
                    .insert((id.to_string(), "TopicRulePayload".to_string()));
            }
            "AWS::S3ObjectLambda::AccessPoint" => {
                let Some(cfg) = p.get("ObjectLambdaConfiguration") else {
                    return;
                };
                let ptr = "/Properties/ObjectLambdaConfiguration";
                if let Some(tc) = cfg.get("TransformationConfigurations") {
                    for f in self.targets(tc) {
                        self.connect_with(id, &f, ConnectionKind::Invoke, (id, ptr), true, None);
                    }
                }
                if let Some(ap) = cfg
                    .get("SupportingAccessPoint")
                    .and_then(|v| self.target(v))
                {
                    let bucket = if self.type_of(sketch, &ap) == "AWS::S3::AccessPoint" {
                        sketch
                            .service(&ap)
                            .and_then(|a| a.properties.get("Bucket"))
                            .and_then(|v| self.target(v))
                    } else {
                        Some(ap)
                    };
                    if let Some(b) = bucket {
                        self.connect_with(id, &b, ConnectionKind::Read, (id, ptr), true, None);
                    }
                }
                self.handled_keys
                    .insert((id.to_string(), "ObjectLambdaConfiguration".to_string()));
            }
            "AWS::KinesisFirehose::DeliveryStream" => {
                // A delivery stream reading a Kinesis stream is triggered by it.
                if let Some(src) = p
                    .get("KinesisStreamSourceConfiguration")
                    .and_then(|c| c.get("KinesisStreamARN"))
                    .and_then(|v| self.target(v))
                {
                    let ptr = "/Properties/KinesisStreamSourceConfiguration";
                    self.connect(&src, id, ConnectionKind::Trigger, (id, ptr), None);
                    self.handled_keys
                        .insert((id.to_string(), "KinesisStreamSourceConfiguration".into()));
                }
            }
            "AWS::RDS::DBProxyTargetGroup" => {
                if let Some(proxy) = p.get("DBProxyName").and_then(|v| self.target(v)) {
                    for key in ["DBClusterIdentifiers", "DBInstanceIdentifiers"] {
                        if let Some(v) = p.get(key) {
                            for db in self.targets(v) {
                                self.connect_with(
                                    &proxy,
                                    &db,
                                    ConnectionKind::Route,
                                    (id, ""),
                                    true,
                                    None,
                                );
                            }
                        }
                    }
                }
            }
            "AWS::Logs::SubscriptionFilter" => {
                if let Some(lg) = p.get("LogGroupName").and_then(|v| self.target(v)) {
                    self.own(id, &lg);
                    if let Some(d) = p.get("DestinationArn").and_then(|v| self.target(v)) {
                        self.connect(&lg, &d, ConnectionKind::Trigger, (id, ""), None);
                    }
                }
            }
            "AWS::Logs::LogGroup" => {
                // A log group named after a function is where it logs,
                // whether the name is written out or made from the same
                // parameters (`!Sub /aws/lambda/${Env}-agent`).
                let named = match p.get("LogGroupName") {
                    Some(Value::String(n)) => Some((n, &self.plain_names)),
                    Some(v) => match v.get("Fn::Sub") {
                        Some(Value::String(n)) => Some((n, &self.sub_names)),
                        _ => None,
                    },
                    None => None,
                };
                if let Some((n, names)) = named {
                    if let Some(f) = n
                        .strip_prefix("/aws/lambda/")
                        .and_then(|f| names.get(f))
                        .cloned()
                    {
                        self.connect(
                            &f,
                            id,
                            ConnectionKind::Log,
                            (id, "/Properties/LogGroupName"),
                            None,
                        );
                    }
                }
            }
            "AWS::Lambda::EventInvokeConfig" => {
                // Where the results of asynchronous calls go: the function
                // reaches them.
                let Some(f) = p.get("FunctionName").and_then(|v| self.target(v)) else {
                    return;
                };
                self.own(id, &f);
                for (key, label) in [("OnSuccess", None), ("OnFailure", Some(ON_FAILURE))] {
                    let d = p
                        .get("DestinationConfig")
                        .and_then(|c| c.get(key))
                        .and_then(|c| c.get("Destination"))
                        .and_then(|v| self.target(v));
                    if let Some(d) = d.filter(|d| *d != f) {
                        let ptr = format!("/Properties/DestinationConfig/{key}");
                        let k = self.natural(&f, &d);
                        self.connect(&f, &d, k, (id, &ptr), label.map(str::to_string));
                    }
                }
                for key in ["FunctionName", "DestinationConfig"] {
                    self.handled_keys.insert((id.to_string(), key.to_string()));
                }
            }
            _ if t.starts_with("Custom::") || t == "AWS::CloudFormation::CustomResource" => {
                if let Some(x) = p.get("ServiceToken").and_then(|v| self.target(v)) {
                    let k = match self.kind_of(&x) {
                        Some(Kind::Topic) => ConnectionKind::Publish,
                        _ => ConnectionKind::Invoke,
                    };
                    self.connect(id, &x, k, (id, "/Properties/ServiceToken"), None);
                }
                self.handled_keys
                    .insert((id.to_string(), "ServiceToken".to_string()));
            }
            _ => {}
        }
    }

    fn own_first(&mut self, id: &str, v: Option<&Value>) {
        if let Some(t) = v.and_then(|v| self.target(v)) {
            self.own(id, &t);
        }
    }

    fn subscription_kind(&self, topic: &str, end: &str) -> ConnectionKind {
        match self.natural(topic, end) {
            ConnectionKind::Ref => ConnectionKind::Subscribe,
            k => k,
        }
    }

    fn events(&mut self, s: &Service, event_names: &HashMap<String, usize>) {
        let Some(Value::Object(events)) = s.properties.get("Events") else {
            return;
        };
        let f = s.id.as_str();
        for (name, ev) in events {
            let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
            let empty = Map::new();
            let props = ev
                .get("Properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let origin_ptr = format!("/Properties/Events/{}", refs::escape(name));
            let origin = (f, origin_ptr.as_str());
            let implicit_id = |d: &Deriver| -> String {
                if event_names.get(name) == Some(&1) && !d.taken.contains(name) {
                    name.clone()
                } else {
                    format!("{f}{name}")
                }
            };
            // The events the recipes write, then those only read.
            let written = links::by_event(ty)
                .and_then(|l| l.sam.as_ref())
                .map(|e| e.prop);
            let source_prop = written.or(match ty {
                "MSK" => Some("Stream"),
                "MQ" => Some("Broker"),
                "DocumentDB" => Some("Cluster"),
                _ => None,
            });
            if let Some(p) = source_prop {
                if let Some(src) = props.get(p).and_then(|v| self.target(v)) {
                    self.connect(&src, f, ConnectionKind::Trigger, origin, Some(name.clone()));
                }
                continue;
            }
            match ty {
                "Api" | "HttpApi" => {
                    let (key, implicit, kw, ty) = if ty == "Api" {
                        (
                            "RestApiId",
                            IMPLICIT_REST_API,
                            Kind::Api,
                            "AWS::Serverless::Api",
                        )
                    } else {
                        (
                            "ApiId",
                            IMPLICIT_HTTP_API,
                            Kind::HttpApi,
                            "AWS::Serverless::HttpApi",
                        )
                    };
                    let api = match props.get(key) {
                        Some(v) => self.target(v),
                        None => Some(self.add_implicit(implicit.to_string(), kw, ty, Map::new())),
                    };
                    let label = match (
                        props.get("Method").and_then(Value::as_str),
                        props.get("Path").and_then(Value::as_str),
                    ) {
                        (Some(m), Some(p)) => Some(format!("{} {p}", m.to_uppercase())),
                        (None, Some(p)) => Some(p.to_string()),
                        _ => None,
                    };
                    if let Some(api) = api {
                        self.connect(&api, f, ConnectionKind::Route, origin, label);
                    }
                }
                "Schedule" | "ScheduleV2" => {
                    let id = implicit_id(self);
                    let ty = if ty == "Schedule" {
                        "AWS::Events::Rule"
                    } else {
                        "AWS::Scheduler::Schedule"
                    };
                    let id = self.add_implicit(id, Kind::Schedule, ty, props.clone());
                    self.connect(&id, f, ConnectionKind::Trigger, origin, None);
                    self.dead_letters(&id, props.get("DeadLetterConfig"), origin);
                }
                "EventBridgeRule" | "CloudWatchEvent" => {
                    let id = implicit_id(self);
                    let id = self.add_implicit(id, Kind::Rule, "AWS::Events::Rule", props.clone());
                    self.connect(&id, f, ConnectionKind::Trigger, origin, None);
                    if let Some(bus) = props.get("EventBusName").and_then(|v| self.target(v)) {
                        self.connect(&bus, &id, ConnectionKind::Route, origin, None);
                    }
                    self.pattern_sources(&id, props.get("Pattern"), origin);
                    self.dead_letters(&id, props.get("DeadLetterConfig"), origin);
                }
                "IoTRule" => {
                    let id = implicit_id(self);
                    let id =
                        self.add_implicit(id, Kind::Generic, "AWS::IoT::TopicRule", props.clone());
                    self.connect(&id, f, ConnectionKind::Trigger, origin, None);
                }
                _ => {
                    // Other event types (AlexaSkill, SelfManagedKafka, ...) name no
                    // resource of this template; anything they reference still links.
                    for t in self.targets(&Value::Object(props.clone())) {
                        self.connect(&t, f, ConnectionKind::Trigger, origin, Some(name.clone()));
                    }
                }
            }
        }
    }

    /// SAM `Policies`: templates, inline statements, managed names.
    fn policies(&mut self, s: &Service, pointer: &str) {
        let Some(v) = s.properties.get("Policies") else {
            return;
        };
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        let single = !matches!(v, Value::Array(_));
        for (i, item) in items.into_iter().enumerate() {
            let ptr = if single {
                pointer.to_string()
            } else {
                format!("{pointer}/{i}")
            };
            let Value::Object(m) = item else { continue };
            if m.contains_key("Statement") {
                self.statements(
                    &s.id,
                    m.get("Statement"),
                    &format!("{ptr}/Statement"),
                    &s.id,
                    false,
                );
                continue;
            }
            for (tname, params) in m {
                match policies::template(tname) {
                    Some((param, kind)) => {
                        let target = if param.is_empty() {
                            None
                        } else {
                            params.get(param).and_then(|p| self.target(p))
                        };
                        if let Some(t) = target {
                            self.connect(&s.id, &t, kind, (&s.id, &ptr), None);
                        }
                    }
                    None => {
                        for t in self.targets(params) {
                            let k = self.natural(&s.id, &t);
                            self.connect(&s.id, &t, k, (&s.id, &ptr), None);
                        }
                    }
                }
            }
        }
    }

    /// The statements of a policy document of `user`, written in `resource`
    /// at `ptr`: a mapping, or JSON text (`!Sub '{...}'`).
    fn document(&mut self, user: &str, doc: Option<&Value>, ptr: &str, resource: &str) {
        let Some(doc) = doc else { return };
        match doc.get("Statement") {
            Some(st) => {
                self.statements(user, Some(st), &format!("{ptr}/Statement"), resource, false)
            }
            None => {
                if let Some(st) = text_statements(doc) {
                    self.statements(user, Some(&st), ptr, resource, true);
                }
            }
        }
    }

    /// IAM statements of `user` (the function, state machine or role owner),
    /// written in `resource` at `base` (the `Statement` key's pointer, or
    /// the whole document when it is text and cannot be cut statement by
    /// statement).
    fn statements(
        &mut self,
        user: &str,
        v: Option<&Value>,
        base: &str,
        resource: &str,
        text: bool,
    ) {
        let Some(v) = v else { return };
        let list: Vec<(String, &Value)> = match v {
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(j, st)| {
                    let ptr = if text {
                        base.to_string()
                    } else {
                        format!("{base}/{j}")
                    };
                    (ptr, st)
                })
                .collect(),
            other => vec![(base.to_string(), other)],
        };
        // Text cannot be cut statement by statement (and a policy without
        // its document is no policy): it stays, for its author to edit.
        let shared = text;
        for (ptr, st) in list {
            if st.get("Effect").and_then(Value::as_str) == Some("Deny") {
                continue;
            }
            let actions: Vec<&str> = match st.get("Action") {
                Some(Value::String(a)) => vec![a.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            self.granted
                .entry(user.to_string())
                .or_default()
                .extend(actions.iter().map(|a| a.to_string()));
            let Some(res) = st.get("Resource") else {
                continue;
            };
            let mut ts = self.targets(res);
            self.arn_targets(res, &mut ts);
            // A statement that grants on this one resource only can go with its
            // arrow; one that grants more must stay.
            let entries: Vec<&Value> = match res {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            let dedicated = !shared
                && ts.len() == 1
                && entries.iter().all(|e| {
                    let mut one = self.targets(e);
                    self.arn_targets(e, &mut one);
                    one == ts
                });
            for t in ts {
                let Some(tk) = self.kind_of(&t) else { continue };
                if tk.is_glue() {
                    continue;
                }
                // Only the actions of the target's own service apply to it.
                let actions: Vec<&str> = actions
                    .iter()
                    .copied()
                    .filter(|a| recipes::acts_on(tk, a))
                    .collect();
                if actions.is_empty() {
                    continue;
                }
                // The permission an event source needs to reach its target,
                // or a function to poll what triggers it, is that trigger.
                if self.join_trigger(user, &t, &actions, (resource, &ptr), !dedicated) {
                    continue;
                }
                let arrows = crate::formats::fold::granted_arrows(
                    self.kind_of(user),
                    tk,
                    self.natural(user, &t),
                    &actions,
                );
                let o = Origin {
                    resource: resource.to_string(),
                    pointer: ptr.clone(),
                    fixed: !dedicated,
                };
                if self.dispatchers.contains(user) {
                    self.found.join(user, &t, &[], o);
                    continue;
                }
                for k in arrows {
                    self.connect_with(user, &t, k, (resource, &ptr), !dedicated, None);
                }
            }
        }
    }

    /// Adds `origin` to a trigger or route between `user` and `t` that the
    /// statement's actions serve; whether there was one.
    fn join_trigger(
        &mut self,
        user: &str,
        t: &str,
        actions: &[&str],
        origin: (&str, &str),
        fixed: bool,
    ) -> bool {
        let trigger =
            |k: ConnectionKind| matches!(k, ConnectionKind::Trigger | ConnectionKind::Route);
        let forward = policies::serves_trigger(actions, true);
        let backward = policies::serves_trigger(actions, false);
        let found = self.found.conns.iter_mut().find(|(a, b, c)| {
            trigger(c.kind)
                && ((forward && a == user && b == t) || (backward && a == t && b == user))
        });
        match found {
            Some((_, _, c)) => {
                let o = Origin {
                    resource: origin.0.to_string(),
                    pointer: origin.1.to_string(),
                    fixed,
                };
                if !c.origins.contains(&o) {
                    c.origins.push(o);
                }
                true
            }
            None => false,
        }
    }

    fn environment(&mut self, s: &Service) {
        if let Some(Value::Object(vars)) = s
            .properties
            .get("Environment")
            .and_then(|e| e.get("Variables"))
        {
            for (k, v) in vars {
                let ptr = format!("/Properties/Environment/Variables/{}", refs::escape(k));
                for t in self.targets(v) {
                    self.reference(&s.id, &t, (&s.id, &ptr), false);
                }
            }
        }
        if let Some(Value::Object(vars)) = self.globals_env.clone() {
            for (_, v) in vars {
                for t in self.targets(&v) {
                    self.reference(&s.id, &t, ("Globals", "/Function/Environment"), true);
                }
            }
        }
    }

    fn substitutions(&mut self, s: &Service) {
        if let Some(Value::Object(vars)) = s.properties.get("DefinitionSubstitutions") {
            for (k, v) in vars {
                let ptr = format!("/Properties/DefinitionSubstitutions/{}", refs::escape(k));
                for t in self.targets(v) {
                    self.reference(&s.id, &t, (&s.id, &ptr), false);
                }
            }
        }
        for key in ["Definition", "DefinitionUri"] {
            if let Some(v) = s.properties.get(key) {
                let ptr = format!("/Properties/{key}");
                let mut ts = self.targets(v);
                self.arn_targets(v, &mut ts);
                self.literal_names(v, &mut ts);
                for t in ts {
                    self.reference(&s.id, &t, (&s.id, &ptr), true);
                }
            }
        }
    }

    /// A reference that says "uses" without saying how: it joins an arrow the
    /// policies already drew, or draws the natural one.
    fn reference(&mut self, from: &str, to: &str, origin: (&str, &str), fixed: bool) {
        if from == to || self.kind_of(to).is_none_or(|k| k.is_glue()) {
            return;
        }
        let ty = self.types.get(to).map_or("", String::as_str);
        // A custom resource's attributes are values found at deploy time.
        if ty.starts_with("Custom::") || ty == "AWS::CloudFormation::CustomResource" {
            return;
        }
        let o = Origin {
            resource: origin.0.to_string(),
            pointer: origin.1.to_string(),
            fixed,
        };
        if self.found.join(from, to, &[], o.clone())
            || self.found.join_source(from, to, self.kind_of(to), o)
        {
            return;
        }
        let mut k = self.natural(from, to);
        if k == ConnectionKind::Ref {
            k = self.granted_kind(from, ty).unwrap_or(k);
        }
        self.connect_with(from, to, k, origin, fixed, None);
    }

    /// For a resource of no known kind (`AWS::IoT::Thing`), what the
    /// statements of `from` grant on its service (`iot:Publish`).
    fn granted_kind(&self, from: &str, ty: &str) -> Option<ConnectionKind> {
        let service = ty
            .strip_prefix("AWS::")?
            .split("::")
            .next()?
            .to_ascii_lowercase();
        let actions: Vec<&str> = self
            .granted
            .get(from)?
            .iter()
            .map(String::as_str)
            .filter(|a| {
                a.split_once(':')
                    .is_some_and(|(s, _)| s.eq_ignore_ascii_case(&service))
            })
            .collect();
        (!actions.is_empty()).then(|| crate::formats::fold::classify(&actions))
    }

    fn connector(&mut self, id: &str, props: &Map, origin: (&str, &str)) {
        let src = props
            .get("Source")
            .and_then(|s| s.get("Id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let src = match src {
            Some(s) => Some(s),
            None if origin.1.is_empty() => None,
            None => Some(origin.0.to_string()),
        };
        let Some(src) = src.filter(|s| self.is_resource(s)) else {
            return;
        };
        if origin.1.is_empty() {
            self.own(id, &src);
        }
        let dests: Vec<String> = match props.get("Destination") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|d| d.get("Id")?.as_str().map(str::to_string))
                .collect(),
            Some(d) => d
                .get("Id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .into_iter()
                .collect(),
            None => vec![],
        };
        let perms: Vec<&str> = props
            .get("Permissions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let dests: Vec<String> = dests.into_iter().filter(|d| self.is_resource(d)).collect();
        for d in dests {
            let kind = if perms.contains(&"Write") {
                match self.natural(&src, &d) {
                    ConnectionKind::Read | ConnectionKind::Ref => ConnectionKind::Write,
                    k => k,
                }
            } else {
                ConnectionKind::Read
            };
            self.connect(&src, &d, kind, origin, None);
        }
    }

    fn embedded_connectors(&mut self, s: &Service) {
        let Some(Value::Object(cs)) = s.attributes.get("Connectors") else {
            return;
        };
        for (name, c) in cs {
            if let Some(Value::Object(props)) = c.get("Properties") {
                let ptr = format!("/Connectors/{}", refs::escape(name));
                self.connector(&s.id, props, (&s.id, &ptr));
            }
        }
    }

    fn rule(&mut self, s: &Service) {
        let id = s.id.as_str();
        if let Some(bus) = s
            .properties
            .get("EventBusName")
            .and_then(|v| self.target(v))
        {
            self.connect(
                &bus,
                id,
                ConnectionKind::Route,
                (id, "/Properties/EventBusName"),
                None,
            );
        }
        let targets: Vec<(String, &Value)> = match s
            .properties
            .get("Targets")
            .or_else(|| s.properties.get("Target"))
        {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("/Properties/Targets/{i}"), t))
                .collect(),
            Some(t @ Value::Object(_)) => vec![("/Properties/Target".to_string(), t)],
            _ => vec![],
        };
        self.pattern_sources(
            id,
            s.properties.get("EventPattern"),
            (id, "/Properties/EventPattern"),
        );
        for (ptr, t) in targets {
            if let Some(role) = t.get("RoleArn").and_then(|v| self.target(v)) {
                self.found.owners.push((role, id.to_string()));
            }
            self.dead_letters(
                id,
                t.get("DeadLetterConfig"),
                (id, &format!("{ptr}/DeadLetterConfig")),
            );
            // An ECS target runs its task definition on the cluster `Arn`
            // names: the task is what is triggered.
            let task = t
                .get("EcsParameters")
                .and_then(|e| e.get("TaskDefinitionArn"))
                .and_then(|v| self.target(v));
            let dest = t.get("Arn").and_then(|v| self.target(v));
            if let (Some(task), Some(cluster)) = (&task, &dest) {
                self.own(cluster, task);
            }
            if let Some(dest) = task.or(dest) {
                let k = match self.natural(id, &dest) {
                    ConnectionKind::Ref => ConnectionKind::Trigger,
                    k => k,
                };
                self.connect(id, &dest, k, (id, &ptr), None);
            }
            // A universal target (`arn:aws:scheduler:::aws-sdk:ec2:stopInstances`)
            // calls an API on what its input names.
            let universal = t
                .get("Arn")
                .and_then(Value::as_str)
                .is_some_and(|a| a.contains(":aws-sdk:"));
            if let (true, Some(input)) = (universal, t.get("Input")) {
                let mut dests = self.targets(input);
                self.arn_targets(input, &mut dests);
                for dest in dests {
                    if dest != id && self.kind_of(&dest).is_some_and(|k| !k.is_glue()) {
                        let ptr = format!("{ptr}/Input");
                        self.connect_with(
                            id,
                            &dest,
                            ConnectionKind::Trigger,
                            (id, &ptr),
                            true,
                            None,
                        );
                    }
                }
            }
        }
    }

    /// Resources an event pattern names (a bucket's events, say) feed the rule.
    fn pattern_sources(&mut self, rule: &str, pattern: Option<&Value>, origin: (&str, &str)) {
        if let Some(p) = pattern {
            for t in self.targets(p) {
                self.connect(&t, rule, ConnectionKind::Trigger, origin, None);
            }
        }
    }

    /// Where undeliverable events go.
    fn dead_letters(&mut self, from: &str, config: Option<&Value>, origin: (&str, &str)) {
        if let Some(q) = config
            .and_then(|c| c.get("Arn"))
            .and_then(|v| self.target(v))
        {
            self.connect(from, &q, ConnectionKind::Write, origin, None);
        }
    }

    fn pipe(&mut self, s: &Service) {
        let id = s.id.as_str();
        if let Some(src) = s.properties.get("Source").and_then(|v| self.target(v)) {
            self.connect(
                &src,
                id,
                ConnectionKind::Trigger,
                (id, "/Properties/Source"),
                None,
            );
        }
        if let Some(e) = s.properties.get("Enrichment").and_then(|v| self.target(v)) {
            self.connect(
                id,
                &e,
                ConnectionKind::Invoke,
                (id, "/Properties/Enrichment"),
                None,
            );
        }
        if let Some(t) = s.properties.get("Target").and_then(|v| self.target(v)) {
            self.connect(
                id,
                &t,
                ConnectionKind::Trigger,
                (id, "/Properties/Target"),
                None,
            );
        }
    }

    fn bucket_notifications(&mut self, s: &Service) {
        let Some(Value::Object(n)) = s.properties.get("NotificationConfiguration") else {
            return;
        };
        // The notifications the recipes write.
        for (list, key) in links::notifications(false) {
            if let Some(Value::Array(items)) = n.get(list) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(t) = item.get(key).and_then(|v| self.target(v)) {
                        let ptr = format!("/Properties/NotificationConfiguration/{list}/{i}");
                        self.connect(&s.id, &t, ConnectionKind::Trigger, (&s.id, &ptr), None);
                    }
                }
            }
        }
    }

    fn api_auth(&mut self, s: &Service) {
        let Some(Value::Object(auths)) =
            s.properties.get("Auth").and_then(|a| a.get("Authorizers"))
        else {
            return;
        };
        for (name, a) in auths {
            let ptr = format!("/Properties/Auth/Authorizers/{}", refs::escape(name));
            for t in self.targets(a) {
                self.connect(&t, &s.id, ConnectionKind::Auth, (&s.id, &ptr), None);
            }
        }
    }

    fn log_group(&mut self, s: &Service) {
        if let Some(v) = s.properties.get("LogGroupName") {
            for t in self.targets(v) {
                self.connect(
                    &t,
                    &s.id,
                    ConnectionKind::Log,
                    (&s.id, "/Properties/LogGroupName"),
                    None,
                );
            }
        }
    }

    /// Roles belong to whoever assumes them; their statements connect that user.
    fn roles(&mut self, sketch: &Sketch) {
        // A role can serve several services (functions sharing one role):
        // its statements connect each of them; the first owns it.
        let mut role_users: HashMap<String, Vec<String>> = HashMap::new();
        for s in sketch.services() {
            if s.kind.is_glue() {
                continue;
            }
            for v in identity_properties(&s.properties) {
                refs::visit_targets(v, &mut |t, _| {
                    if self.kinds.get(t).is_some_and(|k| *k == Kind::Role) {
                        let us = role_users.entry(t.to_string()).or_default();
                        if !us.contains(&s.id) {
                            us.push(s.id.clone());
                        }
                    }
                });
            }
        }
        // Rule targets name roles too (recorded as owners above).
        for (g, o) in &self.found.owners {
            if self.kind_of(g).is_some_and(|k| k == Kind::Role) {
                role_users
                    .entry(g.clone())
                    .or_insert_with(|| vec![o.clone()]);
            }
        }
        let mut role_user: HashMap<String, String> = role_users
            .iter()
            .map(|(r, us)| (r.clone(), us[0].clone()))
            .collect();
        // A role nothing here names (an OpenAPI file outside the template may)
        // belongs to the one service of the kind its trust policy admits.
        let unused: Vec<&Service> = sketch
            .services()
            .filter(|s| s.type_name == "AWS::IAM::Role" && !role_user.contains_key(&s.id))
            .collect();
        for s in unused {
            let trusted = s
                .properties
                .get("AssumeRolePolicyDocument")
                .map(trusted_services)
                .unwrap_or_default();
            let kinds: Vec<Kind> = trusted
                .iter()
                .flat_map(|p| kinds_assuming(p).iter().copied())
                .collect();
            let candidates: Vec<&Service> = sketch
                .services()
                .filter(|c| !c.implicit && kinds.contains(&c.kind))
                .collect();
            if let [only] = candidates.as_slice() {
                role_user.insert(s.id.clone(), only.id.clone());
                role_users.insert(s.id.clone(), vec![only.id.clone()]);
            }
        }
        for s in sketch.services() {
            match s.type_name.as_str() {
                "AWS::IAM::Role" => {
                    let Some(user) = role_user.get(&s.id).cloned() else {
                        continue;
                    };
                    self.own(&s.id, &user);
                    let users = role_users.get(&s.id).cloned().unwrap_or_default();
                    if let Some(Value::Array(ps)) = s.properties.get("Policies") {
                        for (i, p) in ps.iter().enumerate() {
                            let ptr = format!("/Properties/Policies/{i}/PolicyDocument");
                            for u in &users {
                                self.document(u, p.get("PolicyDocument"), &ptr, &s.id);
                            }
                        }
                    }
                }
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
                    let roles = s
                        .properties
                        .get("Roles")
                        .or_else(|| s.properties.get("RoleName"))
                        .map(|v| self.targets(v))
                        .unwrap_or_default();
                    let mut users: Vec<String> = Vec::new();
                    for r in &roles {
                        for u in role_users.get(r).into_iter().flatten() {
                            if !users.contains(u) {
                                users.push(u.clone());
                            }
                        }
                    }
                    let doc = s.properties.get("PolicyDocument");
                    for u in users {
                        self.document(&u, doc, "/Properties/PolicyDocument", &s.id);
                    }
                }
                _ => {}
            }
        }
    }

    /// Any other reference: a natural arrow between services that are not
    /// connected yet, a plain `ref` at the resource level for glue.
    fn generic_refs(&mut self, sketch: &Sketch) {
        let mut linked: HashSet<(String, String)> = HashSet::new();
        // Places that already made a connection; references inside them are not new.
        let mut handled: HashMap<String, Vec<String>> = HashMap::new();
        for (a, b, c) in &self.found.conns {
            linked.insert((a.clone(), b.clone()));
            for o in &c.origins {
                handled
                    .entry(o.resource.clone())
                    .or_default()
                    .push(o.pointer.clone());
            }
        }
        let handled_fn = [
            "Events",
            "Policies",
            "Environment",
            "DefinitionSubstitutions",
            "Definition",
            "DefinitionUri",
        ];
        // Where code and templates are stored is no data flow: `+code`.
        let code = [
            "CodeUri",
            "Code",
            "ContentUri",
            "Content",
            "ImageUri",
            "DefinitionS3Location",
            "TemplateURL",
            "Location",
        ];
        for s in sketch.services() {
            let glue = s.kind.is_glue();
            let serverless = matches!(
                s.type_name.as_str(),
                "AWS::Serverless::Function" | "AWS::Serverless::StateMachine"
            );
            for (key, v) in &s.properties {
                if (serverless && handled_fn.contains(&key.as_str()))
                    || code.contains(&key.as_str())
                    || self.handled_keys.contains(&(s.id.clone(), key.clone()))
                {
                    continue;
                }
                if s.type_name == "AWS::Logs::LogGroup" && key == "LogGroupName" {
                    continue;
                }
                // Words about a resource (its description, its tags) say
                // nothing of what it connects to.
                if matches!(key.as_str(), "Description" | "Tags") {
                    continue;
                }
                let mut rs: Vec<Reference> = Vec::new();
                refs::cfn_refs(v, "", &mut rs);
                let ptr = format!("/Properties/{}", refs::escape(key));
                let mut seen = HashSet::new();
                for r in rs {
                    let full = format!("{ptr}{}", r.pointer);
                    let inside_handled = handled.get(&s.id).is_some_and(|ps| {
                        ps.iter().any(|p| {
                            !p.is_empty() && (full == *p || full.starts_with(&format!("{p}/")))
                        })
                    });
                    let t = self.canon(&r.target).to_string();
                    // Where a function's failed asynchronous events go.
                    let failure = s.kind == Kind::Function
                        && (matches!(key.as_str(), "DeadLetterQueue" | "DeadLetterConfig")
                            || full.contains("/OnFailure/"));
                    if failure && self.is_resource(&t) && t != s.id {
                        let place = match full.find("/OnFailure/") {
                            Some(i) => full[..i + "/OnFailure".len()].to_string(),
                            None => ptr.clone(),
                        };
                        let origin = Origin {
                            resource: s.id.clone(),
                            pointer: place,
                            fixed: false,
                        };
                        let k = self.natural(&s.id, &t);
                        self.found.on_failure(&s.id, &t, k, origin);
                        linked.insert((s.id.clone(), t.clone()));
                        seen.insert(t.clone());
                        continue;
                    }
                    // A reference inside something that already made an arrow
                    // between the same two services adds nothing.
                    let already = linked.contains(&(s.id.clone(), t.clone()))
                        || linked.contains(&(t.clone(), s.id.clone()));
                    if (inside_handled && already)
                        || t == s.id
                        || !self.is_resource(&t)
                        || !seen.insert(t.clone())
                    {
                        continue;
                    }
                    let tk = self.kind_of(&t).expect("resource");
                    if glue || tk.is_glue() {
                        if linked.insert((s.id.clone(), t.clone())) {
                            self.connect(&s.id, &t, ConnectionKind::Ref, (&s.id, &full), None);
                        }
                        continue;
                    }
                    if linked.contains(&(s.id.clone(), t.clone())) {
                        continue;
                    }
                    linked.insert((s.id.clone(), t.clone()));
                    // Lambda@Edge (and CloudFront functions) run on the
                    // distribution's requests: it triggers them.
                    let edge = crate::formats::fold::runs_at_edge(&full);
                    let k = match self.natural(&s.id, &t) {
                        _ if edge => ConnectionKind::Trigger,
                        // What names a log group (a container's log
                        // configuration, an API's access logs) logs to it.
                        ConnectionKind::Ref if tk == Kind::LogGroup && s.kind != Kind::Alarm => {
                            ConnectionKind::Log
                        }
                        k => k,
                    };
                    // Inside an intrinsic (a `Sub` string, a `Join`) the reference
                    // cannot be cut out alone.
                    let fixed = full.contains("/Fn::");
                    self.connect_with(&s.id, &t, k, (&s.id, &full), fixed, None);
                }
            }
        }
        // Layers, subnets and security groups used by one service fold into it.
        for s in sketch.services() {
            for key in ["Layers", "VpcConfig"] {
                if let Some(v) = s.properties.get(key) {
                    for t in self.targets(v) {
                        if self.kind_of(&t).is_some_and(|k| {
                            matches!(k, Kind::Layer | Kind::Subnet | Kind::SecurityGroup)
                        }) {
                            self.found.owners.push((t.clone(), s.id.clone()));
                        }
                        if key == "VpcConfig" {
                            self.groups.push((s.id.clone(), t));
                        }
                    }
                }
            }
        }
    }

    fn finish(mut self, sketch: &mut Sketch) {
        for s in std::mem::take(&mut self.implicit) {
            // Ids are unique (`taken`); one made from an event name that is no
            // valid name itself (`M{Timer`) is left out rather than drawn.
            let _ = sketch.add_service(s);
        }
        let mut refs: crate::formats::fold::Refs = HashMap::new();
        for s in sketch.services() {
            let list = refs.entry(s.id.clone()).or_default();
            for (k, v) in &s.properties {
                for t in self.targets(v) {
                    if t != s.id {
                        list.push((k.clone(), t));
                    }
                }
            }
        }
        crate::formats::fold::owners(sketch, &refs, &mut self.found);
        crate::formats::fold::lift(sketch, &mut self.found);
        crate::formats::wiring::apply(sketch, self.found, &self.groups);
    }
}
