//! The sketch: typed services and typed connections on a `StableGraph`, keyed by
//! stable logical ids, with groups, notes, usage assumptions and whatever the
//! source format had that the picture does not show. Edits are undoable
//! operations ([`Edit`]); levels of detail are projections ([`View`]).

mod edit;
mod inert;
mod repo_view;
mod view;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

/// Connection kinds are vocabulary: the catalog owns them.
pub use crate::catalog::ConnectionKind;
use crate::catalog::Kind;

pub use edit::{Edit, EditError, History};
pub use inert::{inert, inert_line, is_unsafe};
pub use repo_view::{arrow_kind as join_arrow_kind, join_label, stack_summary};
pub use view::{Level, View, ViewEdge, ViewGroup, ViewNode};

/// A neutral property tree. SAM intrinsics use their long JSON form
/// (`{"Ref": "X"}`), Terraform expressions are kept as their source text.
pub type Value = serde_json::Value;
pub type Map = serde_json::Map<String, Value>;

/// A cell position on the canvas, placed by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    pub x: i32,
    pub y: i32,
}

/// One service (a resource, at the resource level).
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Logical id (SAM) or address (Terraform); stable across edits.
    pub id: String,
    pub kind: Kind,
    /// The source resource type, e.g. `AWS::Serverless::Function` or `aws_lambda_function`.
    pub type_name: String,
    /// A display name when it differs from the id.
    pub label: Option<String>,
    pub group: Option<String>,
    /// The resource's properties (SAM `Properties`, Terraform block body).
    pub properties: Map,
    /// Other resource-level keys: `Condition`, `DependsOn`, `count`, `for_each`, ...
    pub attributes: Map,
    /// Where the user placed the box, if they did.
    pub position: Option<Position>,
    /// `count` / `for_each` marker, e.g. `×3` or `for_each`.
    pub multiplicity: Option<String>,
    /// For glue and network resources: the service they fold into at the service level.
    pub owner: Option<String>,
    /// Usage assumptions (Infracost keys, dotted for nesting).
    pub usage: BTreeMap<String, Value>,
    /// Made by the source format from other resources (SAM's implicit
    /// `ServerlessRestApi`, a function's schedule event); not written back as
    /// a resource of its own.
    pub implicit: bool,
}

impl Service {
    pub fn new(id: impl Into<String>, kind: Kind, type_name: impl Into<String>) -> Service {
        Service {
            id: id.into(),
            kind,
            type_name: type_name.into(),
            label: None,
            group: None,
            properties: Map::new(),
            attributes: Map::new(),
            position: None,
            multiplicity: None,
            owner: None,
            usage: BTreeMap::new(),
            implicit: false,
        }
    }
    /// What the box shows as its name.
    /// A Terraform address shows its resource name (`worker`): the box already
    /// shows the kind, and a module's members sit in its frame.
    pub fn display_name(&self) -> &str {
        self.label
            .as_deref()
            .unwrap_or_else(|| short_name(&self.id))
    }
    /// The name without a Terraform type or module path: `worker` for
    /// `module.x.aws_lambda_function.worker`, the id itself for SAM.
    pub fn short_name(&self) -> &str {
        short_name(&self.id)
    }
    /// Whether this is a Terraform data source (`data.TYPE.NAME`, possibly
    /// inside modules): something read, not managed.
    pub fn is_data_source(&self) -> bool {
        let mut rest = strip_stack(&self.id);
        while let Some(after) = rest.strip_prefix("module.") {
            match after.find('.') {
                Some(i) => rest = &after[i + 1..],
                None => return false,
            }
        }
        rest.starts_with("data.") && rest.matches('.').count() >= 2
    }
}

/// The name part of an id: the last segment of a Terraform address, or the id.
pub fn short_name(id: &str) -> &str {
    let id = strip_stack(id);
    if id.contains('.') {
        let trimmed = id.split('[').next().unwrap_or(id);
        trimmed.rsplit('.').next().unwrap_or(id)
    } else {
        id
    }
}

/// The separator between a stack's id and a service's own id in a
/// repository read as one sketch: `backend/auth:UserPool`.
pub const STACK_SEPARATOR: char = ':';

