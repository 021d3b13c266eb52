//! What a function's role grants, as the template says: the actions on each
//! resource its permission arrows came from (policy templates, statements,
//! connectors), actions granted on every resource (`Resource: "*"`, managed
//! policies), and whether that is all of it (a role outside the template,
//! or a managed policy not known here, leaves it open).

use crate::catalog::Kind;
use crate::formats::recipes::{self, template_actions};
use crate::formats::sam::policies;
use crate::model::{ConnectionKind, Service, Sketch, Value};

use super::template::Texts;

/// Actions granted on one resource, or on any (`target` `None`).
#[derive(Clone, Debug)]
pub struct Grant {
    pub target: Option<String>,
    pub actions: Vec<String>,
    /// Kinds of call granted without naming actions (a connector's `Read`).
    pub classes: Vec<ConnectionKind>,
    /// Where the template says it: `template.yaml:14`.
    pub at: String,
}

impl Grant {
    /// Whether this grant lets the function call `action` on `target`.
    pub fn covers(&self, target: &str, kind: Kind, action: &str) -> bool {
        if self.target.as_deref().is_some_and(|t| t != target) {
            return false;
        }
        self.actions
            .iter()
            .any(|g| recipes::action_covers(g, action))
            || self.classes.iter().any(|c| {
                let k = recipes::call_kind(kind, action);
                *c == k || (*c == ConnectionKind::Write && k != ConnectionKind::Read)
            })
    }
}

/// Everything a function is granted.
#[derive(Clone, Debug, Default)]
pub struct Grants {
    pub list: Vec<Grant>,
    /// Why the grants are not all known, if they are not.
    pub open: Option<String>,
}

/// Managed policies that grant nothing on the services calls are checked for.
const BASIC: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
    "AWSLambdaExecute",
];

/// Managed policies and what they grant everywhere.
const MANAGED: &[(&str, &[&str])] = &[
    ("AmazonDynamoDBFullAccess", &["dynamodb:*"]),
    (
        "AmazonDynamoDBReadOnlyAccess",
        &[
            "dynamodb:BatchGet*",
            "dynamodb:Describe*",
            "dynamodb:Get*",
            "dynamodb:List*",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:PartiQLSelect",
        ],
    ),
    ("AmazonS3FullAccess", &["s3:*"]),
    ("AmazonS3ReadOnlyAccess", &["s3:Get*", "s3:List*"]),
    ("AmazonSQSFullAccess", &["sqs:*"]),
    ("AmazonSNSFullAccess", &["sns:*"]),
    ("AmazonKinesisFullAccess", &["kinesis:*"]),
    ("AmazonEventBridgeFullAccess", &["events:*"]),
    ("AWSStepFunctionsFullAccess", &["states:*"]),
    ("AWSLambda_FullAccess", &["lambda:*"]),
    ("AWSLambdaRole", &["lambda:InvokeFunction"]),
    (
        "AWSLambdaSQSQueueExecutionRole",
        &[
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ],
    ),
    (
        "AWSLambdaDynamoDBExecutionRole",
        &[
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ],
    ),
    (
        "AWSLambdaKinesisExecutionRole",
        &[
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:ListStreams",
            "kinesis:SubscribeToShard",
        ],
    ),
    ("SecretsManagerReadWrite", &["secretsmanager:*"]),
    (
        "AmazonSSMReadOnlyAccess",
        &["ssm:Describe*", "ssm:Get*", "ssm:List*"],
    ),
];

/// What function `f` is granted.
pub fn of(sketch: &Sketch, f: &Service, texts: &Texts) -> Grants {
    let mut g = Grants::default();
    for (to, c) in sketch.outgoing(&f.id) {
        if !matches!(
            c.kind,
            ConnectionKind::Read
                | ConnectionKind::Write
                | ConnectionKind::Publish
                | ConnectionKind::Invoke
        ) || c.inferred
        {
            continue;
        }
        let kind = sketch.service(to).map_or(Kind::Generic, |s| s.kind);
        for o in &c.origins {
            let Some(v) = value_at(sketch, &o.resource, &o.pointer) else {
                continue;
            };
            let mut grant = Grant {
                target: Some(to.to_string()),
                actions: Vec::new(),
                classes: Vec::new(),
                at: texts.at_or_file(&o.resource, &o.pointer),
            };
            actions_in(v, kind, &mut grant);
            if !grant.actions.is_empty() || !grant.classes.is_empty() {
                g.list.push(grant);
            }
        }
    }
    everywhere(sketch, f, texts, &mut g);
    g
}

/// The value at a place in a resource (`/Properties/...`).
fn value_at<'a>(sketch: &'a Sketch, resource: &str, pointer: &str) -> Option<&'a Value> {
    let s = sketch.service(resource)?;
    let rest = pointer.strip_prefix("/Properties").unwrap_or(pointer);
    let props = s.properties.get(rest.split('/').nth(1)?)?;
    let tail: String = rest
        .splitn(3, '/')
        .nth(2)
        .map(|t| format!("/{t}"))
        .unwrap_or_default();
    props.pointer(&tail)
}

