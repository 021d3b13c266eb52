//! SAM/CloudFormation to Terraform: ids, references and intrinsics become
//! Terraform's, each kind's properties go through its property map, and
//! what SAM makes by itself (roles, archives, stages, event targets) is
//! written out as Terraform resources.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::json;

use super::rules::{self, Cx};
use super::{Notes, expr, literal, maps, operand, quote, single_interpolation, tf_type};
use crate::catalog::Kind;
use crate::formats::names::{pascal_case, snake_case};
use crate::formats::refs;
use crate::formats::terraform::{EVENT_TARGET, JSONENCODE};
use crate::model::{Connection, ConnectionKind, Map, Origin, Service, Sketch, Value};

/// The attribute a CloudFormation `Ref` returns, in Terraform.
pub(crate) fn ref_attr(cfn: &str, tf: &str) -> &'static str {
    if tf.starts_with("awscc_") {
        return "id";
    }
    match cfn {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => "function_name",
        "AWS::SQS::Queue" => "url",
        "AWS::SNS::Topic"
        | "AWS::Serverless::StateMachine"
        | "AWS::StepFunctions::StateMachine"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::SecretsManager::Secret"
        | "AWS::Serverless::LayerVersion"
        | "AWS::Lambda::LayerVersion"
        | "AWS::Events::EventBusPolicy" => "arn",
        "AWS::S3::Bucket" => "bucket",
        "AWS::DynamoDB::Table"
        | "AWS::Serverless::SimpleTable"
        | "AWS::Kinesis::Stream"
        | "AWS::Events::EventBus"
        | "AWS::Events::Rule"
        | "AWS::Logs::LogGroup"
        | "AWS::IAM::Role"
        | "AWS::SSM::Parameter"
        | "AWS::KinesisFirehose::DeliveryStream"
        | "AWS::Scheduler::Schedule"
        | "AWS::Scheduler::ScheduleGroup" => "name",
        "AWS::KMS::Key" => "key_id",
        "AWS::CloudWatch::Alarm" => "alarm_name",
        _ => "id",
    }
}

/// The Terraform attribute for a `Fn::GetAtt` attribute.
fn getatt_attr(cfn: &str, tf: &str, attr: &str) -> String {
    if tf.starts_with("awscc_") {
        return snake_case(&attr.replace('.', "_"));
    }
    match (cfn, attr) {
        (_, "Arn") => "arn".into(),
        (_, "StreamArn") => "stream_arn".into(),
        ("AWS::SQS::Queue", "QueueName") => "name".into(),
        ("AWS::SQS::Queue", "QueueUrl") => "url".into(),
        ("AWS::SNS::Topic", "TopicName") => "name".into(),
        (_, "Name") => "name".into(),
        (_, "RootResourceId") => "root_resource_id".into(),
        (_, "ApiEndpoint") => "api_endpoint".into(),
        ("AWS::S3::Bucket", "DomainName") => "bucket_domain_name".into(),
        ("AWS::S3::Bucket", "RegionalDomainName") => "bucket_regional_domain_name".into(),
        ("AWS::S3::Bucket", "WebsiteURL") => "website_endpoint".into(),
        ("AWS::Cognito::UserPool", "ProviderURL") => "endpoint".into(),
        ("AWS::Cognito::UserPool", "ProviderName") => "endpoint".into(),
        ("AWS::Cognito::UserPool", "UserPoolId") => "id".into(),
        ("AWS::EC2::SecurityGroup", "GroupId") => "id".into(),
        ("AWS::RDS::DBCluster" | "AWS::RDS::DBInstance", "Endpoint.Address") => "endpoint".into(),
        ("AWS::RDS::DBCluster" | "AWS::RDS::DBInstance", "Endpoint.Port") => "port".into(),
        ("AWS::CloudFront::Distribution", "DomainName") => "domain_name".into(),
        ("AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi", "ApiId") => "id".into(),
        ("AWS::Lambda::Url", "FunctionUrl") => "function_url".into(),
        _ => snake_case(&attr.replace('.', "_")),
    }
}

pub(crate) struct ToTf<'a> {
    src: &'a Sketch,
    /// Logical id to Terraform address.
    ids: HashMap<String, String>,
    cfn_types: HashMap<String, String>,
    tf_types: HashMap<String, String>,
    /// Resources under a condition: referenced as `addr[0]`.
    counted: HashSet<String>,
    params: HashMap<String, String>,
    conditions: HashMap<String, String>,
    mappings: HashMap<String, String>,
    /// Data sources and variables the references need.
    data: BTreeSet<(String, String)>,
    extra_vars: BTreeMap<String, Map>,
    pub(crate) notes: Notes,
    taken: HashSet<String>,
    /// Extra resources made from properties (topic subscriptions, rule
    /// targets, bucket settings): (after id, address, type, body).
    pub(crate) extra: Vec<(String, String, String, Map)>,
    /// Stage settings of APIs (the Terraform exporter makes the stage).
    pub(crate) stages: HashMap<String, Map>,
    /// Target settings of SAM's schedule and rule events (the Terraform
    /// exporter makes the target).
    pub(crate) event_targets: HashMap<String, Map>,
}

/// Translates a SAM/CloudFormation sketch into Terraform's words.
pub fn to_terraform(src: &Sketch, warnings: &mut Vec<String>) -> Sketch {
    let mut t = ToTf {
        src,
        ids: HashMap::new(),
        cfn_types: HashMap::new(),
        tf_types: HashMap::new(),
        counted: HashSet::new(),
        params: HashMap::new(),
        conditions: HashMap::new(),
        mappings: HashMap::new(),
        data: BTreeSet::new(),
        extra_vars: BTreeMap::new(),
        notes: Notes::default(),
        taken: HashSet::new(),
        extra: Vec::new(),
        stages: HashMap::new(),
        event_targets: HashMap::new(),
    };
    let out = t.run();
    warnings.extend(t.notes.into_vec());
    out
}

/// The address and Terraform type each service of a SAM sketch is written
/// under; services written some other way (connectors) have none.
fn terraform_names(src: &Sketch) -> Vec<(&Service, String, String)> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in src.services() {
        let Some(mut ty) = tf_type(&s.type_name, s.kind) else {
            continue;
        };
        // SAM's IoT rule event: an IoT rule that triggers its function.
        if s.implicit && s.type_name == "AWS::IoT::TopicRule" {
            ty = "aws_iot_topic_rule".into();
        }
        let base = if ty == "module" {
            format!("module.{}", snake_case(&s.id))
        } else {
            format!("{ty}.{}", snake_case(&s.id))
        };
        let mut addr = base.clone();
        let mut n = 2;
        while taken.contains(&addr) {
            addr = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(addr.clone());
        out.push((s, addr, ty));
    }
    out
}