/// An id without the stack it belongs to (`UserPool` for
/// `backend/auth:UserPool`); the id itself outside a repository. A colon
/// inside a Terraform key (`aws_x.y["a:b"]`) is not a separator.
pub fn strip_stack(id: &str) -> &str {
    match id.find([STACK_SEPARATOR, '[', '"']) {
        Some(i) if id[i..].starts_with(STACK_SEPARATOR) => &id[i + 1..],
        _ => id,
    }
}

/// The stack an id belongs to, in a repository read as one sketch.
pub fn stack_of(id: &str) -> Option<&str> {
    match id.find([STACK_SEPARATOR, '[', '"']) {
        Some(i) if id[i..].starts_with(STACK_SEPARATOR) => Some(&id[..i]),
        _ => None,
    }
}

/// One stack of a repository read as one sketch: a template or a Terraform
/// root, whose services carry ids prefixed with the stack's id.
#[derive(Clone, Debug, PartialEq)]
pub struct StackInfo {
    /// The path relative to the repository, without extension; `.` for the
    /// repository's own folder.
    pub id: String,
    /// The language the stack is written in.
    pub dialect: Dialect,
    /// The file (or, for Terraform, the folder) relative to the repository.
    pub file: String,
    /// The stack that includes this one, for nested stacks.
    pub parent: Option<String>,
    /// Its monthly cost, when it was priced.
    pub monthly: Option<f64>,
}

/// What joins two stacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JoinKind {
    /// An output exported and imported with `Fn::ImportValue`.
    Export,
    /// An SSM parameter written by one stack and read by another.
    Ssm,
    /// A shared EventBridge bus: a publisher in one stack, a rule in another.
    Bus,
    /// A `terraform_remote_state` output.
    RemoteState,
    /// A stack that includes another (nested stacks).
    Nested,
    /// A value passed through the deploy configuration (a parameter override).
    Parameter,
}

impl JoinKind {
    pub fn word(self) -> &'static str {
        match self {
            JoinKind::Export => "export",
            JoinKind::Ssm => "ssm",
            JoinKind::Bus => "bus",
            JoinKind::RemoteState => "remote-state",
            JoinKind::Nested => "nested",
            JoinKind::Parameter => "parameter",
        }
    }
}

/// A join between two stacks. `from` produces what `to` consumes; an end
/// that no stack of the repository provides is `None` (an external box).
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: JoinKind,
    /// The export, parameter or bus name that joins them.
    pub via: String,
    /// Matched by a guess (the words of a parameter's name), not by name.
    pub inferred: bool,
    /// Matched with `${...}` placeholders taken as wildcards.
    pub wildcard: bool,
    /// Where the consumer (or, for an unresolved producer, the producer)
    /// says it: `FILE:LINE`.
    pub at: String,
    /// The arrows between services this join draws: (from id, to id, kind).
    pub arrows: Vec<(String, String, ConnectionKind)>,
    /// The resources that carry the join (an SSM parameter written, a data
    /// source reading it): connected through it, though no arrow shows it.
    pub through: Vec<String>,
}

/// Where an imported connection comes from: a place in a resource (a JSON
/// pointer such as `/Properties/Events/Upload`), or the whole resource when the
/// pointer is empty (a Lambda permission, a subscription). Removing the
/// connection removes its origins, except `fixed` ones: places that also say
/// other things (a state machine definition, a statement granting more), which
/// only their author can edit safely.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    pub resource: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
}

/// The label of a function's write (or publish) to the queue (or topic)
/// that keeps the asynchronous events it failed to handle: its dead-letter
/// queue or on-failure destination, not a call its code makes.
pub const ON_FAILURE: &str = "on failure";

/// A typed arrow between two services.
#[derive(Clone, Debug)]
pub struct Connection {
    pub kind: ConnectionKind,
    /// Where the source format expressed it; empty for connections drawn by the user.
    pub origins: Vec<Origin>,
    /// How much of the source's usage flows along the arrow.
    pub multiplier: f64,
    /// A short label (an event name, a route), if any.
    pub label: Option<String>,
    /// Why the last export could not write this drawn connection (its
    /// function's role is not in the file, say): it is in the sketch, not
    /// in the code yet. Not part of what the connection is.
    pub not_written: Option<String>,
    /// Made by the code, not declared by the template: a call the
    /// function's handler makes that no event, policy or variable says.
    pub inferred: bool,
    /// Where the code makes the call (`src/app.py:14`), for an inferred
    /// connection.
    pub evidence: Option<String>,
}