/// The actions a policy template, statement or connector grants on a
/// `kind` of service; conditions and resources are not looked into.
fn actions_in(v: &Value, kind: Kind, g: &mut Grant) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if let Some(list) = template_actions(k) {
                        g.actions.extend(list.iter().map(|a| a.to_string()));
                    } else if policies::template(k).is_some() {
                        // A template whose actions are not listed here grants all it may.
                        g.actions.push(format!("{}:*", kind_prefix(kind)));
                    } else if matches!(k.as_str(), "Action" | "actions") {
                        g.actions
                            .extend(strings(x).into_iter().filter(|a| recipes::acts_on(kind, a)));
                    } else if k == "Permissions" {
                        for p in strings(x) {
                            g.classes.push(if p == "Read" {
                                ConnectionKind::Read
                            } else {
                                ConnectionKind::Write
                            });
                        }
                    } else if !matches!(
                        k.as_str(),
                        "Resource" | "resources" | "Condition" | "condition"
                    ) {
                        stack.push(x);
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
}

fn kind_prefix(kind: Kind) -> &'static str {
    recipes::SDK_SERVICES
        .iter()
        .find(|s| s.kind == kind)
        .map_or("*", |s| s.iam)
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Grants on every resource, and what leaves the grants open.
fn everywhere(sketch: &Sketch, f: &Service, texts: &Texts, g: &mut Grants) {
    let p = &f.properties;
    let at = texts.at_or_file(&f.id, "/Properties/Policies");
    match f.type_name.as_str() {
        "AWS::Serverless::Function" => {
            match p.get("Policies") {
                Some(Value::Array(items)) => {
                    items.iter().for_each(|i| sam_policy(sketch, i, &at, g))
                }
                Some(one) => sam_policy(sketch, one, &at, g),
                None => {}
            }
            if let Some(r) = p.get("Role") {
                cfn_role(sketch, r, texts, g);
            }
        }
        "AWS::Lambda::Function" => match p.get("Role") {
            Some(r) => cfn_role(sketch, r, texts, g),
            None => g.open = Some("it names no role".into()),
        },
        "aws_lambda_function" => tf_role(sketch, p.get("role"), texts, g),
        _ => tf_module(sketch, f, texts, g),
    }
}

/// One entry of SAM `Policies`.
fn sam_policy(sketch: &Sketch, item: &Value, at: &str, g: &mut Grants) {
    match item {
        Value::String(name) => managed(name, at, g),
        Value::Object(m) if m.contains_key("Statement") => wild_statements(sketch, item, at, g),
        Value::Object(m) if m.keys().all(|k| policies::template(k).is_some()) => {}
        _ => g.open = Some("a policy named by a reference".into()),
    }
}

/// A managed policy, by name or ARN.
fn managed(name: &str, at: &str, g: &mut Grants) {
    let name = name.rsplit('/').next().unwrap_or(name);
    if BASIC.contains(&name) {
        return;
    }
    match MANAGED.iter().find(|(n, _)| *n == name) {
        Some((_, actions)) => g.list.push(Grant {
            target: None,
            actions: actions.iter().map(|a| a.to_string()).collect(),
            classes: Vec::new(),
            at: at.to_string(),
        }),
        None => g.open = Some(format!("the managed policy {name}")),
    }
}

/// Statements in `v` that grant on every resource (`*`, `table/*`).
fn wild_statements(sketch: &Sketch, v: &Value, at: &str, g: &mut Grants) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                let actions = m.get("Action").or_else(|| m.get("actions"));
                let resources = m.get("Resource").or_else(|| m.get("resources"));
                let deny = m
                    .get("Effect")
                    .or_else(|| m.get("effect"))
                    .and_then(Value::as_str)
                    == Some("Deny");
                if let (Some(a), Some(r), false) = (actions, resources, deny) {
                    let list = match r {
                        Value::Array(x) => x.iter().collect(),
                        one => vec![one],
                    };
                    if list.iter().any(|r| wild(sketch, r)) {
                        g.list.push(Grant {
                            target: None,
                            actions: strings(a),
                            classes: Vec::new(),
                            at: at.to_string(),
                        });
                    }
                    continue;
                }
                if m.contains_key("NotAction") || m.contains_key("NotResource") {
                    g.open = Some("a statement with NotAction or NotResource".into());
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
}

/// Whether a statement's resource is every resource of a kind rather than
/// one the template names.
fn wild(sketch: &Sketch, r: &Value) -> bool {
    let text = match r {
        Value::String(s) => s.as_str(),
        Value::Object(m) => match m.get("Fn::Sub") {
            Some(Value::String(s)) => s.as_str(),
            _ => return false,
        },
        _ => return false,
    };
    let names_one = text.split("${").skip(1).any(|part| {
        let id = part.split(['}', '.']).next().unwrap_or("");
        sketch.contains(id) || id.starts_with("aws_") || id.starts_with("module.")
    });
    !names_one && (text == "*" || text.ends_with(":*") || text.ends_with("/*"))
}

