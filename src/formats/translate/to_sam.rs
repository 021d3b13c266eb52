//! Terraform to SAM/CloudFormation: addresses become logical ids,
//! expressions become intrinsics, glue folds into the connections the SAM
//! exporter writes, and each kind's arguments go through its property map.
//! An argument no rule names is reported and left out.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::json;

use super::rules::{self, Cx};
use super::{Notes, cfn_for_tf, maps, single_interpolation};
use crate::catalog::Kind;
use crate::formats::names::pascal_case;
use crate::formats::terraform::{self, JSONENCODE};
use crate::model::{Connection, ConnectionKind, Map, Origin, Service, Sketch, Value};

/// What a Terraform attribute of a resource means in CloudFormation.
fn cfn_reference(cfn_type: &str, logical: &str, attr: Option<&str>) -> Value {
    let getatt = |a: &str| json!({"Fn::GetAtt": [logical, a]});
    let r = json!({ "Ref": logical });
    let Some(attr) = attr else { return r };
    let sub = |s: String| json!({ "Fn::Sub": s });
    match (cfn_type, attr) {
        ("AWS::Serverless::Application" | "AWS::CloudFormation::Stack", output) => {
            getatt(&format!("Outputs.{}", pascal_case(output)))
        }
        ("AWS::Serverless::LayerVersion" | "AWS::Lambda::LayerVersion", "arn" | "id") => r,
        ("AWS::Serverless::Api" | "AWS::ApiGateway::RestApi", "execution_arn") => sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{logical}}}"
        )),
        ("AWS::Serverless::Api" | "AWS::ApiGateway::RestApi", "arn") => sub(format!(
            "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{logical}}}"
        )),
        ("AWS::Serverless::HttpApi" | "AWS::ApiGatewayV2::Api", "execution_arn") => sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{logical}}}"
        )),
        ("AWS::Serverless::HttpApi" | "AWS::ApiGatewayV2::Api", "arn") => sub(format!(
            "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/apis/${{{logical}}}"
        )),
        ("AWS::ECR::Repository", "repository_url") => getatt("RepositoryUri"),
        ("AWS::ECR::Repository", "name" | "id") => r,
        ("AWS::Serverless::Function" | "AWS::Lambda::Function", "function_name") => r,
        ("AWS::Serverless::Function" | "AWS::Lambda::Function", "invoke_arn") => {
            json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{logical}.Arn}}/invocations")})
        }
        ("AWS::SQS::Queue", "url" | "id") => r,
        ("AWS::SQS::Queue", "name") => getatt("QueueName"),
        ("AWS::SNS::Topic", "arn" | "id") => r,
        ("AWS::SNS::Topic", "name") => getatt("TopicName"),
        ("AWS::S3::Bucket", "bucket" | "id") => r,
        ("AWS::S3::Bucket", "bucket_regional_domain_name") => getatt("RegionalDomainName"),
        ("AWS::S3::Bucket", "bucket_domain_name") => getatt("DomainName"),
        ("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable", "name" | "id") => r,
        ("AWS::DynamoDB::Table", "stream_arn") => getatt("StreamArn"),
        ("AWS::Kinesis::Stream", "name" | "id") => r,
        ("AWS::Serverless::StateMachine", "arn" | "id") => r,
        ("AWS::Serverless::StateMachine", "name") => getatt("Name"),
        ("AWS::Events::EventBus", "name" | "id") => r,
        ("AWS::Logs::LogGroup", "name" | "id") => r,
        ("AWS::Serverless::Api", "id") => r,
        ("AWS::Serverless::Api", "root_resource_id") => getatt("RootResourceId"),
        ("AWS::Serverless::HttpApi", "id") => r,
        ("AWS::Serverless::HttpApi", "api_endpoint") => getatt("ApiEndpoint"),
        ("AWS::SecretsManager::Secret", "arn" | "id") => r,
        ("AWS::SSM::Parameter", "name" | "id") => r,
        ("AWS::KMS::Key", "key_id" | "id") => r,
        ("AWS::Cognito::UserPool", "id") => r,
        // What `Ref` gives, as the other direction writes it (a schedule's
        // or a rule's name).
        (c, a) if a == super::to_tf::ref_attr(c, "") => r,
        (_, "arn") => getatt("Arn"),
        (_, "id") => r,
        (_, a) => getatt(&pascal_case(a)),
    }
}