impl PartialEq for Connection {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.origins == other.origins
            && self.multiplier == other.multiplier
            && self.label == other.label
            && self.inferred == other.inferred
            && self.evidence == other.evidence
    }
}

impl Connection {
    pub fn new(kind: ConnectionKind) -> Connection {
        Connection {
            kind,
            origins: Vec::new(),
            multiplier: 1.0,
            label: None,
            not_written: None,
            inferred: false,
            evidence: None,
        }
    }
    /// A connection the code makes and the template does not declare;
    /// `evidence` says where (`src/app.py:14`).
    pub fn inferred(kind: ConnectionKind, evidence: &str) -> Connection {
        Connection {
            inferred: true,
            evidence: Some(evidence.to_string()),
            ..Connection::new(kind)
        }
    }
    pub fn labelled(mut self, label: &str) -> Connection {
        self.label = Some(label.to_string());
        self
    }
    /// Whether it is a function's dead-letter queue or on-failure destination.
    pub fn on_failure(&self) -> bool {
        self.label.as_deref() == Some(ON_FAILURE)
    }
    pub fn with_origin(mut self, resource: &str, pointer: &str) -> Connection {
        self.origins.push(Origin {
            resource: resource.to_string(),
            pointer: pointer.to_string(),
            fixed: false,
        });
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// A stack, nested application or template.
    Stack,
    /// A Terraform module.
    Module,
    /// A network or trust boundary (VPC, account).
    Boundary,
    /// A grouping the user made.
    Group,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub kind: GroupKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collapsed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    /// The service the note is pinned to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// The language a sketch is written in. Every room that must tell SAM from
/// Terraform asks this type; none names a language by a string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// AWS SAM / CloudFormation.
    #[default]
    Sam,
    Terraform,
}

impl Dialect {
    /// The word used in files, flags and commands (`sam`, `terraform`).
    pub fn word(self) -> &'static str {
        match self {
            Dialect::Sam => "sam",
            Dialect::Terraform => "terraform",
        }
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Sam => "SAM",
            Dialect::Terraform => "Terraform",
        }
    }

    pub fn other(self) -> Dialect {
        match self {
            Dialect::Sam => Dialect::Terraform,
            Dialect::Terraform => Dialect::Sam,
        }
    }

    /// A word a user may type for a language.
    pub fn parse(word: &str) -> Option<Dialect> {
        match word.to_ascii_lowercase().as_str() {
            "sam" | "cloudformation" | "cfn" => Some(Dialect::Sam),
            "terraform" | "tf" | "hcl" => Some(Dialect::Terraform),
            _ => None,
        }
    }

    /// The language a resource type is spelled in: CloudFormation types are
    /// `AWS::Service::Thing`, Terraform's are `aws_thing`. Catalog words
    /// (`queue`) belong to neither.
    pub fn of_type(type_name: &str) -> Option<Dialect> {
        if type_name.contains("::") {
            Some(Dialect::Sam)
        } else if type_name.contains('_') {
            Some(Dialect::Terraform)
        } else {
            None
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// The text a sketch was read from, kept so that writing back changes only
/// what was edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The language of the text (`format` in sketch files).
    #[serde(rename = "format")]
    pub dialect: Dialect,
    /// Relative path to original text. A single template has one entry.
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("there is already a service `{0}`")]
    Duplicate(String),
    #[error("there is no service `{0}`")]
    Missing(String),
    #[error("a service cannot connect to itself (`{0}`)")]
    SelfLoop(String),
    #[error("`{0}` is not a valid id: use letters, digits, `_`, `-` or `.`")]
    BadId(String),
}

/// The whole sketch.
#[derive(Clone, Debug, Default)]
pub struct Sketch {
    graph: StableDiGraph<Service, Connection>,
    /// Ids in their source order; new services go last.
    ids: IndexMap<String, NodeIndex>,
    pub groups: BTreeMap<String, Group>,
    pub notes: Vec<Note>,
    /// Template-level sections that are not services (Parameters, Outputs,
    /// Globals, variables, ...), in the source format's own keys.
    pub sections: Map,
    pub source: Option<Source>,
    /// A name for the sketch (the file stem), if any.
    pub name: Option<String>,
    /// For a repository read as one sketch: its stacks, in order.
    pub stacks: Vec<StackInfo>,
    /// For a repository read as one sketch: the joins between its stacks.
    pub joins: Vec<Join>,
}

