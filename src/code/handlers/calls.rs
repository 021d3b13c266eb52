//! Calls tied to resources: an environment variable the template sets from
//! a resource (the importers record which variable made which arrow), or a
//! name or ARN written in the code; each mapped to its IAM action and kind
//! of arrow through the recipe table.

use std::collections::BTreeMap;

use crate::formats::recipes::{self, SdkService};
use crate::formats::refs;
use crate::model::{ConnectionKind, Service, Sketch, Value};

use super::source::FoundCall;
use super::syntax::NameRef;

/// What a call works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A service of the sketch.
    Service(String),
    /// The SDK's default (the default event bus): nothing in the template.
    Default,
    /// What the reader could not tie to a resource, and why.
    Unknown(String),
}

/// A call, with its action, its kind of arrow and what it works on.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub at: String,
    pub service: &'static SdkService,
    pub action: String,
    pub kind: ConnectionKind,
    pub target: Target,
    /// The environment variable that names the resource, if one does.
    pub env: Option<String>,
}

/// A function's environment variables: the resource each names, from the
/// arrows the importer drew for them, and every value set.
#[derive(Debug, Default)]
pub struct Env {
    pub targets: BTreeMap<String, String>,
    pub values: BTreeMap<String, Value>,
}

/// The environment variables of `f` (its own and SAM's `Globals`).
pub fn env_of(sketch: &Sketch, f: &Service) -> Env {
    let mut env = Env::default();
    let globals = sketch
        .sections
        .get("Globals")
        .and_then(|g| g.pointer("/Function/Environment/Variables"));
    let own = f
        .properties
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .or_else(|| f.properties.get("environment").and_then(tf_variables))
        .or_else(|| f.properties.get("environment_variables"));
    for vars in [globals, own].into_iter().flatten() {
        if let Value::Object(m) = vars {
            env.values
                .extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    for (to, c) in sketch.outgoing(&f.id) {
        for o in c.origins.iter().filter(|o| o.resource == f.id) {
            if let Some(var) = variable_of(&o.pointer) {
                env.targets.entry(var).or_insert_with(|| to.to_string());
            }
        }
    }
    // SAM records a global variable's arrow without its name.
    if let Some(Value::Object(m)) = globals {
        for (k, v) in m {
            refs::visit_targets(v, &mut |t, _| {
                if sketch.contains(t) && t != f.id {
                    env.targets
                        .entry(k.clone())
                        .or_insert_with(|| t.to_string());
                }
            });
        }
    }
    env
}

/// Terraform's `environment { variables = {...} }`, kept as a list of blocks.
fn tf_variables(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(a) => a.first()?.get("variables"),
        other => other.get("variables"),
    }
}

/// The variable a pointer into a function's environment names.
fn variable_of(pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/');
    parts.find(|p| matches!(*p, "Variables" | "variables" | "environment_variables"))?;
    let var = parts.next()?;
    Some(var.replace("~1", "/").replace("~0", "~"))
}

/// A call of `f`, resolved; `None` for a method that calls nothing.
pub fn resolve(sketch: &Sketch, env: &Env, call: &FoundCall) -> Option<Resolved> {
    let raw = &call.call;
    let action = recipes::sdk_action(raw.service, &raw.operation)?;
    let (target, var) = match &raw.name {
        NameRef::Default => (Target::Default, None),
        NameRef::Literal(name) => (by_name(sketch, raw.service, name), None),
        NameRef::Unknown(text) => (
            Target::Unknown(format!("`{text}` is not a name or variable this follows")),
            None,
        ),
        NameRef::Env(var) => (by_env(sketch, env, raw.service, var), Some(var.clone())),
    };
    let kind_word = match &target {
        Target::Service(t) => sketch.service(t).map_or(raw.service.kind, |s| s.kind),
        _ => raw.service.kind,
    };
    Some(Resolved {
        at: call.at.clone(),
        service: raw.service,
        kind: recipes::call_kind(kind_word, &action),
        action,
        target,
        env: var,
    })
}

/// The resource an environment variable names.
fn by_env(sketch: &Sketch, env: &Env, s: &SdkService, var: &str) -> Target {
    if let Some(t) = env.targets.get(var) {
        return of_kind(sketch, s, t, &format!("{var} names"));
    }
    match env.values.get(var) {
        None => Target::Unknown(format!("{var} is not set by the template")),
        Some(Value::String(name)) => match by_name(sketch, s, name) {
            Target::Service(t) => Target::Service(t),
            _ => Target::Unknown(format!("{var} is `{name}`, which names no {} here", s.kind)),
        },
        // A reference the importer folded into another arrow (the queue
        // that triggers the function), or a parameter that also names the
        // resource (`BucketName: !Ref Name`).
        Some(v) => match referenced(sketch, v) {
            Some(t) => of_kind(sketch, s, &t, &format!("{var} names")),
            None => match sketch.services().find(|x| {
                x.kind == s.kind && NAME_KEYS.iter().any(|k| x.properties.get(*k) == Some(v))
            }) {
                Some(x) => Target::Service(x.id.clone()),
                None => Target::Unknown(format!("{var} is set from outside the template")),
            },
        },
    }
}

/// The first service of the sketch a value refers to (`!Ref Queue`).
fn referenced(sketch: &Sketch, v: &Value) -> Option<String> {
    let mut found = None;
    refs::visit_targets(v, &mut |t, _| {
        if found.is_none() && sketch.contains(t) {
            found = Some(t.to_string());
        }
    });
    found
}

/// `t`, when it is the kind of service the client works on.
fn of_kind(sketch: &Sketch, s: &SdkService, t: &str, what: &str) -> Target {
    match sketch.service(t) {
        Some(x) if x.kind == s.kind => Target::Service(t.to_string()),
        Some(x) => Target::Unknown(format!("{what} {t}, a {}", x.kind.word())),
        None => Target::Unknown(format!("{what} {t}, which is not here")),
    }
}

/// The service a name, ARN or URL written in the code names.
fn by_name(sketch: &Sketch, s: &SdkService, name: &str) -> Target {
    let last = name.rsplit(['/', ':']).next().unwrap_or(name);
    let found = sketch.services().find(|x| {
        x.kind == s.kind
            && (x.id == name
                || x.short_name() == last && !last.is_empty()
                || physical_names(x)
                    .into_iter()
                    .any(|n| n == name || n == last))
    });
    match found {
        Some(x) => Target::Service(x.id.clone()),
        None => Target::Unknown(format!("`{name}` names no {} here", s.kind)),
    }
}

/// The names a resource is given in its template (`TableName: orders`).
fn physical_names(s: &Service) -> Vec<&str> {
    NAME_KEYS
        .iter()
        .filter_map(|k| s.properties.get(*k).and_then(Value::as_str))
        .collect()
}

/// The properties that give a resource its name.
const NAME_KEYS: &[&str] = &[
    "TableName",
    "QueueName",
    "BucketName",
    "TopicName",
    "StreamName",
    "FunctionName",
    "StateMachineName",
    "Name",
    "DeliveryStreamName",
    "name",
    "bucket",
    "function_name",
];