/// A CloudFormation role: in the template, with its policies and managed
/// policies, or outside it (then the grants are open).
fn cfn_role(sketch: &Sketch, r: &Value, texts: &Texts, g: &mut Grants) {
    let mut id = None;
    crate::formats::refs::visit_targets(r, &mut |t, _| {
        if id.is_none()
            && sketch
                .service(t)
                .is_some_and(|s| s.type_name == "AWS::IAM::Role")
        {
            id = Some(t.to_string());
        }
    });
    let Some(id) = id else {
        g.open = Some("its role is outside the template".into());
        return;
    };
    let role = sketch.service(&id).expect("found above");
    let at = texts.at_or_file(&id, "/Properties/Policies");
    if let Some(p) = role.properties.get("Policies") {
        wild_statements(sketch, p, &at, g);
    }
    if let Some(Value::Array(arns)) = role.properties.get("ManagedPolicyArns") {
        for a in arns {
            match a {
                Value::String(s) => managed(s, &at, g),
                Value::Object(m) => match m.get("Fn::Sub").and_then(Value::as_str) {
                    Some(s) if s.contains(":policy/") => managed(s, &at, g),
                    _ => g.open = Some("a managed policy named by a reference".into()),
                },
                _ => {}
            }
        }
    }
    // Policies attached from outside the role (`AWS::IAM::Policy` `Roles`).
    for s in sketch
        .services()
        .filter(|s| s.type_name.starts_with("AWS::IAM::") && s.type_name.ends_with("Policy"))
    {
        let roles = s
            .properties
            .get("Roles")
            .map(Value::to_string)
            .unwrap_or_default();
        if roles.contains(&format!("\"{id}\"")) {
            let at = texts.at_or_file(&s.id, "");
            wild_statements(sketch, &Value::Object(s.properties.clone()), &at, g);
        }
    }
}

/// A Terraform role: policies attached to it in the folder, inline
/// policies, managed policies.
fn tf_role(sketch: &Sketch, role: Option<&Value>, texts: &Texts, g: &mut Grants) {
    let Some(addr) = role
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("${"))
        .and_then(|r| r.strip_suffix(".arn}"))
        .filter(|a| sketch.contains(a))
    else {
        g.open = Some("its role is outside the folder".into());
        return;
    };
    let at = texts.at_or_file(addr, "");
    if let Some(r) = sketch.service(addr) {
        if let Some(p) = r.properties.get("inline_policy") {
            wild_statements(sketch, &tf_policy(sketch, p), &at, g);
        }
        for a in strings(
            r.properties
                .get("managed_policy_arns")
                .unwrap_or(&Value::Null),
        ) {
            managed(&a, &at, g);
        }
    }
    let mention = format!("{addr}.");
    for s in sketch.services() {
        let p = &s.properties;
        let attached = p
            .get("role")
            .map(Value::to_string)
            .unwrap_or_default()
            .contains(&mention);
        if !attached {
            continue;
        }
        let at = texts.at_or_file(&s.id, "");
        match s.type_name.as_str() {
            "aws_iam_role_policy" => {
                if let Some(pol) = p.get("policy") {
                    wild_statements(sketch, &tf_policy(sketch, pol), &at, g);
                }
            }
            "aws_iam_role_policy_attachment" => {
                let arn = p.get("policy_arn").and_then(Value::as_str).unwrap_or("");
                match arn.strip_prefix("${").and_then(|a| a.strip_suffix(".arn}")) {
                    Some(policy) => match sketch
                        .service(policy)
                        .and_then(|x| x.properties.get("policy"))
                    {
                        Some(pol) => wild_statements(sketch, &tf_policy(sketch, pol), &at, g),
                        None => g.open = Some(format!("the policy {policy}")),
                    },
                    None => managed(arn, &at, g),
                }
            }
            _ => {}
        }
    }
}

/// A Terraform policy value, following `data.aws_iam_policy_document.x.json`.
fn tf_policy(sketch: &Sketch, v: &Value) -> Value {
    let doc = v
        .as_str()
        .and_then(|s| s.strip_prefix("${"))
        .and_then(|s| s.strip_suffix(".json}"))
        .and_then(|d| sketch.service(d));
    match doc {
        Some(d) => Value::Object(d.properties.clone()),
        None => v.clone(),
    }
}

/// The lambda registry module's own role: statements are connections
/// already; attached policies are managed ones or open.
fn tf_module(sketch: &Sketch, f: &Service, texts: &Texts, g: &mut Grants) {
    let p = &f.properties;
    let at = &texts.at_or_file(&f.id, "");
    if p.get("create_role").and_then(Value::as_bool) == Some(false) {
        return tf_role(sketch, p.get("lambda_role"), texts, g);
    }
    if let Some(st) = p.get("policy_statements") {
        wild_statements(sketch, st, at, g);
    }
    for key in ["policies", "policy"] {
        for a in strings(p.get(key).unwrap_or(&Value::Null)) {
            managed(&a, at, g);
        }
    }
    if p.contains_key("policy_json") || p.contains_key("policy_jsons") {
        g.open = Some("a policy given as JSON".into());
    }
}