impl PartialEq for Sketch {
    fn eq(&self, other: &Self) -> bool {
        let svc = |s: &Sketch| s.services().cloned().collect::<Vec<_>>();
        let con = |s: &Sketch| {
            let mut v: Vec<_> = s
                .connections()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.clone()))
                .collect();
            v.sort_by(|x, y| (&x.0, &x.1, x.2.kind).cmp(&(&y.0, &y.1, y.2.kind)));
            v
        };
        svc(self) == svc(other)
            && con(self) == con(other)
            && self.groups == other.groups
            && self.notes == other.notes
            && self.sections == other.sections
            && self.source == other.source
            && self.name == other.name
    }
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '"' | ':' | '/')
        })
}

impl Sketch {
    /// The groups marked to be drawn as one box each.
    pub fn collapsed_groups(&self) -> std::collections::BTreeSet<String> {
        self.groups
            .values()
            .filter(|g| g.collapsed)
            .map(|g| g.id.clone())
            .collect()
    }

    /// The language the sketch is written in: its source's when it was read
    /// from one, else the one its resource types are spelled in (CloudFormation
    /// first), else none (an empty sketch, or catalog words only).
    /// Whether a service was drawn in this sketch rather than read from its
    /// file: it says nothing yet, and the file does not name it. The
    /// exporters give such a service the defaults of a new one.
    pub fn drawn_here(&self, s: &Service) -> bool {
        if !s.properties.is_empty() || !s.attributes.is_empty() || s.implicit {
            return false;
        }
        let Some(src) = &self.source else {
            return true;
        };
        let needle = match src.dialect {
            Dialect::Sam => s.id.clone(),
            Dialect::Terraform => format!("\"{}\" \"{}\"", s.type_name, s.short_name()),
        };
        !src.files.values().any(|t| t.contains(&needle))
    }

    pub fn dialect(&self) -> Option<Dialect> {
        if let Some(s) = &self.source {
            return Some(s.dialect);
        }
        let mut found = None;
        for s in self.services() {
            match Dialect::of_type(&s.type_name) {
                Some(Dialect::Sam) => return Some(Dialect::Sam),
                Some(d) => found = Some(d),
                None => {}
            }
        }
        found
    }

    pub fn new() -> Sketch {
        Sketch::default()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.ids.get(id).map(|&n| &self.graph[n])
    }

    pub fn service_mut(&mut self, id: &str) -> Option<&mut Service> {
        match self.ids.get(id) {
            Some(&n) => Some(&mut self.graph[n]),
            None => None,
        }
    }

