//! Connections and owners of a Terraform sketch, read from references. Glue
//! (permissions, event source mappings, notifications, subscriptions, rule
//! targets, roles and policies, API integrations) folds into the typed
//! arrows it creates, with the same kinds the SAM importer gives the same
//! situations, so a sketch keeps its shape across the two languages.
//!
//! A reference is a traversal in an expression. Through `var.`, `local.` and
//! `module.NAME.OUTPUT` it is followed across module boundaries to the
//! resources it ends at.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::syntax::JSONENCODE;
use super::text::{self, Chain};
use crate::catalog::Kind;
use crate::formats::recipes::links;
use crate::formats::refs;
use crate::formats::sam::policies;
use crate::formats::wiring::Found;
use crate::model::{Connection, ConnectionKind, Map, ON_FAILURE, Origin, Sketch, Value};

pub(crate) fn derive(sketch: &mut Sketch) {
    let mut d = Deriver::new(sketch);
    d.run(sketch);
    d.finish(sketch);
}

/// The module prefix of an address: `module.a.` for `module.a.aws_x.y`.
pub fn scope_of(id: &str) -> &str {
    let mut end = 0;
    loop {
        let rest = &id[end..];
        let Some(after) = rest.strip_prefix("module.") else {
            break;
        };
        match after.find('.') {
            Some(i) => end += 7 + i + 1,
            None => break,
        }
    }
    &id[..end]
}

/// The prefix of the module that calls the one at `prefix`.
fn parent_scope(prefix: &str) -> &str {
    let trimmed = prefix.strip_suffix('.').unwrap_or(prefix);
    match trimmed.rfind(".module.") {
        Some(i) => &prefix[..i + 1],
        None => "",
    }
}

/// Resources that hold settings which CloudFormation keeps as properties of
/// the resource they configure: they fold into it, as SAM shows one box.
const SETTINGS: &[&str] = &[
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_website_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_accelerate_configuration",
    "aws_s3_bucket_intelligent_tiering_configuration",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_request_payment_configuration",
    "aws_sqs_queue_redrive_policy",
    "aws_sqs_queue_redrive_allow_policy",
    "aws_secretsmanager_secret_version",
    "aws_lambda_function_event_invoke_config",
    "aws_lambda_function_url",
    "aws_lambda_provisioned_concurrency_config",
    "aws_api_gateway_rest_api_policy",
    "aws_kms_key_policy",
    "aws_dynamodb_table_item",
    "aws_sns_topic_data_protection_policy",
];

/// Whether an address is a data source.
pub fn is_data(id: &str) -> bool {
    id[scope_of(id).len()..].starts_with("data.")
}

/// Arguments that name a resource (`name`, `bucket`, `function_name`), for
/// ARNs written out by hand that end in the name.
const NAME_ARGUMENTS: &[&str] = &[
    "name",
    "bucket",
    "function_name",
    "alarm_name",
    "table_name",
    "identifier",
    "cluster_identifier",
];

/// Data sources that stand for CloudFormation's pseudo parameters: inside an
/// ARN they give its region or account, not what it names.
const PSEUDO_DATA: &[&str] = &[
    "aws_region",
    "aws_caller_identity",
    "aws_partition",
    "aws_availability_zones",
];

struct Deriver {
    kinds: HashMap<String, Kind>,
    /// Literal names (of at least a few characters) to the resource they
    /// name, per module: (module prefix, name) to address.
    plain_names: HashMap<(String, String), String>,
    types: HashMap<String, String>,
    sections: Map,
    /// Bodies of policies and policy documents, read when a role uses them.
    doc_props: HashMap<String, Map>,
    found: Found,
    groups: Vec<(String, String)>,
    memo: RefCell<HashMap<String, Vec<String>>>,
    /// (resource, argument) whose references made their arrows already.
    handled_keys: HashSet<(String, String)>,
    /// Custom resources (they name their provider by `service_token`).
    custom: HashSet<String>,
    /// Every action each service's role grants, whatever the resource.
    granted: HashMap<String, Vec<String>>,
}

fn get<'v>(m: &'v Map, key: &str) -> Option<&'v Value> {
    m.get(key)
}

/// The first item of a nested block list.
fn first_block<'v>(m: &'v Map, key: &str) -> Option<&'v Map> {
    match m.get(key)? {
        Value::Array(a) => a.first()?.as_object(),
        Value::Object(o) => Some(o),
        _ => None,
    }
}

/// Where the references of a value sit, as pointers a disconnect can remove
/// and still leave valid Terraform: an item of a list, an argument of a
/// nested block, a whole IAM statement, else the top-level argument.
fn ref_places(
    v: &Value,
    path: &str,
    cut: &str,
    refine_keys: bool,
    in_statement: bool,
    out: &mut Vec<(String, Value)>,
) {
    match v {
        Value::String(s) if s.contains("${") => out.push((cut.to_string(), v.clone())),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{path}/{i}");
                let c = if in_statement {
                    cut.to_string()
                } else {
                    p.clone()
                };
                ref_places(x, &p, &c, true, in_statement, out);
            }
        }
        Value::Object(m) => {
            let is_statement = !in_statement
                && (m.contains_key("Action") || m.contains_key("actions"))
                && (m.contains_key("Resource")
                    || m.contains_key("resources")
                    || m.contains_key("Effect"));
            let stmt = in_statement || is_statement;
            let own_cut = if is_statement { path } else { cut };
            for (k, x) in m {
                let p = format!("{path}/{}", refs::escape(k));
                let c = if stmt {
                    own_cut.to_string()
                } else if refine_keys {
                    p.clone()
                } else {
                    own_cut.to_string()
                };
                ref_places(x, &p, &c, false, stmt, out);
            }
        }
        _ => {}
    }
}

/// Arguments where a role named is not the role the resource runs as: resource
/// policies, where it is a principal let in.
const NOT_IDENTITY: &[&str] = &[
    "access_policies",
    "policy",
    "policy_document",
    "principal",
    "principals",
    "resource_policy",
];

impl Deriver {
    fn new(sketch: &Sketch) -> Deriver {
        let mut plain_names = HashMap::new();
        for s in sketch.services().filter(|s| !is_data(&s.id)) {
            for a in NAME_ARGUMENTS {
                if let Some(Value::String(n)) = s.properties.get(*a) {
                    // A literal name, or one given whole by a variable or
                    // local (`${var.queue_name}`), which an ARN built from
                    // the same variable names too.
                    let whole_variable = text::single_interpolation(n)
                        .is_some_and(|e| e.starts_with("var.") || e.starts_with("local."));
                    if (n.len() >= 4 && !n.contains("${")) || whole_variable {
                        plain_names
                            .entry((scope_of(&s.id).to_string(), n.clone()))
                            .or_insert_with(|| s.id.clone());
                    }
                }
            }
        }
        Deriver {
            plain_names,
            kinds: sketch.services().map(|s| (s.id.clone(), s.kind)).collect(),
            types: sketch
                .services()
                .map(|s| (s.id.clone(), s.type_name.clone()))
                .collect(),
            sections: sketch.sections.clone(),
            doc_props: sketch
                .services()
                .filter(|s| {
                    matches!(
                        s.type_name.as_str(),
                        "aws_iam_policy" | "aws_iam_policy_document"
                    )
                })
                .map(|s| (s.id.clone(), s.properties.clone()))
                .collect(),
            found: Found::default(),
            groups: Vec::new(),
            memo: RefCell::new(HashMap::new()),
            handled_keys: HashSet::new(),
            custom: sketch
                .services()
                .filter(|s| s.properties.contains_key("service_token"))
                .map(|s| s.id.clone())
                .collect(),
            granted: HashMap::new(),
        }
    }

    fn is_resource(&self, id: &str) -> bool {
        self.kinds.contains_key(id)
    }
    fn kind_of(&self, id: &str) -> Option<Kind> {
        self.kinds.get(id).copied()
    }
    fn type_of(&self, id: &str) -> &str {
        self.types.get(id).map_or("", String::as_str)
    }