pub(crate) struct ToSam<'a> {
    pub(crate) src: &'a Sketch,
    pub(crate) ids: HashMap<String, String>,
    types: HashMap<String, String>,
    notes: Notes,
    params: BTreeMap<String, Value>,
    /// Each service's arguments that were translated.
    translated: HashMap<String, Vec<String>>,
    /// Resources CloudFormation needs of its own for what Terraform says
    /// inside another (a security group's rule allowing the group itself).
    extra: Vec<Service>,
}

/// Translates a Terraform sketch into CloudFormation's words. Glue folds
/// into connections that the SAM exporter writes as events and policies.
pub fn to_sam(src: &Sketch, warnings: &mut Vec<String>) -> Sketch {
    let mut t = ToSam {
        src,
        ids: HashMap::new(),
        types: HashMap::new(),
        notes: Notes::default(),
        extra: Vec::new(),
        params: BTreeMap::new(),
        translated: HashMap::new(),
    };
    let out = t.run();
    warnings.extend(t.notes.into_vec());
    out
}

/// The CloudFormation type a Terraform resource becomes, if it stays a resource.
fn cfn_type_of(s: &Service) -> Option<String> {
    if s.kind.is_glue() || terraform::is_data(&s.id) {
        return None;
    }
    if s.type_name == "module" {
        return Some("AWS::Serverless::Application".into());
    }
    if let Some(rest) = s.type_name.strip_prefix("awscc_") {
        // awscc_ec2_subnet_route_table_association → AWS::EC2::SubnetRouteTableAssociation
        let (svc, res) = rest.split_once('_').unwrap_or((rest, "resource"));
        return Some(format!("AWS::{}::{}", svc.to_uppercase(), pascal_case(res)));
    }
    match s.kind {
        Kind::Schedule if s.type_name == "aws_cloudwatch_event_rule" => {
            Some("AWS::Events::Rule".into())
        }
        Kind::Generic => cfn_for_tf(&s.type_name).map(str::to_string),
        // The kind's type that pairs with this one (an autoscaling group is
        // not an instance), else the kind's first.
        _ => {
            let types = s.kind.entry().cfn_types;
            types
                .iter()
                .find(|c| crate::catalog::tf_type_for(c) == Some(s.type_name.as_str()))
                .or(types.first())
                .map(|t| (*t).to_string())
        }
    }
}

/// The logical id and CloudFormation type each service of a Terraform
/// sketch is written under; glue and data sources have none.
fn sam_names(src: &Sketch) -> Vec<(&Service, String, String)> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in src.services() {
        let Some(ty) = cfn_type_of(s) else {
            continue;
        };
        let scope = terraform::scope_of(&s.id)
            .replace("module.", "")
            .replace('.', "_");
        let short = s.short_name().to_string();
        let mut id = pascal_case(&format!("{scope}{short}"));
        let base = id.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        taken.insert(id.clone());
        out.push((s, id, ty));
    }
    out
}

/// Each service's id to the logical id its translation to SAM has.
pub fn sam_ids(src: &Sketch) -> HashMap<String, String> {
    sam_names(src)
        .into_iter()
        .map(|(s, id, _)| (s.id.clone(), id))
        .collect()
}