    /// Services in source order.
    pub fn services(&self) -> impl Iterator<Item = &Service> + '_ {
        self.ids.values().map(move |&n| &self.graph[n])
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.ids.keys().map(String::as_str)
    }

    /// The place of `id` in source order.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.get_index_of(id)
    }

    pub fn add_service(&mut self, service: Service) -> Result<(), ModelError> {
        let at = self.ids.len();
        self.insert_service(at, service)
    }

    /// Adds a service at a place in source order.
    pub fn insert_service(&mut self, at: usize, service: Service) -> Result<(), ModelError> {
        if !valid_id(&service.id) {
            return Err(ModelError::BadId(service.id));
        }
        if self.ids.contains_key(&service.id) {
            return Err(ModelError::Duplicate(service.id));
        }
        let id = service.id.clone();
        let n = self.graph.add_node(service);
        let at = at.min(self.ids.len());
        self.ids.shift_insert(at, id, n);
        Ok(())
    }

    /// Removes a service and every connection touching it; returns them, with
    /// the service's place in source order.
    #[allow(clippy::type_complexity)]
    pub fn remove_service(
        &mut self,
        id: &str,
    ) -> Result<(usize, Service, Vec<(String, String, Connection)>), ModelError> {
        let at = self
            .ids
            .get_index_of(id)
            .ok_or_else(|| ModelError::Missing(id.to_string()))?;
        let n = self.ids[at];
        let conns: Vec<_> = self
            .connections()
            .filter(|(a, b, _)| *a == id || *b == id)
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.clone()))
            .collect();
        self.ids.shift_remove_index(at);
        let svc = self.graph.remove_node(n).expect("id map and graph agree");
        Ok((at, svc, conns))
    }

    /// Renames a service, keeping its place, connections, and what points at it
    /// from the model (owners, origins). References inside properties are the
    /// formats' business.
    pub fn rename(&mut self, old: &str, new: &str) -> Result<(), ModelError> {
        if !valid_id(new) {
            return Err(ModelError::BadId(new.to_string()));
        }
        if self.ids.contains_key(new) {
            return Err(ModelError::Duplicate(new.to_string()));
        }
        let at = self
            .ids
            .get_index_of(old)
            .ok_or_else(|| ModelError::Missing(old.to_string()))?;
        let (_, n) = self.ids.shift_remove_index(at).expect("index exists");
        self.ids.shift_insert(at, new.to_string(), n);
        self.graph[n].id = new.to_string();
        for node in self.graph.node_weights_mut() {
            if node.owner.as_deref() == Some(old) {
                node.owner = Some(new.to_string());
            }
        }
        for edge in self.graph.edge_weights_mut() {
            for o in &mut edge.origins {
                if o.resource == old {
                    o.resource = new.to_string();
                }
            }
        }
        for note in &mut self.notes {
            if note.on.as_deref() == Some(old) {
                note.on = Some(new.to_string());
            }
        }
        Ok(())
    }

    fn node(&self, id: &str) -> Result<NodeIndex, ModelError> {
        self.ids
            .get(id)
            .copied()
            .ok_or_else(|| ModelError::Missing(id.to_string()))
    }

    /// The connection of `kind` from `a` to `b`. The arrows leaving `a` and
    /// those reaching `b` are walked side by side, so a hub with thousands
    /// of arrows (a shared API, a bus) costs no more than the other end.
    fn find_edge(&self, a: NodeIndex, b: NodeIndex, kind: ConnectionKind) -> Option<EdgeIndex> {
        let mut out = self.graph.edges_directed(a, Direction::Outgoing);
        let mut inc = self.graph.edges_directed(b, Direction::Incoming);
        loop {
            let e = out.next()?;
            if e.target() == b && e.weight().kind == kind {
                return Some(e.id());
            }
            let e = inc.next()?;
            if e.source() == a && e.weight().kind == kind {
                return Some(e.id());
            }
        }
    }

    /// Adds a connection. A second connection of the same kind between the
    /// same services merges into the first (their origins add up).
    pub fn connect(&mut self, from: &str, to: &str, conn: Connection) -> Result<(), ModelError> {
        if from == to {
            return Err(ModelError::SelfLoop(from.to_string()));
        }
        let a = self.node(from)?;
        let b = self.node(to)?;
        if let Some(e) = self.find_edge(a, b, conn.kind) {
            let w = &mut self.graph[e];
            for o in conn.origins {
                if !w.origins.contains(&o) {
                    w.origins.push(o);
                }
            }
            if w.label.is_none() {
                w.label = conn.label;
            }
        } else {
            self.graph.add_edge(a, b, conn);
        }
        Ok(())
    }

    /// Whether a connection of this kind (any kind for `None`) exists.
    pub fn is_connected(&self, from: &str, to: &str, kind: Option<ConnectionKind>) -> bool {
        self.connection(from, to, kind).is_some()
    }

    pub fn connection(
        &self,
        from: &str,
        to: &str,
        kind: Option<ConnectionKind>,
    ) -> Option<&Connection> {
        let (a, b) = (self.ids.get(from)?, self.ids.get(to)?);
        self.graph
            .edges_connecting(*a, *b)
            .map(|e| e.weight())
            .find(|w| kind.is_none_or(|k| w.kind == k))
    }

    /// Removes the connections from `from` to `to` (of one kind, or all), and
    /// returns them.
    pub fn disconnect(
        &mut self,
        from: &str,
        to: &str,
        kind: Option<ConnectionKind>,
    ) -> Result<Vec<Connection>, ModelError> {
        let a = self.node(from)?;
        let b = self.node(to)?;
        let edges: Vec<EdgeIndex> = self
            .graph
            .edges_connecting(a, b)
            .filter(|e| kind.is_none_or(|k| e.weight().kind == k))
            .map(|e| e.id())
            .collect();
        Ok(edges
            .into_iter()
            .filter_map(|e| self.graph.remove_edge(e))
            .collect())
    }

    /// Every connection as (from id, to id, connection), in a stable order.
    pub fn connections(&self) -> impl Iterator<Item = (&str, &str, &Connection)> + '_ {
        self.ids.values().flat_map(move |&n| {
            let mut out: Vec<_> = self
                .graph
                .edges_directed(n, Direction::Outgoing)
                .map(|e| {
                    (
                        self.graph[e.source()].id.as_str(),
                        self.graph[e.target()].id.as_str(),
                        e.weight(),
                    )
                })
                .collect();
            // petgraph lists a node's edges newest first; keep insertion order.
            out.reverse();
            out
        })
    }

    /// Marks the connections an export could not write, (from, to, kind,
    /// why), and clears the mark on every other.
    pub fn mark_not_written(&mut self, list: &[(String, String, ConnectionKind, String)]) {
        let edges: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        for e in edges {
            let (a, b) = self.graph.edge_endpoints(e).expect("a live edge");
            let (from, to) = (self.graph[a].id.clone(), self.graph[b].id.clone());
            let w = &mut self.graph[e];
            w.not_written = list
                .iter()
                .find(|(f, t, k, _)| *f == from && *t == to && *k == w.kind)
                .map(|(_, _, _, why)| why.clone());
        }
    }

    pub fn connection_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Connections leaving `id`.
    pub fn outgoing<'a>(&'a self, id: &str) -> Vec<(&'a str, &'a Connection)> {
        self.edges_of(id, Direction::Outgoing)
    }
    /// Connections arriving at `id`.
    pub fn incoming<'a>(&'a self, id: &str) -> Vec<(&'a str, &'a Connection)> {
        self.edges_of(id, Direction::Incoming)
    }
    fn edges_of<'a>(&'a self, id: &str, dir: Direction) -> Vec<(&'a str, &'a Connection)> {
        let Some(&n) = self.ids.get(id) else {
            return Vec::new();
        };
        let mut v: Vec<_> = self
            .graph
            .edges_directed(n, dir)
            .map(|e| {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                (self.graph[other].id.as_str(), e.weight())
            })
            .collect();
        v.reverse();
        v
    }

    /// The graph itself, for algorithms (cycles, components, layout).
    pub fn graph(&self) -> &StableDiGraph<Service, Connection> {
        &self.graph
    }

    /// The node index of an id, for use with [`Sketch::graph`].
    pub fn node_index(&self, id: &str) -> Option<NodeIndex> {
        self.ids.get(id).copied()
    }

    /// Resolves a name as the command language does: an exact id, else a
    /// unique short name (`worker` for `aws_lambda_function.worker`), else a
    /// unique case-insensitive match of either, else one written another way
    /// (`JobsWorker` for `jobs_worker`); among several, the one box that is
    /// not glue or a data source.
    pub fn resolve<'a>(&'a self, name: &str) -> Result<&'a str, String> {
        if let Some((id, _)) = self.ids.get_key_value(name) {
            return Ok(id.as_str());
        }
        fn pick<'a>(name: &str, hits: Vec<&'a str>) -> Option<Result<&'a str, String>> {
            match hits.len() {
                0 => None,
                1 => Some(Ok(hits[0])),
                _ => Some(Err(format!(
                    "`{name}` is ambiguous: it could be {}",
                    hits.iter()
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        // Terraform names a function, its role and its policy alike: the one
        // box among them (not glue, not a data source) is what is meant.
        let prefer_main = |hits: Vec<&'a str>| -> Vec<&'a str> {
            if hits.len() < 2 {
                return hits;
            }
            let main: Vec<&str> = hits
                .iter()
                .copied()
                .filter(|id| {
                    self.service(id)
                        .is_some_and(|s| !s.kind.is_glue() && !s.is_data_source())
                })
                .collect();
            if main.len() == 1 { main } else { hits }
        };
        // Then the same name in another case, then written another way
        // (`NotifyFailures` for `notify_failures`).
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '_' | '-'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let lower = name.to_lowercase();
        let squashed = squash(name);
        let tiers: [&dyn Fn(&str) -> bool; 3] = [
            &|id| short_name(id) == name,
            &|id| id.to_lowercase() == lower || short_name(id).to_lowercase() == lower,
            &|id| squash(id) == squashed || squash(short_name(id)) == squashed,
        ];
        for matches in tiers {
            let hits: Vec<&str> = self
                .ids
                .keys()
                .map(String::as_str)
                .filter(|id| matches(id))
                .collect();
            if let Some(r) = pick(name, prefer_main(hits)) {
                return r;
            }
        }
        let mut near: Vec<&str> = self
            .ids
            .keys()
            .map(String::as_str)
            .filter(|id| id.to_lowercase().contains(&lower))
            .take(3)
            .collect();
        near.sort();
        if near.is_empty() {
            Err(format!("there is no service `{name}`"))
        } else {
            Err(format!(
                "there is no service `{name}`; did you mean {}?",
                near.iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))
        }
    }

    /// Services whose owner is `id` (the glue folded into it).
    pub fn owned_by<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services()
            .filter(move |s| s.owner.as_deref() == Some(id))
    }

    /// Counts of services by catalog word, for summaries.
    pub fn kind_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for s in self.services() {
            *m.entry(s.kind.word()).or_insert(0) += 1;
        }
        m
    }

    /// A map from id to node index, for code that walks the graph.
    pub fn index_map(&self) -> HashMap<&str, NodeIndex> {
        self.ids.iter().map(|(k, v)| (k.as_str(), *v)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Sketch {
        let mut s = Sketch::new();
        s.add_service(Service::new("Queue", Kind::Queue, "AWS::SQS::Queue"))
            .unwrap();
        s.add_service(Service::new(
            "Worker",
            Kind::Function,
            "AWS::Serverless::Function",
        ))
        .unwrap();
        s.connect("Queue", "Worker", Connection::new(ConnectionKind::Trigger))
            .unwrap();
        s
    }

    #[test]
    fn duplicate_and_missing_ids_are_refused() {
        let mut s = small();
        assert_eq!(
            s.add_service(Service::new("Queue", Kind::Queue, "AWS::SQS::Queue")),
            Err(ModelError::Duplicate("Queue".into()))
        );
        assert!(
            s.connect("Queue", "Nope", Connection::new(ConnectionKind::Ref))
                .is_err()
        );
        assert!(
            s.connect("Queue", "Queue", Connection::new(ConnectionKind::Ref))
                .is_err()
        );
    }

    #[test]
    fn same_kind_connections_merge() {
        let mut s = small();
        s.connect(
            "Queue",
            "Worker",
            Connection::new(ConnectionKind::Trigger).with_origin("Worker", "/Events/A"),
        )
        .unwrap();
        assert_eq!(s.connection_count(), 1);
        assert_eq!(
            s.connection("Queue", "Worker", None).unwrap().origins.len(),
            1
        );
    }

    #[test]
    fn rename_keeps_order_and_connections() {
        let mut s = small();
        s.rename("Queue", "Jobs").unwrap();
        assert_eq!(s.ids().collect::<Vec<_>>(), ["Jobs", "Worker"]);
        assert!(s.is_connected("Jobs", "Worker", Some(ConnectionKind::Trigger)));
    }

    #[test]
    fn resolve_by_short_name() {
        let mut s = Sketch::new();
        s.add_service(Service::new(
            "aws_lambda_function.worker",
            Kind::Function,
            "aws_lambda_function",
        ))
        .unwrap();
        s.add_service(Service::new(
            "aws_sqs_queue.jobs",
            Kind::Queue,
            "aws_sqs_queue",
        ))
        .unwrap();
        s.add_service(Service::new(
            "aws_sqs_queue.worker",
            Kind::Queue,
            "aws_sqs_queue",
        ))
        .unwrap();
        assert_eq!(s.resolve("jobs"), Ok("aws_sqs_queue.jobs"));
        assert!(s.resolve("worker").unwrap_err().contains("ambiguous"));
        // A function and its role share a name: the function is meant.
        let mut t = Sketch::new();
        t.add_service(Service::new(
            "aws_lambda_function.api",
            Kind::Function,
            "aws_lambda_function",
        ))
        .unwrap();
        t.add_service(Service::new("aws_iam_role.api", Kind::Role, "aws_iam_role"))
            .unwrap();
        assert_eq!(t.resolve("api"), Ok("aws_lambda_function.api"));
        assert!(s.resolve("nothing").is_err());
    }

    #[test]
    fn remove_returns_connections() {
        let mut s = small();
        let (at, svc, conns) = s.remove_service("Queue").unwrap();
        assert_eq!((at, svc.id.as_str(), conns.len()), (0, "Queue", 1));
        assert_eq!(s.connection_count(), 0);
    }
}