    /// The services a chain ends at, seen from module `prefix`.
    fn resolve(&self, prefix: &str, c: &Chain, depth: usize) -> Vec<String> {
        let p = &c.parts;
        if depth > 12 || p.len() < 2 {
            return Vec::new();
        }
        match p[0].as_str() {
            "var" => {
                if prefix.is_empty() {
                    return Vec::new();
                }
                let call = prefix.strip_suffix('.').unwrap_or(prefix);
                let key = format!("{prefix}var.{}", p[1]);
                self.memoized(&key, || {
                    self.sections
                        .get(call)
                        .and_then(|m| m.get(&p[1]))
                        .map(|v| self.resolve_value(parent_scope(prefix), v, depth + 1))
                        .unwrap_or_default()
                })
            }
            "local" => {
                let key = format!("{prefix}local.{}", p[1]);
                self.memoized(&key, || {
                    self.sections
                        .get(&key)
                        .map(|v| self.resolve_value(prefix, v, depth + 1))
                        .unwrap_or_default()
                })
            }
            "module" => {
                let m = format!("{prefix}module.{}", p[1]);
                if self.is_resource(&m) {
                    return vec![m];
                }
                let Some(out) = p.get(2) else {
                    return Vec::new();
                };
                let key = format!("{m}.output.{out}");
                self.memoized(&key, || {
                    self.sections
                        .get(&key)
                        .and_then(|o| o.get("value"))
                        .map(|v| self.resolve_value(&format!("{m}."), v, depth + 1))
                        .unwrap_or_default()
                })
            }
            "data" => {
                if p.len() < 3 {
                    return Vec::new();
                }
                let id = format!("{prefix}data.{}.{}", p[1], p[2]);
                if self.is_resource(&id) {
                    vec![id]
                } else {
                    Vec::new()
                }
            }
            "each" | "count" | "self" | "path" | "terraform" => Vec::new(),
            _ => {
                let id = format!("{prefix}{}.{}", p[0], p[1]);
                if self.is_resource(&id) {
                    vec![id]
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn memoized(&self, key: &str, f: impl FnOnce() -> Vec<String>) -> Vec<String> {
        if let Some(v) = self.memo.borrow().get(key) {
            return v.clone();
        }
        // A cycle (a local naming itself) resolves to nothing.
        self.memo.borrow_mut().insert(key.to_string(), Vec::new());
        let v = f();
        self.memo.borrow_mut().insert(key.to_string(), v.clone());
        v
    }

    fn resolve_value(&self, prefix: &str, v: &Value, depth: usize) -> Vec<String> {
        let mut chains = Vec::new();
        text::value_chains(v, &mut chains);
        let mut out: Vec<String> = Vec::new();
        for c in &chains {
            for t in self.resolve(prefix, c, depth) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Every service a value of `from` references.
    fn targets(&self, from: &str, v: &Value) -> Vec<String> {
        self.resolve_value(scope_of(from), v, 0)
    }

    /// Every service the properties of `from` reference, in order.
    fn targets_of_map(&self, from: &str, m: &Map) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in m.values() {
            for t in self.targets(from, v) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The service a value of `from` names: the first it references, a
    /// resource before a data source (a region or account in an ARN is not
    /// what the ARN names).
    fn target(&self, from: &str, v: Option<&Value>) -> Option<String> {
        let v = v?;
        let all = self.targets(from, v);
        all.iter()
            .find(|t| !is_data(t))
            .cloned()
            .or_else(|| {
                // An ARN written out by hand (built from the region and
                // account) names a resource by its name, as in SAM.
                let mut named = Vec::new();
                self.arn_targets(from, v, &mut named);
                named.into_iter().next()
            })
            .or_else(|| all.first().cloned())
    }

    /// The resource an ARN written out by hand names, found by the
    /// resource's own name (`arn:aws:sns:${...}:${...}:order-alerts`), as in
    /// SAM.
    fn arn_target(&self, from: &str, s: &str) -> Option<String> {
        if !s.starts_with("arn:") {
            return None;
        }
        let scope = scope_of(from).to_string();
        s.rsplit([':', '/'])
            .filter(|seg| {
                let variable = text::single_interpolation(seg)
                    .is_some_and(|e| e.starts_with("var.") || e.starts_with("local."));
                !seg.is_empty()
                    && *seg != "*"
                    && (variable || (!seg.contains("${") && !seg.contains('}')))
            })
            .take(2)
            .find_map(|seg| {
                self.plain_names
                    .get(&(scope.clone(), seg.to_string()))
                    .cloned()
            })
    }

    /// Resources a value names by their literal names (an API call's input
    /// listing `"AlarmNames": ["cpu-high"]`).
    fn literal_names(&self, from: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                let key = (scope_of(from).to_string(), s.clone());
                if let Some(t) = self.plain_names.get(&key) {
                    if !out.contains(t) {
                        out.push(t.clone());
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.literal_names(from, x, out)),
            Value::Object(m) => m.values().for_each(|x| self.literal_names(from, x, out)),
            _ => {}
        }
    }

    /// Resources named by hand-written ARNs anywhere in a value (a state
    /// machine definition, an IAM statement's resources).
    fn arn_targets(&self, from: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                if let Some(t) = self.arn_target(from, s) {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.arn_targets(from, x, out)),
            Value::Object(m) => m.values().for_each(|x| self.arn_targets(from, x, out)),
            _ => {}
        }
    }

    /// The services an IAM statement's `Resource` grants on: what it
    /// references and what its hand-written ARNs name, leaving out the
    /// region and account it is built from.
    fn resource_targets(&self, from: &str, v: &Value) -> Vec<String> {
        let mut ts: Vec<String> = self
            .targets(from, v)
            .into_iter()
            .filter(|t| !(is_data(t) && PSEUDO_DATA.contains(&self.type_of(t))))
            .collect();
        self.arn_targets(from, v, &mut ts);
        ts
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

    fn natural_or(&self, from: &str, to: &str, fallback: ConnectionKind) -> ConnectionKind {
        match self.natural(from, to) {
            ConnectionKind::Ref => fallback,
            k => k,
        }
    }

    fn own(&mut self, glue: &str, owner: &str) {
        if glue != owner && self.is_resource(owner) {
            self.found
                .owners
                .push((glue.to_string(), owner.to_string()));
        }
    }

    fn own_first(&mut self, id: &str, v: Option<&Value>) {
        if let Some(t) = self.target(id, v) {
            self.own(id, &t);
        }
    }

    fn join_origin(&mut self, from: &str, to: &str, kinds: &[ConnectionKind], o: Origin) -> bool {
        self.found.join(from, to, kinds, o)
    }

    fn run(&mut self, sketch: &Sketch) {
        for s in sketch.services() {
            self.resource(sketch, s);
        }
        self.load_balancers(sketch);
        self.named_log_groups(sketch);
        // A permission lets a source reach a function: it belongs to the
        // arrow already drawn between them (a route, an authorizer, a
        // trigger), else it draws the natural one.
        for s in sketch
            .services()
            .filter(|s| s.type_name == "aws_lambda_permission")
        {
            let (id, p) = (s.id.as_str(), &s.properties);
            let Some(f) = self.target(id, get(p, "function_name")) else {
                continue;
            };
            self.own(id, &f);
            let Some(src) = self.target(id, get(p, "source_arn")) else {
                continue;
            };
            let o = Origin {
                resource: id.to_string(),
                pointer: String::new(),
                fixed: false,
            };
            if self.join_origin(&src, &f, &[], o.clone()) || self.join_origin(&f, &src, &[], o) {
                continue;
            }
            let k = self.natural_or(&src, &f, ConnectionKind::Trigger);
            self.connect(&src, &f, k, (id, ""), None);
        }
        self.roles(sketch);
        for s in sketch.services() {
            match s.type_name.as_str() {
                "aws_lambda_function" => self.environment(s),
                "aws_sfn_state_machine" => {
                    // The definition says more than any one connection (and
                    // names services by hand-written ARNs too): a fixed origin.
                    if let Some(v) = s.properties.get("definition") {
                        let mut ts = self.targets(&s.id, v);
                        self.arn_targets(&s.id, v, &mut ts);
                        self.literal_names(&s.id, v, &mut ts);
                        for t in ts {
                            self.reference(&s.id, &t, (&s.id, "/Properties/definition"), true);
                        }
                    }
                }
                _ => {}
            }
        }
        self.generic_refs(sketch);
    }

    /// The connections one resource makes by its type.
    fn resource(&mut self, sketch: &Sketch, s: &crate::model::Service) {
        let id = s.id.as_str();
        let p = &s.properties;
        match s.type_name.as_str() {
            // Permissions wait until every other arrow is drawn.
            "aws_lambda_permission" => {}
            "aws_lambda_event_source_mapping" => {
                let f = self.target(id, get(p, "function_name"));
                let src = self.target(id, get(p, "event_source_arn"));
                if let Some(f) = &f {
                    self.own(id, f);
                    if let Some(src) = src {
                        self.connect(&src, f, ConnectionKind::Trigger, (id, ""), None);
                    }
                }
            }
            // A bucket's access logs written to another bucket.
            "aws_s3_bucket_logging" => {
                let bucket = self.target(id, get(p, "bucket"));
                let logs = self.target(id, get(p, "target_bucket"));
                if let Some(bucket) = &bucket {
                    self.own(id, bucket);
                    if let Some(logs) = logs.filter(|l| l != bucket) {
                        self.connect(bucket, &logs, ConnectionKind::Write, (id, ""), None);
                    }
                }
            }
            // A table's changes copied to a Kinesis stream.
            "aws_dynamodb_kinesis_streaming_destination" => {
                let table = self.target(id, get(p, "table_name"));
                let stream = self.target(id, get(p, "stream_arn"));
                if let Some(table) = &table {
                    self.own(id, table);
                    if let Some(stream) = stream {
                        self.connect(table, &stream, ConnectionKind::Write, (id, ""), None);
                    }
                }
            }
            "aws_sns_topic_subscription" => {
                let topic = self.target(id, get(p, "topic_arn"));
                let end = self.target(id, get(p, "endpoint"));
                if let Some(topic) = &topic {
                    self.own(id, topic);
                    if let Some(end) = end {
                        let k = self.natural_or(topic, &end, ConnectionKind::Subscribe);
                        self.connect(topic, &end, k, (id, ""), None);
                    }
                }
            }
            "aws_cloudwatch_log_subscription_filter" => {
                if let Some(lg) = self.target(id, get(p, "log_group_name")) {
                    self.own(id, &lg);
                    if let Some(dest) = self.target(id, get(p, "destination_arn")) {
                        self.connect(&lg, &dest, ConnectionKind::Trigger, (id, ""), None);
                    }
                }
            }
            "aws_iot_topic_rule" => self.iot_topic_rule(id, p),
            "aws_s3control_object_lambda_access_point" => self.object_lambda(sketch, id, p),
            "aws_kinesis_firehose_delivery_stream" => {
                // A delivery stream reading a Kinesis stream is
                // triggered by it.
                if let Some(src) = first_block(p, "kinesis_source_configuration")
                    .and_then(|c| self.target(id, c.get("kinesis_stream_arn")))
                {
                    let ptr = "/Properties/kinesis_source_configuration";
                    self.connect(&src, id, ConnectionKind::Trigger, (id, ptr), None);
                    self.handled_keys
                        .insert((id.to_string(), "kinesis_source_configuration".into()));
                }
            }
            "aws_db_proxy_target" | "aws_db_proxy_default_target_group" => {
                if let Some(proxy) = self.target(id, get(p, "db_proxy_name")) {
                    for key in ["db_cluster_identifier", "db_instance_identifier"] {
                        if let Some(db) = self.target(id, get(p, key)) {
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
            "aws_lambda_function_event_invoke_config" => self.event_invoke_config(id, p),
            "aws_sqs_queue_policy" => self.own_first(id, get(p, "queue_url")),
            "aws_sns_topic_policy" => self.own_first(id, get(p, "arn")),
            "aws_s3_bucket_policy" => self.own_first(id, get(p, "bucket")),
            "aws_cloudwatch_event_bus_policy" => self.own_first(id, get(p, "event_bus_name")),
            "aws_sqs_queue_redrive_policy" => {
                if let Some(q) = self.target(id, get(p, "queue_url")) {
                    self.own(id, &q);
                    if let Some(v) = get(p, "redrive_policy") {
                        for dlq in self.targets(id, v) {
                            if dlq != q {
                                let k = self.natural(&q, &dlq);
                                self.connect(&q, &dlq, k, (id, ""), None);
                            }
                        }
                    }
                }
            }
            "aws_cloudwatch_event_rule" => self.event_rule(id, p),
            "aws_cloudwatch_event_target" => self.event_target(id, p),
            "aws_scheduler_schedule" => self.scheduler_schedule(id, p),
            "aws_pipes_pipe" => self.pipe(id, p),
            "aws_s3_bucket_notification" => self.bucket_notification(id, p),
            "aws_apigatewayv2_integration" => {
                if let Some(api) = self.target(id, get(p, "api_id")) {
                    self.own(id, &api);
                    for key in ["integration_uri", "request_parameters", "connection_id"] {
                        if let Some(v) = p.get(key) {
                            for t in self.targets(id, v) {
                                if self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                                    self.connect(&api, &t, ConnectionKind::Route, (id, ""), None);
                                }
                            }
                        }
                    }
                }
            }
            "aws_api_gateway_integration" => {
                if let Some(api) = self.target(id, get(p, "rest_api_id")) {
                    self.own(id, &api);
                    for key in [
                        "uri",
                        "request_parameters",
                        "request_templates",
                        "connection_id",
                    ] {
                        if let Some(v) = p.get(key) {
                            for t in self.targets(id, v) {
                                if self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                                    self.connect(&api, &t, ConnectionKind::Route, (id, ""), None);
                                }
                            }
                        }
                    }
                }
            }
            "aws_api_gateway_method" => {
                if let Some(api) = self.target(id, get(p, "rest_api_id")) {
                    self.own(id, &api);
                    if let Some(a) = self.target(id, get(p, "authorizer_id")) {
                        self.found.owners.push((a, api));
                    }
                }
            }
            "aws_api_gateway_authorizer" | "aws_apigatewayv2_authorizer" => {
                let api = self.target(id, get(p, "rest_api_id").or_else(|| get(p, "api_id")));
                if let Some(api) = api {
                    self.own(id, &api);
                    let mut sources = Vec::new();
                    for key in ["authorizer_uri", "provider_arns", "jwt_configuration"] {
                        if let Some(v) = p.get(key) {
                            sources.extend(self.targets(id, v));
                        }
                    }
                    for src in sources {
                        self.connect(&src, &api, ConnectionKind::Auth, (id, ""), None);
                    }
                }
            }
            "aws_api_gateway_stage" | "aws_apigatewayv2_stage" => {
                let api = self.target(id, get(p, "rest_api_id").or_else(|| get(p, "api_id")));
                if let Some(api) = api {
                    self.own(id, &api);
                    if let Some(logs) = first_block(p, "access_log_settings") {
                        if let Some(lg) = self.target(id, logs.get("destination_arn")) {
                            self.connect(
                                &api,
                                &lg,
                                ConnectionKind::Log,
                                (id, "/Properties/access_log_settings"),
                                None,
                            );
                        }
                    }
                }
            }
            "aws_subnet"
            | "aws_security_group"
            | "aws_route_table"
            | "aws_internet_gateway"
            | "aws_internet_gateway_attachment"
            | "aws_vpc_endpoint" => {
                if let Some(vpc) = self.target(id, get(p, "vpc_id")) {
                    self.groups.push((id.to_string(), vpc.clone()));
                    if s.kind != Kind::Vpc {
                        self.own(id, &vpc);
                    }
                }
            }
            _ => {
                if let Some(api) =
                    self.target(id, get(p, "rest_api_id").or_else(|| get(p, "api_id")))
                {
                    if s.kind.is_glue() {
                        self.own(id, &api);
                    }
                }
            }
        }
        if s.type_name == "module" {
            self.registry_module(s);
        }
        // A custom resource's provider runs when it changes.
        if let Some(x) = self
            .target(id, get(p, "service_token"))
            .filter(|x| !is_data(x))
        {
            let k = match self.kind_of(&x) {
                Some(Kind::Topic) => ConnectionKind::Publish,
                _ => ConnectionKind::Invoke,
            };
            self.connect(id, &x, k, (id, "/Properties/service_token"), None);
            self.handled_keys
                .insert((id.to_string(), "service_token".to_string()));
        }
        // A log group named after a service (`/aws/lambda/${...function_name}`)
        // is that service's; a helper in the name (a random suffix) is not.
        if s.type_name == "aws_cloudwatch_log_group" {
            if let Some(v) = p.get("name") {
                for t in self.targets(id, v) {
                    let helper = self
                        .types
                        .get(&t)
                        .is_some_and(|ty| crate::catalog::is_helper(ty));
                    if !helper && !is_data(&t) {
                        self.connect(&t, id, ConnectionKind::Log, (id, "/Properties/name"), None);
                    }
                }
            }
        }
    }

    fn event_invoke_config(&mut self, id: &str, p: &Map) {
        // Where the results of asynchronous calls go: the
        // function reaches them, as a reference in SAM's
        // `EventInvokeConfig` says.
        let f = self.target(id, get(p, "function_name"));
        let dests = first_block(p, "destination_config");
        if let (Some(f), Some(dests)) = (f, dests) {
            for key in ["on_success", "on_failure"] {
                let Some(d) = first_block(dests, key) else {
                    continue;
                };
                if let Some(t) = self.target(id, d.get("destination")) {
                    let ptr = format!("/Properties/destination_config/0/{key}");
                    let k = self.natural(&f, &t);
                    let label = (key == "on_failure").then(|| ON_FAILURE.to_string());
                    self.connect(&f, &t, k, (id, &ptr), label);
                }
            }
        }
    }

    fn event_rule(&mut self, id: &str, p: &Map) {
        if let Some(bus) = self.target(id, get(p, "event_bus_name")) {
            self.connect(
                &bus,
                id,
                ConnectionKind::Route,
                (id, "/Properties/event_bus_name"),
                None,
            );
        }
        // What the pattern names (a bucket's events, say) feeds the rule.
        if let Some(v) = get(p, "event_pattern") {
            for t in self.targets(id, v) {
                if !is_data(&t) && self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                    self.connect(
                        &t,
                        id,
                        ConnectionKind::Trigger,
                        (id, "/Properties/event_pattern"),
                        None,
                    );
                }
            }
        }
    }

    fn iot_topic_rule(&mut self, id: &str, p: &Map) {
        // Every action block names what the rule triggers; the
        // role it uses to get there is that trigger's.
        for (key, v) in p {
            if matches!(key.as_str(), "name" | "sql" | "sql_version" | "tags")
                || !matches!(v, Value::Array(_))
            {
                continue;
            }
            let Value::Array(items) = v else { continue };
            for (i, item) in items.iter().enumerate() {
                let Some(item) = item.as_object() else {
                    continue;
                };
                let ptr = format!("/Properties/{}/{i}", refs::escape(key));
                for (k, x) in item {
                    if k == "role_arn" {
                        continue;
                    }
                    for t in self.targets(id, x) {
                        if !is_data(&t) && self.kind_of(&t).is_some_and(|k| !k.is_glue()) {
                            self.connect(id, &t, ConnectionKind::Trigger, (id, &ptr), None);
                        }
                    }
                }
            }
        }
    }

    fn object_lambda(&mut self, sketch: &Sketch, id: &str, p: &Map) {
        let ptr = "/Properties/configuration";
        if let Some(cfg) = first_block(p, "configuration") {
            if let Some(tc) = cfg.get("transformation_configuration") {
                for f in self.targets(id, tc) {
                    if self.kind_of(&f).is_some_and(|k| k == Kind::Function) {
                        self.connect_with(id, &f, ConnectionKind::Invoke, (id, ptr), true, None);
                    }
                }
            }
            if let Some(ap) = self.target(id, cfg.get("supporting_access_point")) {
                let bucket = if self.type_of(&ap) == "aws_s3_access_point" {
                    sketch
                        .service(&ap)
                        .and_then(|a| self.target(&ap, a.properties.get("bucket")))
                } else {
                    Some(ap)
                };
                if let Some(b) = bucket {
                    self.connect_with(id, &b, ConnectionKind::Read, (id, ptr), true, None);
                }
            }
        }
    }

    fn event_target(&mut self, id: &str, p: &Map) {
        if let Some(rule) = self.target(id, get(p, "rule")) {
            self.own(id, &rule);
            if let Some(role) = self.target(id, get(p, "role_arn")) {
                self.found.owners.push((role, rule.clone()));
            }
            // An ECS target runs its task definition on the
            // cluster `arn` names: the task is what is triggered.
            let task = first_block(p, "ecs_target")
                .and_then(|e| self.target(id, e.get("task_definition_arn")));
            let dest = self.target(id, get(p, "arn"));
            if let (Some(task), Some(cluster)) = (&task, &dest) {
                self.own(cluster, task);
            }
            if let Some(dest) = task.or(dest) {
                let k = self.natural_or(&rule, &dest, ConnectionKind::Trigger);
                self.connect(&rule, &dest, k, (id, ""), None);
            }
            // A dead-letter queue or other target settings name
            // services the rule reaches too.
            for (key, v) in p {
                if matches!(key.as_str(), "rule" | "arn" | "role_arn" | "event_bus_name") {
                    continue;
                }
                let top = format!("/Properties/{}", refs::escape(key));
                let mut places = Vec::new();
                ref_places(v, &top, &top, false, false, &mut places);
                for (ptr, leaf) in places {
                    for t in self.targets(id, &leaf) {
                        if is_data(&t) || self.kind_of(&t).is_some_and(|k| k.is_glue()) {
                            continue;
                        }
                        // Undeliverable events go to the dead-letter queue.
                        let k = if key == "dead_letter_config" {
                            ConnectionKind::Write
                        } else {
                            self.natural(&rule, &t)
                        };
                        self.connect(&rule, &t, k, (id, &ptr), None);
                    }
                }
            }
        }
    }

    fn scheduler_schedule(&mut self, id: &str, p: &Map) {
        if let Some(Value::Array(ts)) = p.get("target") {
            for (i, t) in ts.iter().enumerate() {
                let Some(t) = t.as_object() else { continue };
                if let Some(role) = self.target(id, get(t, "role_arn")) {
                    self.found.owners.push((role, id.to_string()));
                }
                let ptr = format!("/Properties/target/{i}");
                if let Some(dest) = self.target(id, get(t, "arn")) {
                    let k = self.natural_or(id, &dest, ConnectionKind::Trigger);
                    self.connect(id, &dest, k, (id, &ptr), None);
                }
                // A universal target (`arn:aws:scheduler:::aws-sdk:ec2:startInstances`)
                // calls an API on what its input names.
                let universal = get(t, "arn")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.contains(":aws-sdk:"));
                if let (true, Some(input)) = (universal, t.get("input")) {
                    let ptr = format!("{ptr}/input");
                    let mut dests = self.targets(id, input);
                    self.literal_names(id, input, &mut dests);
                    for dest in dests {
                        if is_data(&dest) || self.kind_of(&dest).is_none_or(|k| k.is_glue()) {
                            continue;
                        }
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
                // Undeliverable events go to the dead-letter queue.
                if let Some(q) =
                    first_block(t, "dead_letter_config").and_then(|d| self.target(id, d.get("arn")))
                {
                    let ptr = format!("{ptr}/dead_letter_config");
                    self.connect(id, &q, ConnectionKind::Write, (id, &ptr), None);
                }
            }
        }
    }

    fn pipe(&mut self, id: &str, p: &Map) {
        if let Some(src) = self.target(id, get(p, "source")) {
            self.connect(
                &src,
                id,
                ConnectionKind::Trigger,
                (id, "/Properties/source"),
                None,
            );
        }
        if let Some(e) = self.target(id, get(p, "enrichment")) {
            self.connect(
                id,
                &e,
                ConnectionKind::Invoke,
                (id, "/Properties/enrichment"),
                None,
            );
        }
        if let Some(t) = self.target(id, get(p, "target")) {
            self.connect(
                id,
                &t,
                ConnectionKind::Trigger,
                (id, "/Properties/target"),
                None,
            );
        }
    }

    fn bucket_notification(&mut self, id: &str, p: &Map) {
        if let Some(bucket) = self.target(id, get(p, "bucket")) {
            self.own(id, &bucket);
            // The notifications the recipes write.
            for (list, key) in links::notifications(true) {
                if let Some(Value::Array(items)) = p.get(list) {
                    for (i, item) in items.iter().enumerate() {
                        let Some(item) = item.as_object() else {
                            continue;
                        };
                        if let Some(t) = self.target(id, get(item, key)) {
                            let ptr = format!("/Properties/{list}/{i}");
                            self.connect(&bucket, &t, ConnectionKind::Trigger, (id, &ptr), None);
                        }
                    }
                }
            }
        }
    }

    /// The connections a well-known registry module's arguments make.
    fn registry_module(&mut self, s: &crate::model::Service) {
        use super::registry::{self, Arg};
        let Some(source) = s.properties.get("source").and_then(Value::as_str) else {
            return;
        };
        let Some(m) = registry::module(source) else {
            return;
        };
        let id = s.id.as_str();
        let p = &s.properties;
        for arg in m.args {
            let key = match *arg {
                Arg::Sources(k)
                | Arg::Statements(k)
                | Arg::Uses(k)
                | Arg::Targets(k, _)
                | Arg::Bucket(k) => k,
            };
            let Some(v) = p.get(key) else { continue };
            self.handled_keys.insert((id.to_string(), key.to_string()));
            if registry::creates_nothing(p) {
                continue;
            }
            let ptr = format!("/Properties/{}", refs::escape(key));
            match *arg {
                Arg::Sources(_) => {
                    for src in self.targets(id, v) {
                        if is_data(&src) || self.kind_of(&src).is_none_or(|k| k.is_glue()) {
                            continue;
                        }
                        let k = match self.natural(&src, id) {
                            ConnectionKind::Ref => ConnectionKind::Trigger,
                            k => k,
                        };
                        self.connect_with(&src, id, k, (id, &ptr), true, None);
                    }
                }
                Arg::Statements(_) => {
                    // Each statement is a place of its own, so an arrow
                    // removed takes only its statement.
                    let items: Vec<(String, &Value)> = match v {
                        Value::Object(m) => m
                            .iter()
                            .map(|(k, x)| (format!("{ptr}/{}", refs::escape(k)), x))
                            .collect(),
                        Value::Array(a) => a
                            .iter()
                            .enumerate()
                            .map(|(i, x)| (format!("{ptr}/{i}"), x))
                            .collect(),
                        _ => Vec::new(),
                    };
                    let list: Vec<(Value, Option<String>)> = items
                        .into_iter()
                        .filter_map(|(p, x)| Some((p, x.as_object()?)))
                        .map(|(p, st)| {
                            let mut m = Map::new();
                            if let Some(e) = st.get("effect") {
                                m.insert("Effect".into(), e.clone());
                            }
                            if let Some(a) = st.get("actions") {
                                m.insert("Action".into(), a.clone());
                            }
                            if let Some(r) = st.get("resources") {
                                m.insert("Resource".into(), r.clone());
                            }
                            (Value::Object(m), Some(p))
                        })
                        .collect();
                    self.statements(id, id, list, &[(id.to_string(), ptr.clone())]);
                }
                Arg::Uses(_) => {
                    // A map of values (`environment_variables`): each a
                    // place of its own, cut out alone when it is one reference.
                    let places: Vec<(String, &Value)> = match v {
                        Value::Object(m) => m
                            .iter()
                            .map(|(k, x)| (format!("{ptr}/{}", refs::escape(k)), x))
                            .collect(),
                        other => vec![(ptr.clone(), other)],
                    };
                    for (place, x) in places {
                        let alone = matches!(x, Value::Object(_))
                            || x.as_str()
                                .is_some_and(|t| text::single_interpolation(t).is_some());
                        for t in self.targets(id, x) {
                            if !is_data(&t) {
                                self.reference(id, &t, (id, &place), !alone || place == ptr);
                            }
                        }
                    }
                }
                Arg::Targets(_, kind) => {
                    for t in self.targets(id, v) {
                        if is_data(&t) || self.kind_of(&t).is_none_or(|k| k.is_glue()) {
                            continue;
                        }
                        let k = kind.unwrap_or_else(|| self.natural(id, &t));
                        let from = self
                            .found
                            .owners
                            .iter()
                            .find(|(g, _)| g == id)
                            .map(|(_, o)| o.clone())
                            .filter(|_| matches!(*arg, Arg::Targets(k, _) if k.ends_with("_notifications")))
                            .unwrap_or_else(|| id.to_string());
                        self.connect_with(&from, &t, k, (id, &ptr), true, None);
                    }
                }
                Arg::Bucket(_) => {
                    if let Some(b) = self.target(id, Some(v)) {
                        self.own(id, &b);
                    }
                }
            }
        }
    }

    /// Load balancers route to their targets: listeners and rules forward
    /// to target groups, whose targets are attached to them or name them.
    fn load_balancers(&mut self, sketch: &Sketch) {
        let is_tg = |t: &str| matches!(t, "aws_lb_target_group" | "aws_alb_target_group");
        let mut listener_lb: HashMap<String, String> = HashMap::new();
        let mut tg_lbs: Vec<(String, String)> = Vec::new();
        for s in sketch.services() {
            if !matches!(s.type_name.as_str(), "aws_lb_listener" | "aws_alb_listener") {
                continue;
            }
            if let Some(lb) = self.target(&s.id, get(&s.properties, "load_balancer_arn")) {
                listener_lb.insert(s.id.clone(), lb.clone());
                if let Some(a) = s.properties.get("default_action") {
                    for t in self.targets(&s.id, a) {
                        if is_tg(self.type_of(&t)) {
                            tg_lbs.push((t, lb.clone()));
                        }
                    }
                }
            }
        }
        for s in sketch.services() {
            if !matches!(
                s.type_name.as_str(),
                "aws_lb_listener_rule" | "aws_alb_listener_rule"
            ) {
                continue;
            }
            let lb = self
                .target(&s.id, get(&s.properties, "listener_arn"))
                .and_then(|l| listener_lb.get(&l).cloned());
            if let (Some(lb), Some(a)) = (lb, s.properties.get("action")) {
                for t in self.targets(&s.id, a) {
                    if is_tg(self.type_of(&t)) {
                        tg_lbs.push((t, lb.clone()));
                    }
                }
            }
        }
        let mut routes: Vec<(String, String, String)> = Vec::new();
        for s in sketch.services().filter(|s| !is_data(&s.id)) {
            let t = s.type_name.as_str();
            let p = &s.properties;
            match t {
                "aws_lb_target_group_attachment" | "aws_alb_target_group_attachment" => {
                    if let Some(tg) = self.target(&s.id, get(p, "target_group_arn")) {
                        self.own(&s.id, &tg);
                        if let Some(x) = get(p, "target_id") {
                            for target in self.targets(&s.id, x) {
                                // An address read from a network interface
                                // is the endpoint it belongs to.
                                let target = if is_data(&target) {
                                    sketch
                                        .service(&target)
                                        .and_then(|d| {
                                            self.targets_of_map(&target, &d.properties)
                                                .into_iter()
                                                .find(|x| !is_data(x))
                                        })
                                        .unwrap_or(target)
                                } else {
                                    target
                                };
                                routes.push((tg.clone(), target, s.id.clone()));
                            }
                        }
                    }
                }
                "aws_autoscaling_attachment" => {
                    let tg = self.target(
                        &s.id,
                        get(p, "lb_target_group_arn").or_else(|| get(p, "alb_target_group_arn")),
                    );
                    let asg = self.target(&s.id, get(p, "autoscaling_group_name"));
                    if let (Some(tg), Some(asg)) = (tg, asg) {
                        self.own(&s.id, &asg);
                        routes.push((tg, asg, s.id.clone()));
                    }
                }
                _ if s.kind.is_glue()
                    || t.starts_with("aws_lb")
                    || t.starts_with("aws_alb")
                    || t == "aws_lambda_permission" => {}
                _ => {
                    for x in self.targets_of_map(&s.id, p) {
                        if is_tg(self.type_of(&x)) {
                            routes.push((x, s.id.clone(), s.id.clone()));
                        }
                    }
                }
            }
        }
        // Traffic sent to an interface endpoint reaches the private APIs
        // that name it.
        let mut through: Vec<(String, String, String)> = Vec::new();
        for (tg, target, origin) in routes {
            if self.type_of(&target) == "aws_vpc_endpoint" {
                let apis: Vec<String> = sketch
                    .services()
                    .filter(|a| matches!(a.kind, Kind::Api | Kind::HttpApi))
                    .filter(|a| self.targets_of_map(&a.id, &a.properties).contains(&target))
                    .map(|a| a.id.clone())
                    .collect();
                if !apis.is_empty() {
                    for a in apis {
                        through.push((tg.clone(), a, origin.clone()));
                    }
                    continue;
                }
            }
            through.push((tg, target, origin));
        }
        for (tg, target, origin) in through {
            let lbs: Vec<String> = tg_lbs
                .iter()
                .filter(|(t, _)| *t == tg)
                .map(|(_, lb)| lb.clone())
                .collect();
            for lb in lbs {
                if lb != target {
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
        }
        for (tg, lb) in &tg_lbs {
            self.own(tg, lb);
        }
    }

    /// A log group named `/aws/lambda/NAME` is where the function of that
    /// name logs, whether the name is written out or comes from the same
    /// variable.
    fn named_log_groups(&mut self, sketch: &Sketch) {
        let mut by_name: HashMap<(String, String), String> = HashMap::new();
        for s in sketch.services() {
            if s.type_name == "aws_lambda_function" {
                if let Some(Value::String(n)) = s.properties.get("function_name") {
                    let n = n.trim_start_matches("${").trim_end_matches('}').to_string();
                    by_name.insert((scope_of(&s.id).to_string(), n), s.id.clone());
                }
            }
        }
        for s in sketch.services() {
            if s.type_name != "aws_cloudwatch_log_group" {
                continue;
            }
            let Some(Value::String(n)) = s.properties.get("name") else {
                continue;
            };
            let Some(rest) = n.strip_prefix("/aws/lambda/") else {
                continue;
            };
            let rest = rest
                .trim_start_matches("${")
                .trim_end_matches('}')
                .to_string();
            if let Some(f) = by_name.get(&(scope_of(&s.id).to_string(), rest)).cloned() {
                self.connect(
                    &f,
                    &s.id,
                    ConnectionKind::Log,
                    (&s.id, "/Properties/name"),
                    None,
                );
            }
        }
    }

    fn environment(&mut self, s: &crate::model::Service) {
        let Some(env) = first_block(&s.properties, "environment") else {
            return;
        };
        let Some(Value::Object(vars)) = env.get("variables") else {
            return;
        };
        for (k, v) in vars {
            let ptr = format!("/Properties/environment/0/variables/{}", refs::escape(k));
            for t in self.targets(&s.id, v) {
                self.reference(&s.id, &t, (&s.id, &ptr), false);
            }
        }
    }

    /// A reference that says "uses" without saying how: it joins an arrow
    /// the policies already drew, or draws the natural one.
    fn reference(&mut self, from: &str, to: &str, origin: (&str, &str), fixed: bool) {
        if from == to || self.kind_of(to).is_none_or(|k| k.is_glue()) {
            return;
        }
        // A custom resource's attributes are values found at deploy time.
        if self.custom.contains(to) {
            return;
        }
        let o = Origin {
            resource: origin.0.to_string(),
            pointer: origin.1.to_string(),
            fixed,
        };
        if self.join_origin(from, to, &[], o.clone())
            || self.found.join_source(from, to, self.kind_of(to), o)
        {
            return;
        }
        let mut k = self.natural(from, to);
        if k == ConnectionKind::Ref {
            k = self.granted_kind(from, to).unwrap_or(k);
        }
        self.connect_with(from, to, k, origin, fixed, None);
    }

    /// For a resource of no known kind (`aws_iot_thing`), what the
    /// statements of `from` grant on its service (`iot:Publish`), as the
    /// SAM reader does.
    fn granted_kind(&self, from: &str, to: &str) -> Option<ConnectionKind> {
        if !self.kind_of(to).is_some_and(|k| k.is_generic()) {
            return None;
        }
        let ty = self.type_of(to);
        let service = ty
            .strip_prefix("awscc_")
            .or_else(|| ty.strip_prefix("aws_"))?
            .split('_')
            .next()?;
        let actions: Vec<&str> = self
            .granted
            .get(from)?
            .iter()
            .map(String::as_str)
            .filter(|a| {
                a.split_once(':')
                    .is_some_and(|(s, _)| s.eq_ignore_ascii_case(service))
            })
            .collect();
        (!actions.is_empty()).then(|| crate::formats::fold::classify(&actions))
    }

    /// The statements of a policy document value, with a pointer to each
    /// when they can be removed one by one.
    fn statements_of(&self, from: &str, v: &Value, ptr: &str) -> Vec<(Value, Option<String>)> {
        match v {
            Value::Object(m) if m.len() == 1 && m.contains_key(JSONENCODE) => {
                let doc = &m[JSONENCODE];
                let base = format!("{ptr}/{}", refs::escape(JSONENCODE));
                match doc.get("Statement") {
                    Some(Value::Array(a)) => a
                        .iter()
                        .enumerate()
                        .map(|(i, st)| (st.clone(), Some(format!("{base}/Statement/{i}"))))
                        .collect(),
                    Some(st) => vec![(st.clone(), Some(format!("{base}/Statement")))],
                    None => Vec::new(),
                }
            }
            Value::String(s) => {
                if let Some(e) = text::single_interpolation(s) {
                    // `data.aws_iam_policy_document.x.json`
                    let mut out = Vec::new();
                    for doc in self.targets(from, &text::expr(e)) {
                        if self.type_of(&doc) == "aws_iam_policy_document" {
                            out.extend(
                                self.document_statements(&doc)
                                    .into_iter()
                                    .map(|s| (s, None)),
                            );
                        }
                    }
                    return out;
                }
                // A heredoc or string of JSON.
                match serde_json::from_str::<Value>(s.trim()) {
                    Ok(doc) => match doc.get("Statement") {
                        Some(Value::Array(a)) => a.iter().map(|x| (x.clone(), None)).collect(),
                        Some(st) => vec![(st.clone(), None)],
                        None => Vec::new(),
                    },
                    Err(_) => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// The service principals a trust policy (`assume_role_policy`) lets
    /// assume a role: in `jsonencode`, a JSON string, or a policy document's
    /// `principals` blocks.
    fn trusted_services(&self, from: &str, v: &Value) -> Vec<String> {
        match v {
            Value::Object(m) if m.len() == 1 && m.contains_key(JSONENCODE) => {
                policies::trusted_services(&m[JSONENCODE])
            }
            Value::String(s) => {
                if let Some(e) = text::single_interpolation(s) {
                    let mut out = Vec::new();
                    for doc in self.targets(from, &text::expr(e)) {
                        if self.type_of(&doc) != "aws_iam_policy_document" {
                            continue;
                        }
                        let Some(Value::Array(sts)) =
                            self.sections_props(&doc).and_then(|p| p.get("statement"))
                        else {
                            continue;
                        };
                        for pr in sts
                            .iter()
                            .filter_map(|st| st.get("principals"))
                            .filter_map(Value::as_array)
                            .flatten()
                        {
                            if pr.get("type").and_then(Value::as_str) != Some("Service") {
                                continue;
                            }
                            match pr.get("identifiers") {
                                Some(Value::Array(a)) => out
                                    .extend(a.iter().filter_map(Value::as_str).map(str::to_string)),
                                Some(Value::String(i)) => out.push(i.clone()),
                                _ => {}
                            }
                        }
                    }
                    return out;
                }
                serde_json::from_str::<Value>(s.trim())
                    .map(|doc| policies::trusted_services(&doc))
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    /// `data "aws_iam_policy_document"` statement blocks as IAM statements.
    fn document_statements(&self, doc: &str) -> Vec<Value> {
        let Some(p) = self.sections_props(doc) else {
            return Vec::new();
        };
        let Some(Value::Array(sts)) = p.get("statement") else {
            return Vec::new();
        };
        sts.iter()
            .filter_map(Value::as_object)
            .map(|st| {
                let mut m = Map::new();
                if let Some(e) = st.get("effect") {
                    m.insert("Effect".into(), e.clone());
                }
                if let Some(a) = st.get("actions") {
                    m.insert("Action".into(), a.clone());
                }
                if let Some(r) = st.get("resources") {
                    m.insert("Resource".into(), r.clone());
                }
                Value::Object(m)
            })
            .collect()
    }

    fn sections_props(&self, id: &str) -> Option<&Map> {
        self.doc_props.get(id)
    }
}

impl Deriver {
    fn statements(
        &mut self,
        policy: &str,
        user: &str,
        list: Vec<(Value, Option<String>)>,
        origins: &[(String, String)],
    ) {
        // Statements that cannot be cut one by one (JSON text, a policy
        // document) share their origins: with more than one, those stay.
        let shared = list.len() > 1 && list.iter().any(|(_, p)| p.is_none());
        for (st, ptr) in list {
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
            let ts = self.resource_targets(policy, res);
            // A statement that grants on this one service only can go with
            // its arrow; one that grants more must stay, as in SAM.
            let entries: Vec<&Value> = match res {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            let dedicated = !shared
                && ts.len() == 1
                && entries
                    .iter()
                    .all(|e| self.resource_targets(policy, e) == ts);
            let origin_list: Vec<Origin> = match &ptr {
                Some(p) => vec![Origin {
                    resource: policy.to_string(),
                    pointer: p.clone(),
                    fixed: !dedicated,
                }],
                None => origins
                    .iter()
                    .map(|(r, p)| Origin {
                        resource: r.clone(),
                        pointer: p.clone(),
                        fixed: !dedicated,
                    })
                    .collect(),
            };
            for t in ts {
                let Some(tk) = self.kind_of(&t) else { continue };
                if tk.is_glue() {
                    continue;
                }
                // Only the actions of the target's own service apply to it.
                let actions: Vec<&str> = actions
                    .iter()
                    .copied()
                    .filter(|a| crate::formats::recipes::acts_on(tk, a))
                    .collect();
                if actions.is_empty() {
                    continue;
                }
                // The permission an event source needs to reach its target,
                // or a function to poll its source, is part of that trigger,
                // not a second arrow.
                let mut joined = false;
                for (forward, ok) in [
                    (true, policies::serves_trigger(&actions, true)),
                    (false, policies::serves_trigger(&actions, false)),
                ] {
                    if !ok || joined {
                        continue;
                    }
                    let (a, b) = if forward {
                        (user, t.as_str())
                    } else {
                        (t.as_str(), user)
                    };
                    for o in &origin_list {
                        joined |= self.join_origin(
                            a,
                            b,
                            &[ConnectionKind::Trigger, ConnectionKind::Route],
                            o.clone(),
                        );
                    }
                }
                if joined {
                    continue;
                }
                let arrows = crate::formats::fold::granted_arrows(
                    self.kind_of(user),
                    tk,
                    self.natural(user, &t),
                    &actions,
                );
                if crate::formats::fold::dispatches(self.type_of(user)) {
                    for o in &origin_list {
                        self.join_origin(user, &t, &[], o.clone());
                    }
                    continue;
                }
                for k in arrows {
                    let mut c = Connection::new(k);
                    c.origins = origin_list.clone();
                    self.found.push(user, &t, c);
                }
            }
        }
    }

    /// Roles belong to whoever assumes them; their statements connect that user.
    fn roles(&mut self, sketch: &Sketch) {
        // A role can serve several services (functions sharing one role):
        // its statements connect each of them; the first owns it.
        let mut role_users: HashMap<String, Vec<String>> = HashMap::new();
        for s in sketch.services() {
            if s.kind.is_glue() || is_data(&s.id) {
                continue;
            }
            // A role named in a resource policy is a principal let in (an
            // OpenSearch access policy, a key policy), not the role the
            // resource runs as, as in the SAM reader.
            let identity: Map = s
                .properties
                .iter()
                .filter(|(k, _)| !NOT_IDENTITY.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for t in self.targets_of_map(&s.id, &identity) {
                if self.kind_of(&t).is_some_and(|k| k == Kind::Role) {
                    let us = role_users.entry(t).or_default();
                    if !us.contains(&s.id) {
                        us.push(s.id.clone());
                    }
                }
            }
        }
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
        // A role nothing here names (an OpenAPI body written elsewhere may)
        // belongs to the one service of its module of the kind its trust
        // policy admits, as in SAM.
        let unused: Vec<&crate::model::Service> = sketch
            .services()
            .filter(|s| s.type_name == "aws_iam_role" && !is_data(&s.id))
            .filter(|s| !role_user.contains_key(&s.id))
            .collect();
        for s in unused {
            let trusted = s
                .properties
                .get("assume_role_policy")
                .map(|v| self.trusted_services(&s.id, v))
                .unwrap_or_default();
            let kinds: Vec<Kind> = trusted
                .iter()
                .flat_map(|p| policies::kinds_assuming(p).iter().copied())
                .collect();
            let scope = scope_of(&s.id);
            let candidates: Vec<&crate::model::Service> = sketch
                .services()
                .filter(|c| !is_data(&c.id) && scope_of(&c.id) == scope)
                .filter(|c| kinds.contains(&c.kind))
                .collect();
            if let [only] = candidates.as_slice() {
                role_user.insert(s.id.clone(), only.id.clone());
                role_users.insert(s.id.clone(), vec![only.id.clone()]);
            }
        }
        for s in sketch.services() {
            let id = s.id.as_str();
            let p = &s.properties;
            match s.type_name.as_str() {
                "aws_iam_role" => {
                    let Some(user) = role_user.get(id).cloned() else {
                        continue;
                    };
                    self.own(id, &user);
                    let users = role_users
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| vec![user.clone()]);
                    if let Some(Value::Array(ps)) = p.get("inline_policy") {
                        for (i, ip) in ps.iter().enumerate() {
                            let Some(doc) = ip.get("policy") else {
                                continue;
                            };
                            let ptr = format!("/Properties/inline_policy/{i}");
                            let list = self
                                .statements_of(id, doc, &format!("{ptr}/policy"))
                                .into_iter()
                                .map(|(st, _)| (st, None))
                                .collect();
                            let list: Vec<(Value, Option<String>)> = list;
                            for u in &users {
                                self.statements(
                                    id,
                                    u,
                                    list.clone(),
                                    &[(id.to_string(), ptr.clone())],
                                );
                            }
                        }
                    }
                    if let Some(v) = p.get("managed_policy_arns") {
                        for pol in self.targets(id, v) {
                            if self.type_of(&pol) == "aws_iam_policy" {
                                self.own(&pol, id);
                                if let Some(doc) = self.policy_doc(&pol) {
                                    let list = self.statements_of(&pol, &doc, "/Properties/policy");
                                    for u in &users {
                                        self.statements(
                                            &pol,
                                            u,
                                            list.clone(),
                                            &[(pol.clone(), String::new())],
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
                "aws_iam_role_policy" => {
                    let Some(role) = self.target(id, get(p, "role")) else {
                        continue;
                    };
                    self.own(id, &role);
                    let Some(users) = role_users.get(&role).cloned() else {
                        continue;
                    };
                    if let Some(doc) = p.get("policy") {
                        let list = self.statements_of(id, doc, "/Properties/policy");
                        for u in &users {
                            self.statements(
                                id,
                                u,
                                list.clone(),
                                &[(id.to_string(), String::new())],
                            );
                        }
                    }
                }
                "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment" => {
                    let roles = p
                        .get("role")
                        .or_else(|| p.get("roles"))
                        .map(|v| self.targets(id, v))
                        .unwrap_or_default();
                    let pol = self.target(id, get(p, "policy_arn"));
                    for role in roles {
                        if self.kind_of(&role).is_none_or(|k| k != Kind::Role) {
                            continue;
                        }
                        self.own(id, &role);
                        let Some(pol) = &pol else { continue };
                        self.own(pol, &role);
                        let Some(users) = role_users.get(&role).cloned() else {
                            continue;
                        };
                        if let Some(doc) = self.policy_doc(pol) {
                            let list: Vec<(Value, Option<String>)> = self
                                .statements_of(pol, &doc, "/Properties/policy")
                                .into_iter()
                                .map(|(st, _)| (st, None))
                                .collect();
                            for u in &users {
                                self.statements(
                                    pol,
                                    u,
                                    list.clone(),
                                    &[
                                        (pol.clone(), String::new()),
                                        (id.to_string(), String::new()),
                                    ],
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn policy_doc(&self, id: &str) -> Option<Value> {
        self.doc_props
            .get(id)
            .and_then(|p| p.get("policy"))
            .cloned()
    }

    /// Any other reference: a natural arrow between services that are not
    /// connected yet, a plain `ref` at the resource level for glue.
    fn generic_refs(&mut self, sketch: &Sketch) {
        let mut linked: HashSet<(String, String)> = HashSet::new();
        // Places that already made a connection; references inside them are
        // not new.
        let mut made: HashMap<String, Vec<String>> = HashMap::new();
        for (a, b, c) in &self.found.conns {
            linked.insert((a.clone(), b.clone()));
            for o in &c.origins {
                made.entry(o.resource.clone())
                    .or_default()
                    .push(o.pointer.clone());
            }
        }
        // Settings resources (`aws_s3_bucket_versioning`) fold into the
        // resource they configure, like glue.
        let mut sub_owner: HashMap<String, String> = HashMap::new();
        for s in sketch.services() {
            if !s.kind.is_generic() || is_data(&s.id) {
                continue;
            }
            for t in self.targets_of_map(&s.id, &s.properties) {
                let parent = self.type_of(&t);
                if SETTINGS.contains(&s.type_name.as_str())
                    && s.type_name.starts_with(parent)
                    && !is_data(&t)
                {
                    sub_owner.insert(s.id.clone(), t);
                    break;
                }
            }
        }
        for (a, b) in &sub_owner {
            self.found.owners.push((a.clone(), b.clone()));
        }
        for s in sketch.services() {
            let glue = s.kind.is_glue() || sub_owner.contains_key(&s.id) || is_data(&s.id);
            for (key, v) in &s.properties {
                // Where code is stored is no data flow: `+code`. A Cloud
                // Control resource's `code` is its CloudFormation `Code`,
                // which the SAM reader passes over too.
                let code = key == "code"
                    || matches!(
                        (s.type_name.as_str(), key.as_str()),
                        (
                            "aws_lambda_function" | "aws_lambda_layer_version",
                            "s3_bucket"
                                | "s3_key"
                                | "s3_object_version"
                                | "filename"
                                | "source_code_hash"
                                | "image_uri"
                        )
                    );
                // Words about a resource (its description, its tags) say
                // nothing of what it connects to.
                let words = matches!(key.as_str(), "description" | "tags" | "tags_all");
                if code || words || self.handled_keys.contains(&(s.id.clone(), key.clone())) {
                    continue;
                }
                let handled = match s.type_name.as_str() {
                    "aws_lambda_function" => key == "environment",
                    "aws_sfn_state_machine" => key == "definition",
                    "aws_cloudwatch_log_group" => key == "name",
                    _ => false,
                };
                if handled {
                    continue;
                }
                let mut places = Vec::new();
                let top = format!("/Properties/{}", refs::escape(key));
                ref_places(v, &top, &top, false, false, &mut places);
                let mut found: Vec<(String, String, bool)> = Vec::new();
                for (ptr, leaf) in &places {
                    // A reference written inside other text cannot be cut
                    // out alone.
                    let inside = leaf
                        .as_str()
                        .is_some_and(|x| text::single_interpolation(x).is_none());
                    for t in self.targets(&s.id, leaf) {
                        if !found.iter().any(|(x, _, _)| *x == t) {
                            found.push((t, ptr.clone(), inside));
                        }
                    }
                }
                for (t, ptr, inside) in found {
                    if t == s.id {
                        continue;
                    }
                    // A function's dead-letter queue (or topic): where the
                    // events it failed to handle go. The whole block goes
                    // with the arrow.
                    if s.type_name == "aws_lambda_function" && key == "dead_letter_config" {
                        let origin = Origin {
                            resource: s.id.clone(),
                            pointer: top.clone(),
                            fixed: false,
                        };
                        let k = self.natural(&s.id, &t);
                        self.found.on_failure(&s.id, &t, k, origin);
                        linked.insert((s.id.clone(), t.clone()));
                        continue;
                    }
                    // A reference inside something that already made an
                    // arrow between the same two services adds nothing.
                    let in_made = made.get(&s.id).is_some_and(|ps| {
                        ps.iter().any(|p| {
                            !p.is_empty() && (ptr == *p || ptr.starts_with(&format!("{p}/")))
                        })
                    });
                    let already = linked.contains(&(s.id.clone(), t.clone()))
                        || linked.contains(&(t.clone(), s.id.clone()));
                    if in_made && already {
                        continue;
                    }
                    let tk = self.kind_of(&t).expect("resolved to a service");
                    let t_glue = tk.is_glue() || is_data(&t);
                    if glue || t_glue {
                        if linked.insert((s.id.clone(), t.clone())) {
                            self.connect(&s.id, &t, ConnectionKind::Ref, (&s.id, &ptr), None);
                        }
                        continue;
                    }
                    if !linked.insert((s.id.clone(), t.clone())) {
                        continue;
                    }
                    // Lambda@Edge (and CloudFront functions) run on the
                    // distribution's requests: it triggers them.
                    let edge = crate::formats::fold::runs_at_edge(&ptr);
                    let k = match self.natural(&s.id, &t) {
                        _ if edge => ConnectionKind::Trigger,
                        // What names a log group (a container's log
                        // configuration, an API's access logs) logs to it.
                        ConnectionKind::Ref if tk == Kind::LogGroup && s.kind != Kind::Alarm => {
                            ConnectionKind::Log
                        }
                        k => k,
                    };
                    self.connect_with(&s.id, &t, k, (&s.id, &ptr), inside, None);
                }
            }
        }
        // Layers, subnets and security groups used by one service fold into it.
        for s in sketch.services() {
            let mut vpc_refs = Vec::new();
            if let Some(v) = s.properties.get("layers") {
                for t in self.targets(&s.id, v) {
                    if self.kind_of(&t).is_some_and(|k| k == Kind::Layer) {
                        self.found.owners.push((t, s.id.clone()));
                    }
                }
            }
            if let Some(v) = s.properties.get("vpc_config") {
                vpc_refs = self.targets(&s.id, v);
            }
            for t in vpc_refs {
                if self
                    .kind_of(&t)
                    .is_some_and(|k| matches!(k, Kind::Subnet | Kind::SecurityGroup))
                {
                    self.found.owners.push((t.clone(), s.id.clone()));
                }
                self.groups.push((s.id.clone(), t));
            }
        }
        // A data source belongs to the first service that reads it.
        for s in sketch.services() {
            if is_data(&s.id) {
                continue;
            }
            for t in self.targets_of_map(&s.id, &s.properties) {
                if is_data(&t) {
                    self.found.owners.push((t, s.id.clone()));
                }
            }
        }
    }

    fn finish(mut self, sketch: &mut Sketch) {
        let mut refs: crate::formats::fold::Refs = HashMap::new();
        for s in sketch.services() {
            let list = refs.entry(s.id.clone()).or_default();
            for (k, v) in &s.properties {
                for t in self.targets(&s.id, v) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        assert_eq!(scope_of("aws_sqs_queue.q"), "");
        assert_eq!(scope_of("module.a.aws_sqs_queue.q"), "module.a.");
        assert_eq!(scope_of("module.a.module.b.data.x.y"), "module.a.module.b.");
        assert_eq!(scope_of("module.vpc"), "");
        assert_eq!(parent_scope("module.a.module.b."), "module.a.");
        assert_eq!(parent_scope("module.a."), "");
        assert!(is_data("module.a.data.aws_region.r"));
        assert!(!is_data("aws_region.data"));
    }
}