impl ToSam<'_> {
    fn run(&mut self) -> Sketch {
        let src = self.src;
        for s in src.services() {
            if cfn_type_of(s).is_none()
                && s.kind.is_generic()
                && !terraform::is_data(&s.id)
                && s.owner.is_none()
            {
                self.notes.group(
                    "resources with no CloudFormation type are kept in the sketch only".into(),
                    s.id.clone(),
                );
            }
        }
        for (s, id, ty) in sam_names(src) {
            self.ids.insert(s.id.clone(), id);
            self.types.insert(s.id.clone(), ty);
        }
        let mut out = Sketch::new();
        out.name = src.name.clone();
        out.notes = src.notes.clone();
        for s in src.services() {
            let (Some(id), Some(ty)) =
                (self.ids.get(&s.id).cloned(), self.types.get(&s.id).cloned())
            else {
                continue;
            };
            // A module is a nested application, whatever it holds: the
            // exporter must not give it a function's defaults.
            let kind = if s.type_name == "module" {
                Kind::from_cfn_type(&ty)
            } else {
                s.kind
            };
            let mut svc = Service::new(id.clone(), kind, ty.clone());
            let (props, read) = self.properties(s, &ty, &id);
            svc.properties = props;
            self.translated.insert(s.id.clone(), read);
            svc.label = s.label.clone().filter(|_| s.type_name != "module");
            svc.position = s.position;
            svc.usage = s.usage.clone();
            svc.multiplicity = s.multiplicity.clone();
            if s.attributes.contains_key("count") || s.attributes.contains_key("for_each") {
                self.notes.group("count and for_each have no CloudFormation equivalent; one resource is written for".into(), s.id.clone());
            }
            let _ = out.add_service(svc);
        }
        for svc in std::mem::take(&mut self.extra) {
            if !out.contains(&svc.id) {
                let _ = out.add_service(svc);
            }
        }
        // Connections come from glue and references in Terraform; SAM writes
        // them its own way, so they go over without origins, except those a
        // translated property already carries.
        for (a, b, c) in src.connections() {
            let (Some(sa), Some(sb)) = (self.ids.get(a), self.ids.get(b)) else {
                continue;
            };
            let mut nc = Connection::new(c.kind);
            nc.label = c.label.clone();
            nc.multiplier = c.multiplier;
            let structural = |o: &Origin| {
                (o.resource == a || o.resource == b)
                    && !o.pointer.starts_with("/Properties/environment")
                    && !o.pointer.is_empty()
                    && self
                        .src
                        .service(&o.resource)
                        .is_some_and(|s| !s.kind.is_glue())
                    && self.carries(&o.resource, &o.pointer)
            };
            let iam = |o: &Origin| {
                self.src
                    .service(&o.resource)
                    .is_some_and(|s| matches!(s.kind, Kind::Role | Kind::Policy))
            };
            // A service that is no function or state machine (a pipe, a
            // delivery stream, a schedule) says what it connects in its own
            // properties; the role it does so with is glue SAM does not
            // write for it, so the arrow goes over with its properties. (A
            // function's or state machine's grants SAM writes itself.)
            let regenerated = |id: &str| {
                src.service(id)
                    .is_some_and(|s| matches!(s.kind, Kind::Function | Kind::StateMachine))
            };
            let by_own_role = c.origins.iter().any(structural)
                && c.origins
                    .iter()
                    .filter(|o| structural(o))
                    .all(|o| !regenerated(&o.resource))
                && c.origins.iter().all(|o| structural(o) || iam(o));
            // (A function's or state machine's role SAM writes itself.)
            let via_role =
                by_own_role && !regenerated(a) && !regenerated(b) && c.origins.iter().any(iam);
            let carried =
                c.kind == ConnectionKind::Ref || by_own_role || c.origins.iter().all(structural);
            if via_role {
                self.notes.group(
                    "the role granting what these connect with is a parameter: give a role that grants it, for".into(),
                    format!("{sa} -> {sb}"),
                );
            }
            if carried && !c.origins.is_empty() {
                nc.origins.push(Origin {
                    resource: sa.clone(),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            }
            let _ = out.connect(sa, sb, nc);
        }
        // Variables become parameters, outputs become outputs.
        let mut params = Map::new();
        let mut outputs = Map::new();
        for (k, v) in &src.sections {
            if !terraform::scope_of(k).is_empty() {
                continue;
            }
            if let Some(name) = k.strip_prefix("variable.") {
                let mut p = Map::new();
                let ty = v
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(single_interpolation)
                    .unwrap_or("string");
                p.insert(
                    "Type".into(),
                    json!(if ty.starts_with("number") {
                        "Number"
                    } else if ["list", "set", "tuple"].iter().any(|l| ty.starts_with(l)) {
                        "CommaDelimitedList"
                    } else {
                        "String"
                    }),
                );
                if let Some(d) = v.get("default").filter(|d| !d.is_null()) {
                    let dv = match d {
                        Value::Array(a) => json!(
                            a.iter()
                                .map(|x| match x {
                                    Value::String(s) => s.clone(),
                                    o => o.to_string(),
                                })
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                        Value::Bool(b) => json!(b.to_string()),
                        other => self.value(other),
                    };
                    p.insert("Default".into(), dv);
                }
                if let Some(d) = v.get("description") {
                    p.insert("Description".into(), d.clone());
                }
                params.insert(pascal_case(name), Value::Object(p));
            } else if let Some(name) = k.strip_prefix("output.") {
                let val = v.get("value").map(|x| self.value(x)).unwrap_or(Value::Null);
                let mut o = Map::new();
                if let Some(d) = v.get("description") {
                    o.insert("Description".into(), d.clone());
                }
                o.insert("Value".into(), val);
                outputs.insert(pascal_case(name), Value::Object(o));
            }
        }
        for (k, v) in std::mem::take(&mut self.params) {
            params.entry(k).or_insert(v);
        }
        if !params.is_empty() {
            out.sections
                .insert("Parameters".into(), Value::Object(params));
        }
        if !outputs.is_empty() {
            out.sections
                .insert("Outputs".into(), Value::Object(outputs));
        }
        out
    }

    /// Whether the argument an origin points into was translated, so the
    /// translated resource says the connection itself.
    fn carries(&self, id: &str, pointer: &str) -> bool {
        let Some(arg) = pointer.strip_prefix("/Properties/") else {
            return true;
        };
        let arg = arg.split('/').next().unwrap_or(arg);
        self.translated
            .get(id)
            .is_none_or(|read| read.iter().any(|r| r == arg))
    }

    /// A Terraform expression as a CloudFormation value.
    fn expression(&mut self, e: &str) -> Value {
        let e = e.trim();
        // An index chooses one of several (`count`, `for_each`); one
        // resource is written, so the index goes.
        let unindexed = strip_indexes(e);
        let e = unindexed.as_str();
        let parts: Vec<&str> = e.split('.').collect();
        let simple = e
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '*'));
        if simple && parts.len() >= 2 {
            let clean = |p: &str| p.split('[').next().unwrap_or(p).to_string();
            match parts[0] {
                "var" => {
                    let name = pascal_case(parts[1]);
                    self.params
                        .entry(name.clone())
                        .or_insert_with(|| json!({"Type": "String"}));
                    return json!({"Ref": name});
                }
                "local" => {
                    if let Some(v) = self
                        .src
                        .sections
                        .get(&format!("local.{}", parts[1]))
                        .cloned()
                    {
                        return self.value(&v);
                    }
                }
                "data" if parts.len() >= 4 => match (parts[1], parts[3]) {
                    ("aws_region", _) => return json!({"Ref": "AWS::Region"}),
                    ("aws_caller_identity", _) => return json!({"Ref": "AWS::AccountId"}),
                    ("aws_partition", "dns_suffix") => return json!({"Ref": "AWS::URLSuffix"}),
                    ("aws_partition", _) => return json!({"Ref": "AWS::Partition"}),
                    _ => {}
                },
                _ => {
                    let id = format!("{}.{}", parts[0], clean(parts[1]));
                    if let (Some(l), Some(t)) =
                        (self.ids.get(&id).cloned(), self.types.get(&id).cloned())
                    {
                        return cfn_reference(
                            &t,
                            &l,
                            parts.get(2).map(|a| a.split('[').next().unwrap_or(a)),
                        );
                    }
                }
            }
        }
        let name = pascal_case(&e.replace(['.', '[', ']', '*', '"', '(', ')', ' ', ','], "_"));
        let name: String = name.chars().take(60).collect();
        self.notes.group(
            "Terraform expressions with no CloudFormation form became parameters".into(),
            e.chars().take(60).collect(),
        );
        self.params
            .entry(name.clone())
            .or_insert_with(|| json!({"Type": "String"}));
        json!({"Ref": name})
    }

    /// A neutral Terraform value as a CloudFormation value.
    pub(crate) fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => {
                if let Some(e) = single_interpolation(s) {
                    return self.expression(e);
                }
                if !s.contains("${") {
                    return Value::String(s.replace("$${", "${").replace("%%{", "%{"));
                }
                // A template: Fn::Sub with a variable per interpolation.
                let mut text = String::new();
                let mut vars = Map::new();
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${") {
                    if i > 0 && rest[..i].ends_with('$') {
                        text.push_str(&rest[..i - 1]);
                        text.push_str("${!");
                        rest = &rest[i + 2..];
                        continue;
                    }
                    text.push_str(&rest[..i]);
                    let after = &rest[i..];
                    let close = after.find('}').unwrap_or(after.len() - 1);
                    let e = &after[2..close];
                    let val = self.expression(e);
                    let name = format!("V{}", vars.len() + 1);
                    match &val {
                        Value::Object(m) if m.contains_key("Ref") => {
                            let r = m["Ref"].as_str().unwrap_or("").to_string();
                            text.push_str(&format!("${{{r}}}"));
                        }
                        Value::Object(m) if m.contains_key("Fn::GetAtt") => {
                            let a = &m["Fn::GetAtt"];
                            text.push_str(&format!(
                                "${{{}.{}}}",
                                a[0].as_str().unwrap_or(""),
                                a[1].as_str().unwrap_or("")
                            ));
                        }
                        _ => {
                            text.push_str(&format!("${{{name}}}"));
                            vars.insert(name, val);
                        }
                    }
                    rest = &after[(close + 1).min(after.len())..];
                }
                text.push_str(rest);
                if vars.is_empty() {
                    json!({"Fn::Sub": text})
                } else {
                    json!({"Fn::Sub": [text, vars]})
                }
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) => {
                if let (1, Some(inner)) = (m.len(), m.get(JSONENCODE)) {
                    return self.value(inner);
                }
                Value::Object(m.iter().map(|(k, x)| (k.clone(), self.value(x))).collect())
            }
            other => other.clone(),
        }
    }

    /// An attribute of a translated resource, by its Terraform address.
    pub(crate) fn reference(&self, addr: &str, attr: &str) -> Option<Value> {
        let (l, ty) = (self.ids.get(addr)?, self.types.get(addr)?);
        Some(cfn_reference(ty, l, Some(attr)))
    }

    /// A resource of its own for part of a translated one.
    pub(crate) fn add_extra(&mut self, svc: Service) {
        self.extra.push(svc);
    }

    pub(crate) fn note(&mut self, what: String, item: String) {
        self.notes.group(what, item);
    }

    /// Reports an argument no rule translates.
    pub(crate) fn left_out(&mut self, cx: &Cx, arg: &str) {
        self.notes.group(
            format!(
                "{}: arguments with no CloudFormation counterpart were left out (kept in the sketch)",
                cx.addr
            ),
            arg.to_string(),
        );
    }

    /// A resource's arguments through its kind's property map, and the
    /// arguments that were translated.
    fn properties(&mut self, s: &Service, cfn: &str, logical: &str) -> (Map, Vec<String>) {
        let mut m = Map::new();
        let cx = Cx {
            s,
            cfn,
            tf: &s.type_name,
            addr: &s.id,
            name: logical,
        };
        let rules = maps::rules(cfn, &s.type_name, false);
        let left = rules::to_cfn(self, &cx, rules, &s.properties, &mut m);
        for k in &left {
            self.left_out(&cx, k);
        }
        let read = s
            .properties
            .keys()
            .filter(|k| !left.contains(k))
            .cloned()
            .collect();
        (m, read)
    }
}

/// An expression without its `[...]` indexes: `aws_subnet.a[count.index].id`
/// is `aws_subnet.a.id`. Only plain references are changed.
fn strip_indexes(e: &str) -> String {
    // A module's or variable's value indexed is one element of a collection.
    if ["module.", "var.", "local.", "data."]
        .iter()
        .any(|p| e.starts_with(p))
    {
        return e.to_string();
    }
    let mut out = String::new();
    let mut depth = 0;
    for c in e.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let plain = out
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if depth == 0 && plain && out.contains('.') {
        out
    } else {
        e.to_string()
    }
}

/// Resource addresses (`type.name`) named in an expression.
pub(crate) fn terraform_chains(e: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in e.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
    {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() >= 2 && parts[0].contains('_') && parts[0] != "path" {
            out.push(format!("{}.{}", parts[0], parts[1]));
        }
    }
    out
}