/// Each service's id to the address its translation to Terraform has, so
/// what is shown of the translation can be matched with the sketch.
pub fn terraform_ids(src: &Sketch) -> HashMap<String, String> {
    terraform_names(src)
        .into_iter()
        .map(|(s, addr, _)| (s.id.clone(), addr))
        .collect()
}

impl ToTf<'_> {
    pub(crate) fn free(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }

    fn run(&mut self) -> Sketch {
        let src = self.src;
        // Names first, so references can be written in any order.
        if let Some(Value::Object(ps)) = src.sections.get("Parameters") {
            for k in ps.keys() {
                self.params
                    .insert(k.clone(), format!("var.{}", snake_case(k)));
            }
        }
        if let Some(Value::Object(cs)) = src.sections.get("Conditions") {
            for k in cs.keys() {
                self.conditions
                    .insert(k.clone(), format!("local.{}", snake_case(k)));
            }
        }
        if let Some(Value::Object(ms)) = src.sections.get("Mappings") {
            for k in ms.keys() {
                self.mappings
                    .insert(k.clone(), format!("local.{}", snake_case(k)));
            }
        }
        for (s, addr, ty) in terraform_names(src) {
            self.taken.insert(addr.clone());
            self.ids.insert(s.id.clone(), addr);
            self.cfn_types.insert(s.id.clone(), s.type_name.clone());
            self.tf_types.insert(s.id.clone(), ty);
            if s.attributes.contains_key("Condition") {
                self.counted.insert(s.id.clone());
            }
        }
        let mut out = Sketch::new();
        out.name = src.name.clone();
        out.notes = src.notes.clone();
        out.groups = src.groups.clone();
        let globals = src
            .sections
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut folded = Vec::new();
        for s in src.services() {
            let Some(addr) = self.ids.get(&s.id).cloned() else {
                if super::folded_into_argument(&s.type_name).is_some() {
                    folded.push(s);
                } else {
                    self.notes.group(
                        "SAM connectors are written as IAM statements of their source".into(),
                        s.id.clone(),
                    );
                }
                continue;
            };
            let ty = self.tf_types[&s.id].clone();
            let mut props = s.properties.clone();
            if s.type_name == "AWS::Serverless::Function" {
                merge_globals(&mut props, &globals);
            }
            let body = self.properties(s, &addr, &ty, &props);
            let mut svc = Service::new(
                addr.clone(),
                s.kind,
                if ty == "module" {
                    "module".to_string()
                } else {
                    ty.clone()
                },
            );
            svc.properties = body;
            svc.attributes = self.attributes(s);
            if s.implicit && s.kind == Kind::Api {
                self.stages.entry(s.id.clone()).or_insert_with(|| {
                    json!({"stage_name": "Prod"})
                        .as_object()
                        .cloned()
                        .unwrap_or_default()
                });
            }
            if let Some(stage) = self.stages.remove(&s.id) {
                svc.attributes.insert("stage".into(), Value::Object(stage));
            }
            if let Some(t) = self.event_targets.remove(&s.id) {
                svc.attributes.insert(EVENT_TARGET.into(), Value::Object(t));
            }
            svc.label = s.label.clone();
            svc.group = s.group.clone();
            svc.position = s.position;
            svc.usage = s.usage.clone();
            svc.multiplicity = s.multiplicity.clone().or_else(|| {
                s.attributes
                    .contains_key("Condition")
                    .then(|| "×0..1".to_string())
            });
            if ty == "aws_cloudwatch_event_rule"
                && svc.properties.contains_key("schedule_expression")
                && !svc.properties.contains_key("event_pattern")
            {
                svc.kind = Kind::Schedule;
            }
            let _ = out.add_service(svc);
        }
        for s in folded {
            self.fold_into_argument(s, &mut out);
        }
        for (after, addr, ty, body) in std::mem::take(&mut self.extra) {
            let mut svc = Service::new(addr.clone(), Kind::from_tf_type(&ty), ty);
            svc.properties = body;
            let at = out.index_of(&after).map_or(out.len(), |i| i + 1);
            let _ = out.insert_service(at, svc);
        }
        for (ty, name) in self.data.clone() {
            let id = format!("data.{ty}.{name}");
            if !out.contains(&id) {
                let _ = out.add_service(Service::new(id, Kind::Generic, ty));
            }
        }
        // Connections: what SAM writes as events, policies, connectors and
        // authorizers is left for the Terraform exporter to write; what a
        // translated property or resource already says keeps an origin.
        for (a, b, c) in src.connections() {
            let (Some(ta), Some(tb)) = (self.ids.get(a), self.ids.get(b)) else {
                continue;
            };
            let mut nc = Connection::new(c.kind);
            nc.label = c.label.clone();
            nc.multiplier = c.multiplier;
            if c.kind == ConnectionKind::Route {
                // Every route the events give, not only the first.
                let routes = self.routes(c);
                if !routes.is_empty() {
                    nc.label = Some(routes.join(", "));
                }
            }
            let sam_only = c.origins.is_empty() || c.origins.iter().any(|o| self.sam_only(o));
            if sam_only && self.in_event_pattern(a, b, c) {
                // The translated rule's pattern says it already.
                nc.origins.push(Origin {
                    resource: tb.clone(),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            } else if !sam_only {
                let o = &c.origins[0];
                nc.origins.push(Origin {
                    resource: self
                        .ids
                        .get(&o.resource)
                        .cloned()
                        .unwrap_or_else(|| ta.clone()),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            }
            let _ = out.connect(ta, tb, nc);
        }
        self.sections(&mut out);
        out
    }

    /// `METHOD /path` of each API event behind a route.
    fn routes(&self, c: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for o in &c.origins {
            let Some(name) = o.pointer.strip_prefix("/Properties/Events/") else {
                continue;
            };
            let Some(ev) = self
                .src
                .service(&o.resource)
                .and_then(|s| s.properties.get("Events"))
                .and_then(|e| e.get(name.replace("~1", "/").replace("~0", "~")))
            else {
                continue;
            };
            let p = ev.get("Properties");
            let path = p.and_then(|p| p.get("Path")).and_then(Value::as_str);
            let method = p
                .and_then(|p| p.get("Method"))
                .and_then(Value::as_str)
                .unwrap_or("ANY");
            let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
            let r = match (ty, path) {
                (_, Some(path)) => format!("{} {path}", method.to_uppercase()),
                ("HttpApi", None) => "$default".to_string(),
                _ => continue,
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// Whether a trigger comes from a resource a SAM rule event's pattern
    /// names, which the rule translated keeps in its `event_pattern`.
    fn in_event_pattern(&self, from: &str, rule: &str, c: &Connection) -> bool {
        c.kind == ConnectionKind::Trigger
            && self.src.service(rule).is_some_and(|r| {
                r.implicit
                    && r.properties
                        .get("Pattern")
                        .is_some_and(|p| refs::cfn_targets(p).iter().any(|t| t == from))
            })
    }

    /// Whether an origin is something only SAM writes (an event, a policy
    /// template, a connector, an API's auth), so Terraform must write the
    /// connection its own way.
    fn sam_only(&self, o: &Origin) -> bool {
        let p = o.pointer.as_str();
        if let Some(rest) = p.strip_prefix("/Properties/Policies") {
            // Inline statements are translated; policy templates are not.
            let item = self.src.service(&o.resource).and_then(|s| {
                let pol = s.properties.get("Policies")?;
                match rest.strip_prefix('/') {
                    Some(i) => pol.get(i.split('/').next()?.parse::<usize>().ok()?),
                    None => Some(pol),
                }
            });
            // (A role's inline policy holds its statements in a
            // `PolicyDocument`; a SAM function's inline one at the top.)
            return item
                .is_none_or(|i| i.get("Statement").is_none() && i.get("PolicyDocument").is_none());
        }
        p.starts_with("/Properties/Events")
            || p.starts_with("/Connectors")
            || self
                .cfn_types
                .get(&o.resource)
                .is_some_and(|t| t == "AWS::Serverless::Connector")
            || self.src.service(&o.resource).is_some_and(|s| s.implicit)
    }

    fn reference(&mut self, id: &str) -> Option<String> {
        let addr = self.ids.get(id)?.clone();
        if self.counted.contains(id) {
            Some(format!("{addr}[0]"))
        } else {
            Some(addr)
        }
    }

    fn pseudo(&mut self, name: &str) -> Option<String> {
        let (ty, attr) = match name {
            "AWS::Region" => ("aws_region", "name"),
            "AWS::AccountId" => ("aws_caller_identity", "account_id"),
            "AWS::Partition" => ("aws_partition", "partition"),
            "AWS::URLSuffix" => ("aws_partition", "dns_suffix"),
            "AWS::StackName" | "AWS::StackId" => {
                self.stack_var();
                return Some("var.stack_name".into());
            }
            "AWS::NotificationARNs" => return Some("[]".into()),
            _ => return None,
        };
        let name = if ty == "aws_availability_zones" {
            "available"
        } else {
            "current"
        };
        self.data.insert((ty.to_string(), name.to_string()));
        Some(format!("data.{ty}.{name}.{attr}"))
    }

    fn stack_var(&mut self) {
        if !self.params.values().any(|v| v == "var.stack_name") {
            let mut m = Map::new();
            m.insert(
                "description".into(),
                json!("Name prefix for what this configuration creates"),
            );
            m.insert("type".into(), expr("string"));
            m.insert(
                "default".into(),
                json!(self.src.name.clone().unwrap_or_else(|| "app".into())),
            );
            self.extra_vars.insert("stack_name".into(), m);
        }
    }

    /// A name that is neither a resource nor a parameter: a variable.
    fn unknown(&mut self, name: &str) -> String {
        let v = snake_case(name);
        self.notes.group(
            "names no resource or parameter of the template; written as variables".into(),
            name.to_string(),
        );
        self.extra_vars.entry(v.clone()).or_insert_with(|| {
            let mut m = Map::new();
            m.insert("type".into(), expr("string"));
            m
        });
        format!("var.{v}")
    }

    /// The Terraform expression for `Ref: name`.
    fn ref_expr(&mut self, name: &str) -> Option<String> {
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(p) = self.pseudo(name) {
            return Some(p);
        }
        if let Some(v) = self.params.get(name) {
            return Some(v.clone());
        }
        if let Some(r) = self.reference(name) {
            let attr = ref_attr(&self.cfn_types[name], &self.tf_types[name]);
            return Some(if self.tf_types[name] == "module" {
                r
            } else {
                format!("{r}.{attr}")
            });
        }
        // The alias and version SAM makes for `AutoPublishAlias`
        // (`Fn.Alias`, `Fn.Version`): the `aws_lambda_alias` written beside
        // the function, and the version it publishes.
        if let Some((f, part)) = name
            .strip_suffix(".Alias")
            .map(|f| (f, "Alias"))
            .or_else(|| name.strip_suffix(".Version").map(|f| (f, "Version")))
        {
            let aliased = self.src.service(f).is_some_and(|s| {
                s.properties.contains_key("AutoPublishAlias")
                    || self
                        .src
                        .sections
                        .get("Globals")
                        .and_then(|g| g.get("Function"))
                        .is_some_and(|g| g.get("AutoPublishAlias").is_some())
            });
            if let (true, Some(addr)) = (aliased, self.ids.get(f)) {
                let name = addr.rsplit('.').next().unwrap_or(addr);
                return Some(match part {
                    "Alias" => format!("aws_lambda_alias.{name}.arn"),
                    _ => format!("{addr}.version"),
                });
            }
        }
        Some(self.unknown(name))
    }

    fn getatt_expr(&mut self, name: &str, attr: &str) -> String {
        match self.reference(name) {
            Some(r) if self.tf_types[name] == "module" => {
                let out = attr.strip_prefix("Outputs.").unwrap_or(attr);
                format!("{r}.{}", snake_case(out))
            }
            Some(r) => {
                let a = getatt_attr(&self.cfn_types[name], &self.tf_types[name], attr);
                format!("{r}.{a}")
            }
            None => self.unknown(&format!("{name}{}", attr.replace('.', ""))),
        }
    }

    /// `Fn::Sub` text with `${Name}` made Terraform interpolations.
    fn sub(&mut self, s: &str, vars: &Map) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&literal(&rest[..i]));
            rest = &rest[i + 2..];
            let Some(end) = rest.find('}') else {
                out.push_str("$${");
                break;
            };
            let inner = rest[..end].trim();
            rest = &rest[end + 1..];
            if let Some(lit) = inner.strip_prefix('!') {
                out.push_str(&format!("$${{{lit}}}"));
                continue;
            }
            let e = if let Some(v) = vars.get(inner) {
                let tv = self.value(v);
                match &tv {
                    // A literal goes in as text.
                    Value::String(t) if !t.contains("${") && !t.contains("%{") => {
                        out.push_str(t);
                        continue;
                    }
                    Value::String(t) if single_interpolation(t).is_some() => {
                        single_interpolation(t).unwrap_or("null").to_string()
                    }
                    _ => operand(&tv),
                }
            } else {
                match inner.split_once('.') {
                    Some((n, a)) if !n.starts_with("AWS::") => self.getatt_expr(n, a),
                    _ => self.ref_expr(inner).unwrap_or_else(|| "\"\"".into()),
                }
            };
            out.push_str(&format!("${{{e}}}"));
        }
        out.push_str(&literal(rest));
        out
    }

    fn cond_expr(&mut self, v: &Value) -> String {
        let e = self.cond_expr_inner(v);
        if e.trim().is_empty() {
            "false".into()
        } else {
            e
        }
    }

    fn cond_expr_inner(&mut self, v: &Value) -> String {
        match v {
            Value::Object(m) if m.len() == 1 => {
                let (k, inner) = m.iter().next().expect("one");
                let list = inner.as_array().cloned().unwrap_or_default();
                match k.as_str() {
                    "Condition" => inner
                        .as_str()
                        .and_then(|c| self.conditions.get(c).cloned())
                        .unwrap_or_else(|| "false".into()),
                    "Fn::Equals" if list.len() == 2 => {
                        let a = operand(&self.value(&list[0]));
                        let b = operand(&self.value(&list[1]));
                        format!("{a} == {b}")
                    }
                    "Fn::Not" if !list.is_empty() => format!("!({})", self.cond_expr(&list[0])),
                    "Fn::And" | "Fn::Or" => {
                        let op = if k == "Fn::And" { " && " } else { " || " };
                        let parts: Vec<String> = list
                            .iter()
                            .map(|x| format!("({})", self.cond_expr(x)))
                            .collect();
                        parts.join(op)
                    }
                    _ => operand(&self.value(v)),
                }
            }
            other => operand(&self.value(other)),
        }
    }

    /// A CloudFormation value as a neutral Terraform value.
    pub(crate) fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(literal(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) if m.len() == 1 => {
                let (k, inner) = m.iter().next().expect("one");
                let list = inner.as_array().cloned().unwrap_or_default();
                match k.as_str() {
                    "Ref" => match inner.as_str().and_then(|n| self.ref_expr(n)) {
                        Some(e) => expr(&e),
                        None => Value::Null,
                    },
                    "Fn::GetAtt" => {
                        let (n, a) = match inner {
                            Value::String(s) => match s.split_once('.') {
                                Some((n, a)) => (n.to_string(), a.to_string()),
                                None => (s.clone(), "Arn".into()),
                            },
                            Value::Array(a) => (
                                a.first().and_then(Value::as_str).unwrap_or("").to_string(),
                                a.get(1)
                                    .and_then(Value::as_str)
                                    .unwrap_or("Arn")
                                    .to_string(),
                            ),
                            _ => return Value::Null,
                        };
                        expr(&self.getatt_expr(&n, &a))
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match inner {
                            Value::String(s) => (s.clone(), Map::new()),
                            Value::Array(a) => (
                                a.first().and_then(Value::as_str).unwrap_or("").to_string(),
                                a.get(1)
                                    .and_then(Value::as_object)
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            _ => return Value::Null,
                        };
                        Value::String(self.sub(&text, &vars))
                    }
                    "Fn::Join" if list.len() == 2 => {
                        let sep = list[0].as_str().unwrap_or("").to_string();
                        let items = self.value(&list[1]);
                        expr(&format!(
                            "join({}, {})",
                            quote(&literal(&sep)),
                            operand(&items)
                        ))
                    }
                    "Fn::If" if list.len() == 3 => {
                        let c = list[0]
                            .as_str()
                            .and_then(|c| self.conditions.get(c).cloned())
                            .unwrap_or_else(|| "false".into());
                        let a = self.value(&list[1]);
                        let b = self.value(&list[2]);
                        expr(&format!("{c} ? {} : {}", operand(&a), operand(&b)))
                    }
                    "Fn::Select" if list.len() == 2 => {
                        let i = self.value(&list[0]);
                        let l = self.value(&list[1]);
                        expr(&format!("element({}, {})", operand(&l), operand(&i)))
                    }
                    "Fn::Split" if list.len() == 2 => {
                        let sep = list[0].as_str().unwrap_or(",").to_string();
                        let s = self.value(&list[1]);
                        expr(&format!(
                            "split({}, {})",
                            quote(&literal(&sep)),
                            operand(&s)
                        ))
                    }
                    "Fn::GetAZs" => {
                        self.data
                            .insert(("aws_availability_zones".into(), "available".into()));
                        expr("data.aws_availability_zones.available.names")
                    }
                    "Fn::Base64" => {
                        let x = self.value(inner);
                        expr(&format!("base64encode({})", operand(&x)))
                    }
                    "Fn::FindInMap" if list.len() == 3 => {
                        let m = list[0]
                            .as_str()
                            .and_then(|n| self.mappings.get(n).cloned())
                            .unwrap_or_else(|| "local.mappings".into());
                        let k1 = self.value(&list[1]);
                        let k2 = self.value(&list[2]);
                        expr(&format!("{m}[{}][{}]", operand(&k1), operand(&k2)))
                    }
                    "Fn::ImportValue" => {
                        let name = match inner {
                            Value::String(s) => s.clone(),
                            _ => "imported_value".into(),
                        };
                        self.notes.group(
                            "Fn::ImportValue has no Terraform equivalent; written as variables"
                                .into(),
                            name.clone(),
                        );
                        let v = format!("import_{}", snake_case(&name));
                        self.extra_vars.entry(v.clone()).or_insert_with(|| {
                            let mut m = Map::new();
                            m.insert("type".into(), expr("string"));
                            m
                        });
                        expr(&format!("var.{v}"))
                    }
                    "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                        expr(&self.cond_expr(v))
                    }
                    "Fn::Cidr" if list.len() == 3 => {
                        let ip = self.value(&list[0]);
                        let n = self.value(&list[1]);
                        let bits = self.value(&list[2]);
                        self.notes.group(
                            "Fn::Cidr is written with cidrsubnet; check the subnet sizes".into(),
                            "Fn::Cidr".into(),
                        );
                        expr(&format!(
                            "[for i in range({}) : cidrsubnet({}, {}, i)]",
                            operand(&n),
                            operand(&ip),
                            operand(&bits)
                        ))
                    }
                    "Fn::ToJsonString" => {
                        let x = self.value(inner);
                        json!({ JSONENCODE: x })
                    }
                    "Fn::Length" => {
                        let x = self.value(inner);
                        expr(&format!("length({})", operand(&x)))
                    }
                    k if k.starts_with("Fn::") => {
                        self.notes.group(
                            "intrinsic functions with no Terraform equivalent were left out".into(),
                            k.to_string(),
                        );
                        Value::Null
                    }
                    _ => {
                        let mut out = Map::new();
                        out.insert(k.clone(), self.value(inner));
                        Value::Object(out)
                    }
                }
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let tv = self.value(x);
                    if !tv.is_null() || x.is_null() {
                        out.insert(k.clone(), tv);
                    }
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// A value whose object keys become snake_case at every level (for
    /// nested settings such as `VpcConfig`).
    pub(crate) fn snake_value(&mut self, v: &Value) -> Value {
        match v {
            Value::Object(m)
                if m.len() == 1
                    && m.keys()
                        .next()
                        .is_some_and(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                self.value(v)
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let tv = self.snake_value(x);
                    if !tv.is_null() {
                        out.insert(snake_case(k), tv);
                    }
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.snake_value(x)).collect()),
            other => self.value(other),
        }
    }

    pub(crate) fn json_doc(&mut self, v: &Value) -> Value {
        let x = match v {
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(parsed) => self.value(&parsed),
                Err(_) => return Value::String(literal(s)),
            },
            other => self.value(other),
        };
        if let Value::String(_) = x {
            return x;
        }
        json!({ JSONENCODE: x })
    }

    pub(crate) fn tags(&mut self, v: &Value) -> Value {
        match v {
            Value::Array(a) => {
                let mut m = Map::new();
                for t in a {
                    if let (Some(k), Some(val)) =
                        (t.get("Key").and_then(Value::as_str), t.get("Value"))
                    {
                        m.insert(k.to_string(), self.value(val));
                    }
                }
                Value::Object(m)
            }
            other => self.value(other),
        }
    }

    fn attributes(&mut self, s: &Service) -> Map {
        let mut m = Map::new();
        for (k, v) in &s.attributes {
            match k.as_str() {
                "Condition" => {
                    let c = v
                        .as_str()
                        .and_then(|c| self.conditions.get(c).cloned())
                        .unwrap_or_else(|| "false".into());
                    m.insert("count".into(), expr(&format!("{c} ? 1 : 0")));
                }
                "DependsOn" => {
                    let list: Vec<String> = match v {
                        Value::String(x) => vec![x.clone()],
                        Value::Array(a) => a
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                        _ => vec![],
                    };
                    let deps: Vec<Value> = list
                        .iter()
                        .filter_map(|d| self.ids.get(d).cloned())
                        .map(|d| expr(&d))
                        .collect();
                    if !deps.is_empty() {
                        m.insert("depends_on".into(), Value::Array(deps));
                    }
                }
                "DeletionPolicy" | "UpdateReplacePolicy" => {
                    if v.as_str() == Some("Retain") {
                        m.insert("lifecycle".into(), json!([{"prevent_destroy": true}]));
                    }
                }
                "Metadata" | "Connectors" | "UpdatePolicy" | "CreationPolicy" | "IgnoreGlobals" => {
                    if k != "Connectors" {
                        self.notes.group(
                            format!("{k} has no Terraform equivalent; left out of"),
                            s.id.clone(),
                        );
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// Puts `v` under `key` unless it is null.
    pub(crate) fn put(&mut self, m: &mut Map, key: &str, v: Value) {
        if !v.is_null() {
            m.insert(key.to_string(), v);
        }
    }

    /// Reports what a note groups by `what`: `what: a, b, c`.
    pub(crate) fn note(&mut self, what: String, item: String) {
        self.notes.group(what, item);
    }

    /// A resource made from a property (a subscription, a rule target, a
    /// bucket setting), written after `after` under a free name.
    pub(crate) fn add_resource(&mut self, after: &str, ty: &str, name: &str, body: Map) {
        let id = self.free(format!("{ty}.{name}"));
        self.extra
            .push((after.to_string(), id, ty.to_string(), body));
    }

    /// A resource Terraform writes as an argument of the one it belongs to
    /// (a GraphQL schema as its API's `schema`).
    fn fold_into_argument(&mut self, s: &Service, out: &mut Sketch) {
        let Some((owner, value, arg)) = super::folded_into_argument(&s.type_name) else {
            return;
        };
        let target = s
            .properties
            .get(owner)
            .and_then(|v| crate::formats::refs::cfn_targets(v).into_iter().next())
            .and_then(|id| self.ids.get(&id).cloned());
        let v = match value {
            Some(k) => s.properties.get(k).map(|v| self.value(v)).or_else(|| {
                // A local file SAM uploads (`DefinitionS3Location: schema.graphql`)
                // is read by Terraform from the same place.
                s.properties
                    .get(&format!("{k}S3Location"))
                    .and_then(Value::as_str)
                    .filter(|p| !p.starts_with("s3://"))
                    .map(|p| {
                        expr(&format!(
                            "file(\"${{path.module}}/{}\")",
                            p.trim_start_matches("./")
                        ))
                    })
            }),
            None => Some(Value::Bool(true)),
        };
        let why = match (target, v) {
            (Some(addr), Some(v)) => {
                if let Some(t) = out.service_mut(&addr) {
                    t.properties.insert(arg.to_string(), v);
                }
                return;
            }
            (None, _) => {
                format!("the resource whose `{arg}` it is ({owner}) is not in the template")
            }
            (_, None) => format!("it has no {} to write as `{arg}`", value.unwrap_or(arg)),
        };
        self.notes
            .group(format!("{}: {why}; left out", s.type_name), s.id.clone());
    }

    /// A resource's properties through its kind's property map.
    fn properties(&mut self, s: &Service, addr: &str, ty: &str, p: &Map) -> Map {
        let mut m = Map::new();
        let cfn = s.type_name.as_str();
        let name = addr.rsplit('.').next().unwrap_or(addr).to_string();
        let cx = Cx {
            s,
            cfn,
            tf: ty,
            addr,
            name: &name,
        };
        // Connectors are connections, written by the exporter.
        let mut p = p.clone();
        p.shift_remove("Connectors");
        let rules = maps::rules(cfn, ty, s.implicit);
        let left = rules::to_tf(self, &cx, rules, &p, &mut m);
        if !left.is_empty() {
            for k in left {
                self.notes.group(
                    format!(
                        "{} ({cfn}): properties with no Terraform counterpart were left out (kept in the sketch)",
                        s.id
                    ),
                    k,
                );
            }
        }
        if ty.starts_with("awscc_") {
            self.notes.group(
                "no AWS-provider type is known here; written for the awscc (Cloud Control) provider".into(),
                cfn.to_string(),
            );
        }
        m
    }

    /// SAM's `EventInvokeConfig` of a function: retries and where the
    /// results of asynchronous calls go, as Terraform's resource of its own.
    pub(crate) fn event_invoke_config(&mut self, s: &Service, addr: &str, name: &str, c: &Value) {
        let mut b = Map::new();
        b.insert(
            "function_name".into(),
            expr(&format!("{addr}.function_name")),
        );
        for (ck, tk) in [
            ("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds"),
            ("MaximumRetryAttempts", "maximum_retry_attempts"),
        ] {
            if let Some(v) = c.get(ck) {
                let v = self.value(v);
                self.put(&mut b, tk, v);
            }
        }
        let mut dest = Map::new();
        for (ck, tk) in [("OnSuccess", "on_success"), ("OnFailure", "on_failure")] {
            let Some(d) = c.get("DestinationConfig").and_then(|d| d.get(ck)) else {
                continue;
            };
            match d.get("Destination") {
                Some(v) => {
                    let v = self.value(v);
                    dest.insert(tk.into(), json!([{ "destination": v }]));
                }
                None => self.notes.group(
                    "destinations SAM makes itself are not written; add one and connect it to"
                        .into(),
                    s.id.clone(),
                ),
            }
        }
        if !dest.is_empty() {
            b.insert("destination_config".into(), json!([dest]));
        }
        let id = self.free(format!("aws_lambda_function_event_invoke_config.{name}"));
        self.extra.push((
            addr.to_string(),
            id,
            "aws_lambda_function_event_invoke_config".into(),
            b,
        ));
    }

    /// A SAM schedule or rule event, made its own rule or schedule: what
    /// picks the events goes on it, how they are delivered on the target the
    /// exporter writes. The dead-letter queue is a connection of its own.
    pub(crate) fn event_properties(&mut self, s: &Service, p: &Map, m: &mut Map) {
        let scheduler = s.type_name == "AWS::Scheduler::Schedule";
        let mut target = Map::new();
        for (k, v) in p {
            let k = k.as_str();
            match k {
                "Pattern" => {
                    let r = self.json_doc(v);
                    m.insert("event_pattern".into(), r);
                }
                "Schedule" => {
                    let r = self.value(v);
                    m.insert("schedule_expression".into(), r);
                }
                "RuleName" => {
                    let r = self.value(v);
                    m.insert("name".into(), r);
                }
                "Enabled" => {
                    let r = match self.value(v) {
                        Value::Bool(b) => json!(if b { "ENABLED" } else { "DISABLED" }),
                        Value::String(b) if b == "true" || b == "false" => {
                            json!(if b == "true" { "ENABLED" } else { "DISABLED" })
                        }
                        other => expr(&format!("{} ? \"ENABLED\" : \"DISABLED\"", operand(&other))),
                    };
                    m.insert("state".into(), r);
                }
                "DeadLetterConfig" => {
                    if v.get("Arn").is_none() {
                        self.notes.group(
                            "dead-letter queues SAM makes itself are not written; add one and connect it to"
                                .into(),
                            s.id.clone(),
                        );
                    }
                }
                "Target" => {
                    if let Some(id) = v.get("Id") {
                        let r = self.value(id);
                        target.insert("target_id".into(), r);
                    }
                }
                "Input" | "InputPath" | "RoleArn" => {
                    let r = self.value(v);
                    target.insert(snake_case(k), r);
                }
                "RetryPolicy" | "InputTransformer" => {
                    let mut r = self.snake_value(v);
                    if let Some(o) = r.as_object_mut() {
                        if let Some(x) = o.shift_remove("input_paths_map") {
                            o.insert("input_paths".into(), x);
                        }
                    }
                    target.insert(snake_case(k), json!([r]));
                }
                "OmitName" | "PermissionsBoundary" => {
                    self.notes.group(
                        format!("{k} of a schedule event has no Terraform argument; left out of"),
                        s.id.clone(),
                    );
                }
                _ => {}
            }
        }
        if scheduler {
            // A schedule's target is a block of the schedule itself.
            target.shift_remove("target_id");
            target.shift_remove("input_path");
        }
        if !target.is_empty() {
            self.event_targets.insert(s.id.clone(), target);
        }
    }

    /// An authorizer of a SAM API as its own resource (with the permission
    /// a Lambda authorizer needs).
    pub(crate) fn authorizer(
        &mut self,
        api: &str,
        api_name: &str,
        name: &str,
        a: &Value,
        v2: bool,
    ) {
        let mut b = Map::new();
        b.insert("name".into(), json!(name));
        b.insert(
            if v2 { "api_id" } else { "rest_api_id" }.into(),
            expr(&format!("{api}.id")),
        );
        let function = a.get("FunctionArn").map(|f| self.value(f));
        if let Some(f) = &function {
            let invoke = match f.as_str().and_then(single_interpolation) {
                Some(e) if e.ends_with(".arn") && e.starts_with("aws_lambda_function.") => {
                    expr(&format!("{}.invoke_arn", e.trim_end_matches(".arn")))
                }
                _ => f.clone(),
            };
            b.insert("authorizer_uri".into(), invoke);
            if v2 {
                b.insert("authorizer_type".into(), json!("REQUEST"));
                b.insert("authorizer_payload_format_version".into(), json!("2.0"));
                b.insert(
                    "identity_sources".into(),
                    json!(["$request.header.Authorization"]),
                );
            } else {
                let ty = a
                    .get("FunctionPayloadType")
                    .and_then(Value::as_str)
                    .unwrap_or("TOKEN");
                b.insert("type".into(), json!(ty));
            }
            if let Some(fname) = f
                .as_str()
                .and_then(single_interpolation)
                .and_then(|e| e.strip_suffix(".arn"))
                .filter(|e| e.starts_with("aws_lambda_function."))
            {
                let mut p = Map::new();
                p.insert(
                    "statement_id".into(),
                    json!(format!("Allow{}", pascal_case(name))),
                );
                p.insert("action".into(), json!("lambda:InvokeFunction"));
                p.insert(
                    "function_name".into(),
                    expr(&format!("{fname}.function_name")),
                );
                p.insert("principal".into(), json!("apigateway.amazonaws.com"));
                p.insert(
                    "source_arn".into(),
                    json!(format!("${{{api}.execution_arn}}/authorizers/*")),
                );
                let id = self.free(format!(
                    "aws_lambda_permission.{api_name}_{}",
                    snake_case(name)
                ));
                self.extra
                    .push((api.to_string(), id, "aws_lambda_permission".into(), p));
            }
        } else if let Some(j) = a.get("JwtConfiguration") {
            b.insert("authorizer_type".into(), json!("JWT"));
            let mut jc = Map::new();
            for (k, tk) in [
                ("issuer", "issuer"),
                ("Issuer", "issuer"),
                ("audience", "audience"),
                ("Audience", "audience"),
            ] {
                if let Some(v) = j.get(k) {
                    jc.insert(tk.into(), self.value(v));
                }
            }
            b.insert("jwt_configuration".into(), json!([jc]));
            let src = a
                .get("IdentitySource")
                .map(|x| self.value(x))
                .unwrap_or(json!("$request.header.Authorization"));
            b.insert(
                "identity_sources".into(),
                if src.is_array() { src } else { json!([src]) },
            );
        } else if let Some(pools) = a.get("UserPoolArn") {
            let pools = self.value(pools);
            b.insert("type".into(), json!("COGNITO_USER_POOLS"));
            b.insert(
                "provider_arns".into(),
                if pools.is_array() {
                    pools
                } else {
                    json!([pools])
                },
            );
        } else {
            self.notes.group(
                "API authorizers of this form are not translated".into(),
                name.to_string(),
            );
            return;
        }
        let ty = if v2 {
            "aws_apigatewayv2_authorizer"
        } else {
            "aws_api_gateway_authorizer"
        };
        let id = self.free(format!("{ty}.{api_name}_{}", snake_case(name)));
        self.extra.push((api.to_string(), id, ty.to_string(), b));
    }

    /// The role SAM would make for a function or state machine: managed
    /// policies named in `Policies` attached, inline statements in a role
    /// policy. Policy templates are left to the connections they draw.
    pub(crate) fn serverless_role(
        &mut self,
        addr: &str,
        name: &str,
        p: &Map,
        principal: &str,
        logs: bool,
    ) -> String {
        let role = self.free(format!("aws_iam_role.{name}"));
        let mut body = Map::new();
        body.insert(
            "name".into(),
            json!(format!("{}-role", name.replace('_', "-"))),
        );
        let assume = match p.get("AssumeRolePolicyDocument") {
            Some(d) => self.json_doc(d),
            None => json!({JSONENCODE: {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}],
            }}),
        };
        body.insert("assume_role_policy".into(), assume);
        if let Some(b) = p.get("PermissionsBoundary") {
            let b = self.value(b);
            body.insert("permissions_boundary".into(), b);
        }
        self.extra
            .push((addr.to_string(), role.clone(), "aws_iam_role".into(), body));
        let items: Vec<Value> = match p.get("Policies") {
            Some(Value::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => vec![],
        };
        let mut managed: Vec<Value> = Vec::new();
        if logs {
            managed.push(json!(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            ));
        }
        let mut statements = Vec::new();
        for item in &items {
            match item {
                Value::String(n) if n != "AWSLambdaBasicExecutionRole" => {
                    let arn = if n.starts_with("arn:") {
                        json!(n)
                    } else {
                        json!(format!("arn:aws:iam::aws:policy/{n}"))
                    };
                    if !managed.contains(&arn) {
                        managed.push(arn);
                    }
                }
                Value::Object(o)
                    if o.contains_key("Ref") || o.keys().any(|k| k.starts_with("Fn::")) =>
                {
                    managed.push(self.value(item));
                }
                Value::Object(o) if o.contains_key("Statement") => match &o["Statement"] {
                    Value::Array(a) => statements.extend(a.iter().map(|x| self.value(x))),
                    other => statements.push(self.value(other)),
                },
                _ => {}
            }
        }
        for (i, arn) in managed.into_iter().enumerate() {
            let mut b = Map::new();
            b.insert("role".into(), expr(&format!("{role}.name")));
            b.insert("policy_arn".into(), arn);
            let suffix = if i == 0 && logs {
                "logs".to_string()
            } else {
                format!("policy_{i}")
            };
            let id = self.free(format!("aws_iam_role_policy_attachment.{name}_{suffix}"));
            self.extra.push((
                addr.to_string(),
                id,
                "aws_iam_role_policy_attachment".into(),
                b,
            ));
        }
        if !statements.is_empty() {
            let mut b = Map::new();
            b.insert(
                "name".into(),
                json!(format!("{}-inline", name.replace('_', "-"))),
            );
            b.insert("role".into(), expr(&format!("{role}.id")));
            b.insert(
                "policy".into(),
                json!({JSONENCODE: {"Version": "2012-10-17", "Statement": statements}}),
            );
            let id = self.free(format!("aws_iam_role_policy.{name}_inline"));
            self.extra
                .push((addr.to_string(), id, "aws_iam_role_policy".into(), b));
        }
        role
    }

    pub(crate) fn archive(&mut self, addr: &str, name: &str, source: Value, m: &mut Map) {
        let id = format!("data.archive_file.{name}");
        let mut body = Map::new();
        body.insert("type".into(), json!("zip"));
        if let Value::Object(o) = source {
            for (k, v) in o {
                body.insert(k, v);
            }
        }
        body.insert(
            "output_path".into(),
            json!(format!("${{path.module}}/build/{name}.zip")),
        );
        let id = self.free(id);
        self.extra
            .push((addr.to_string(), id.clone(), "archive_file".into(), body));
        m.insert("filename".into(), expr(&format!("{id}.output_path")));
        m.insert(
            "source_code_hash".into(),
            expr(&format!("{id}.output_base64sha256")),
        );
    }

    fn sections(&mut self, out: &mut Sketch) {
        let src = self.src;
        if let Some(Value::Object(ps)) = src.sections.get("Parameters") {
            for (k, p) in ps {
                let mut m = Map::new();
                let cfn_t = p.get("Type").and_then(Value::as_str).unwrap_or("String");
                let list = cfn_t.starts_with("List<") || cfn_t == "CommaDelimitedList";
                let ty = if list {
                    if cfn_t.contains("Number") {
                        "list(number)"
                    } else {
                        "list(string)"
                    }
                } else if cfn_t == "Number" {
                    "number"
                } else {
                    "string"
                };
                if let Some(d) = p.get("Description") {
                    m.insert("description".into(), self.value(d));
                }
                m.insert("type".into(), expr(ty));
                if let Some(d) = p.get("Default") {
                    let dv = match (list, d) {
                        (true, Value::String(s)) => {
                            json!(s.split(',').map(|x| literal(x.trim())).collect::<Vec<_>>())
                        }
                        _ => self.value(d),
                    };
                    m.insert("default".into(), dv);
                }
                if p.get("NoEcho")
                    .is_some_and(|n| n == &json!(true) || n == &json!("true"))
                {
                    m.insert("sensitive".into(), json!(true));
                }
                if let Some(Value::Array(allowed)) = p.get("AllowedValues") {
                    if !list {
                        let vals = Value::Array(allowed.iter().map(|x| self.value(x)).collect());
                        let name = snake_case(k);
                        m.insert("validation".into(), json!([{
                            "condition": format!("${{contains({}, var.{name})}}", operand(&vals)),
                            "error_message": format!("{name} must be one of the allowed values."),
                        }]));
                    }
                }
                if cfn_t.starts_with("AWS::SSM::Parameter::Value") {
                    self.notes.group("SSM parameter types become plain variables; read the parameter with a data source if needed".into(), k.clone());
                }
                out.sections
                    .insert(format!("variable.{}", snake_case(k)), Value::Object(m));
            }
        }
        for (k, m) in std::mem::take(&mut self.extra_vars) {
            out.sections
                .entry(format!("variable.{k}"))
                .or_insert(Value::Object(m));
        }
        if let Some(Value::Object(cs)) = src.sections.get("Conditions") {
            for (k, c) in cs {
                let e = self.cond_expr(c);
                out.sections
                    .insert(format!("local.{}", snake_case(k)), expr(&e));
            }
        }
        if let Some(Value::Object(ms)) = src.sections.get("Mappings") {
            for (k, m) in ms {
                let v = self.value(m);
                out.sections.insert(format!("local.{}", snake_case(k)), v);
            }
        }
        if let Some(Value::Object(os)) = src.sections.get("Outputs") {
            for (k, o) in os {
                let mut m = Map::new();
                if let Some(d) = o.get("Description") {
                    m.insert("description".into(), self.value(d));
                }
                let v = o.get("Value").map(|v| self.value(v)).unwrap_or(Value::Null);
                let v = match o
                    .get("Condition")
                    .and_then(Value::as_str)
                    .and_then(|c| self.conditions.get(c).cloned())
                {
                    Some(c) => expr(&format!("{c} ? {} : null", operand(&v))),
                    None => v,
                };
                m.insert("value".into(), v);
                if o.get("Export").is_some() {
                    self.notes.group(
                        "output exports have no Terraform equivalent; left out of".into(),
                        k.clone(),
                    );
                }
                out.sections
                    .insert(format!("output.{}", snake_case(k)), Value::Object(m));
            }
        }
        // Variables made while writing the sections.
        for (k, m) in std::mem::take(&mut self.extra_vars) {
            out.sections
                .entry(format!("variable.{k}"))
                .or_insert(Value::Object(m));
        }
        for (ty, name) in self.data.clone() {
            let id = format!("data.{ty}.{name}");
            if !out.contains(&id) {
                let _ = out.add_service(Service::new(id, Kind::Generic, ty));
            }
        }
        for k in [
            "Transform",
            "Globals",
            "Metadata",
            "Rules",
            "Description",
            "AWSTemplateFormatVersion",
        ] {
            if src.sections.contains_key(k)
                && !matches!(k, "AWSTemplateFormatVersion" | "Transform" | "Description")
            {
                self.notes.line(format!(
                    "the template's {k} section has no Terraform equivalent{}",
                    if k == "Globals" {
                        " beyond the function settings merged into each function"
                    } else {
                        "; it is kept in the sketch only"
                    }
                ));
            }
        }
    }
}

/// `${Name}` placeholders of a definition, replaced by their substitutions.
pub(crate) fn substitute(v: Value, subs: &Map) -> Value {
    if subs.is_empty() {
        return v;
    }
    match v {
        Value::String(s) => {
            let mut out = s.clone();
            for (k, val) in subs {
                // A literal `${Name}` arrives escaped as `$${Name}`.
                let pat = format!("$${{{k}}}");
                if out.contains(&pat) {
                    let rep = match val.as_str().and_then(single_interpolation) {
                        Some(e) => format!("${{{e}}}"),
                        None => match val {
                            Value::String(x) => x.clone(),
                            other => format!("${{{}}}", operand(other)),
                        },
                    };
                    out = out.replace(&pat, &rep);
                }
            }
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|x| substitute(x, subs)).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, substitute(x, subs)))
                .collect(),
        ),
        other => other,
    }
}

fn merge_globals(props: &mut Map, globals: &Map) {
    for (k, g) in globals {
        match (props.get_mut(k), g) {
            (None, _) => {
                props.insert(k.clone(), g.clone());
            }
            (Some(Value::Object(mine)), Value::Object(theirs)) => {
                for (kk, gv) in theirs {
                    match (mine.get_mut(kk), gv) {
                        (None, _) => {
                            mine.insert(kk.clone(), gv.clone());
                        }
                        (Some(Value::Object(m2)), Value::Object(t2)) => {
                            for (k3, v3) in t2 {
                                m2.entry(k3.clone()).or_insert_with(|| v3.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}
