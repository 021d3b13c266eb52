//! The command language, shared by the TUI's `:` line, `apply -c` and
//! scripts. A command is planned against a sketch into one undoable [`Edit`];
//! a command that cannot apply says why and changes nothing.
//!
//! ```text
//! add KIND NAME            connect FROM TO [KIND]    disconnect FROM TO [KIND]
//! rename OLD NEW           delete NAME               move NAME X Y
//! set NAME KEY VALUE       group NAME GROUP|-        label NAME TEXT
//! usage NAME KEY VALUE     note TEXT
//! ```

use std::collections::{BTreeMap, HashSet};

use crate::catalog::Kind;
use crate::formats::names::{is_logical_id, pascal_case, snake_case};
use crate::formats::{refs, yaml};
use crate::model::{
    Connection, ConnectionKind, Dialect, Edit, EditError, Group, GroupKind, Map, Note, ON_FAILURE,
    Origin, Position, Service, Sketch, Value,
};

/// A planned command: the edit to apply and what to tell the user.
#[derive(Debug)]
pub struct Plan {
    pub edit: Edit,
    pub message: String,
}

/// The language new ids are written in: the sketch's, SAM when it has none.
fn dialect(sketch: &Sketch) -> Dialect {
    sketch.dialect().unwrap_or_default()
}

/// One line of help per command, for `--help` and the TUI.
pub const HELP: &[(&str, &str)] = &[
    (
        "add KIND NAME",
        "add a service (KIND is a catalog word such as queue, or a resource type)",
    ),
    (
        "connect FROM TO [KIND]",
        "draw an arrow; without KIND the natural one for the pair; `failure` makes TO where FROM's failed asynchronous events go",
    ),
    (
        "disconnect FROM TO [KIND]",
        "remove arrows, and what in the template made them",
    ),
    (
        "rename OLD NEW",
        "rename a service and every reference to it",
    ),
    (
        "delete NAME",
        "delete a service, its arrows and the glue that served only it",
    ),
    (
        "move NAME X Y",
        "place a box at a canvas cell (the layout keeps it there)",
    ),
    (
        "set NAME KEY VALUE",
        "set a property; KEY may be a dotted path, VALUE is YAML",
    ),
    (
        "group NAME GROUP",
        "put a service in a group (`-` takes it out)",
    ),
    (
        "label NAME TEXT",
        "show TEXT on the box instead of the id (`-` clears it)",
    ),
    (
        "usage NAME KEY VALUE",
        "set a usage assumption for the cost estimate (`-` clears it)",
    ),
    ("note TEXT", "add a note to the sketch"),
];

/// Why a command cannot be carried out; the sketch is left as it was.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// The line does not split into words.
    #[error("a quote is not closed")]
    OpenQuote,
    /// The first word is not a command.
    #[error("unknown command `{word}`{hint}; the commands are {known}")]
    UnknownCommand {
        word: String,
        /// `; did you mean ...?`, or nothing.
        hint: String,
        known: String,
    },
    /// The arguments do not fit the command (too few, not a number, not a path).
    #[error("{0}")]
    Usage(String),
    /// A name that is no service of the sketch (or more than one).
    #[error("{0}")]
    NoService(String),
    /// A word that is no kind of service.
    #[error(
        "`{word}` is not a kind of service{hint}; use one of {known} (or a resource type such as AWS::SES::ConfigurationSet)"
    )]
    UnknownKind {
        word: String,
        hint: String,
        known: String,
    },
    /// A word that is no kind of connection.
    #[error("`{word}` is not a connection kind; use one of {known}")]
    UnknownConnectionKind { word: String, known: String },
    /// A value that does not parse.
    #[error("{0}")]
    Value(String),
    /// What the command would make exists already.
    #[error("{0}")]
    Exists(String),
    /// There is no such connection to remove.
    #[error("there is no connection from `{from}` to `{to}`")]
    NoConnection { from: String, to: String },
    /// The sketch cannot take this edit, and why.
    #[error("{0}")]
    Refused(String),
    /// The planned edit failed to apply.
    #[error(transparent)]
    Edit(#[from] EditError),
    /// A line of a script failed.
    #[error("command {line} (`{text}`): {source}")]
    Script {
        line: usize,
        text: String,
        source: Box<CommandError>,
    },
}

/// A service named by the user, or why there is none.
fn resolve<'a>(sketch: &'a Sketch, name: &str) -> Result<&'a str, CommandError> {
    sketch.resolve(name).map_err(CommandError::NoService)
}

/// Splits a command line into words; quotes group, backslash escapes.
pub fn split(line: &str) -> Result<Vec<String>, CommandError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(CommandError::OpenQuote);
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn usage_of(cmd: &str) -> String {
    HELP.iter()
        .find(|(u, _)| u.split_whitespace().next() == Some(cmd))
        .map(|(u, _)| format!("usage: {u}"))
        .unwrap_or_default()
}

/// Plans one command. Blank lines and `#` comments plan nothing (`Ok(None)`).
pub fn plan(sketch: &Sketch, line: &str) -> Result<Option<Plan>, CommandError> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let words = split(trimmed)?;
    // A line of escapes only (`\`) has no words.
    let Some((cmd, args)) = words.split_first() else {
        return Ok(None);
    };
    let cmd = cmd.to_ascii_lowercase();
    let need = |n: usize| -> Result<(), CommandError> {
        if args.len() < n {
            Err(CommandError::Usage(format!(
                "`{cmd}` needs more arguments; {}",
                usage_of(&cmd)
            )))
        } else {
            Ok(())
        }
    };
    let plan = match cmd.as_str() {
        "add" if args.len() == 4 && args[2].eq_ignore_ascii_case("in") => {
            add_in_stack(sketch, &args[0], &args[1], &args[3])?
        }
        "add" => {
            need(2)?;
            if args.len() > 2 {
                return Err(CommandError::Usage(format!(
                    "`add` takes a kind and one name; {}",
                    usage_of("add")
                )));
            }
            add(sketch, &args[0], &args[1])?
        }
        "connect" | "link" => {
            need(2)?;
            connect(sketch, &args[0], &args[1], args.get(2).map(String::as_str))?
        }
        "disconnect" | "unlink" => {
            need(2)?;
            let from = resolve(sketch, &args[0])?.to_string();
            let to = resolve(sketch, &args[1])?.to_string();
            let kind = args.get(2).map(|k| parse_kind(k)).transpose()?;
            if !sketch.is_connected(&from, &to, kind) {
                return Err(CommandError::NoConnection { from, to });
            }
            let (edit, kept) =
                disconnect_edit(sketch, &[(from.clone(), to.clone(), kind)], &HashSet::new());
            Plan {
                edit,
                message: format!("disconnected {from} -> {to}{}", kept_note(&kept)),
            }
        }
        "rename" => {
            need(2)?;
            rename(sketch, &args[0], &args[1])?
        }
        "delete" | "remove" | "rm" => {
            need(1)?;
            let id = resolve(sketch, &args[0])?.to_string();
            delete(sketch, &id)?
        }
        "move" | "mv" => {
            need(3)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let num = |s: &str| {
                s.parse::<i32>().map_err(|_| {
                    CommandError::Usage(format!(
                        "`{s}` is not a whole number; {}",
                        usage_of("move")
                    ))
                })
            };
            let (x, y) = (num(&args[1])?, num(&args[2])?);
            if x < 0 || y < 0 {
                return Err(CommandError::Usage(
                    "positions start at 0, 0 (the top-left cell)".into(),
                ));
            }
            Plan {
                edit: Edit::Move {
                    id: id.clone(),
                    position: Some(Position { x, y }),
                },
                message: format!("moved {id} to {x},{y}"),
            }
        }
        "set" => {
            need(3)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let svc = sketch.service(&id).expect("resolved");
            if svc.implicit {
                return Err(CommandError::Refused(format!(
                    "`{id}` is made by SAM from the events that use it; set properties on those events instead"
                )));
            }
            let path: Vec<String> = args[1].split('.').map(str::to_string).collect();
            if path.iter().any(String::is_empty) {
                return Err(CommandError::Usage(format!(
                    "`{}` is not a property path; use keys joined by dots, like Environment.Variables.STAGE",
                    args[1]
                )));
            }
            let text = args[2..].join(" ");
            let value = yaml::parse_value(&text).map_err(CommandError::Value)?;
            Plan {
                edit: Edit::SetProperty {
                    id: id.clone(),
                    path,
                    value: Some(value),
                },
                message: format!("set {id} {} = {text}", args[1]),
            }
        }
        "unset" => {
            need(2)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let path: Vec<String> = args[1].split('.').map(str::to_string).collect();
            Plan {
                edit: Edit::SetProperty {
                    id: id.clone(),
                    path,
                    value: None,
                },
                message: format!("unset {id} {}", args[1]),
            }
        }
        "group" => {
            need(2)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let g = &args[1];
            if g == "-" || g.eq_ignore_ascii_case("none") {
                Plan {
                    edit: Edit::SetGroup {
                        id: id.clone(),
                        group: None,
                    },
                    message: format!("{id} is in no group"),
                }
            } else {
                let mut edits = Vec::new();
                if !sketch.groups.contains_key(g) {
                    edits.push(Edit::DefineGroup {
                        id: g.clone(),
                        group: Some(Group {
                            id: g.clone(),
                            kind: GroupKind::Group,
                            label: None,
                            parent: None,
                            collapsed: false,
                        }),
                    });
                }
                edits.push(Edit::SetGroup {
                    id: id.clone(),
                    group: Some(g.clone()),
                });
                Plan {
                    edit: Edit::Batch(edits),
                    message: format!("{id} is in group {g}"),
                }
            }
        }
        "label" => {
            need(2)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let text = args[1..].join(" ");
            let label = (text != "-").then_some(text.clone());
            Plan {
                edit: Edit::SetLabel {
                    id: id.clone(),
                    label,
                },
                message: format!("labelled {id}"),
            }
        }
        "usage" => {
            need(3)?;
            let id = resolve(sketch, &args[0])?.to_string();
            let value = if args[2] == "-" {
                None
            } else {
                let v = yaml::parse_scalar(&args[2]);
                if !v.is_number() && !v.is_string() {
                    return Err(CommandError::Usage(format!(
                        "usage values are numbers or words, not `{}`",
                        args[2]
                    )));
                }
                Some(v)
            };
            Plan {
                edit: Edit::SetUsage {
                    id: id.clone(),
                    key: args[1].clone(),
                    value,
                },
                message: format!("usage of {id}: {} = {}", args[1], args[2]),
            }
        }
        "note" => {
            need(1)?;
            let text = args.join(" ");
            Plan {
                edit: Edit::AddNote {
                    note: Note {
                        text,
                        on: None,
                        position: None,
                    },
                    at: None,
                },
                message: "added a note".into(),
            }
        }
        other => {
            let known: Vec<&str> = HELP
                .iter()
                .filter_map(|(u, _)| u.split_whitespace().next())
                .collect();
            return Err(CommandError::UnknownCommand {
                word: other.to_string(),
                hint: did_you_mean(other, known.iter().copied()),
                known: known.join(", "),
            });
        }
    };
    Ok(Some(plan))
}

/// `; did you mean `X`?` for the candidate closest to a mistyped word,
/// when one is close enough to be a likely typo; else nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|(score, c)| *score > 0.8 && !c.is_empty())
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Applies each line of a script in turn; stops at the first that fails,
/// naming its line.
pub fn run_script(sketch: &mut Sketch, lines: &[String]) -> Result<Vec<String>, CommandError> {
    let mut messages = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let at = |e: CommandError| CommandError::Script {
            line: i + 1,
            text: line.trim().to_string(),
            source: Box::new(e),
        };
        if let Some(p) = plan(sketch, line).map_err(at)? {
            p.edit.apply(sketch).map_err(|e| at(e.into()))?;
            messages.push(p.message);
        }
    }
    Ok(messages)
}

fn parse_kind(word: &str) -> Result<ConnectionKind, CommandError> {
    ConnectionKind::parse(word).ok_or_else(|| {
        let all: Vec<&str> = ConnectionKind::ALL.iter().map(|k| k.word()).collect();
        CommandError::UnknownConnectionKind {
            word: word.to_string(),
            known: all.join(", "),
        }
    })
}

/// A kind word, alias or resource type.
fn service_kind(sketch: &Sketch, word: &str) -> Result<(Kind, String), CommandError> {
    let d = dialect(sketch);
    match Dialect::of_type(word) {
        Some(Dialect::Sam) => return Ok((Kind::from_cfn_type(word), word.to_string())),
        Some(Dialect::Terraform) if word.to_ascii_lowercase() == word => {
            return Ok((Kind::from_tf_type(word), word.to_string()));
        }
        _ => {}
    }
    let kind = Kind::parse(word).ok_or_else(|| {
        let mut words: Vec<&str> = Kind::all()
            .filter(|k| !k.is_glue())
            .map(|k| k.word())
            .collect();
        words.sort();
        CommandError::UnknownKind {
            word: word.to_string(),
            hint: did_you_mean(word, words.iter().copied()),
            known: words.join(", "),
        }
    })?;
    let e = kind.entry();
    let ty = match d {
        Dialect::Sam => e.cfn_types.first().or(e.tf_types.first()),
        Dialect::Terraform => e.tf_types.first().or(e.cfn_types.first()),
    };
    match ty {
        Some(t) => Ok((kind, t.to_string())),
        None if kind.is_generic() => Err(CommandError::Usage(
            "`generic` needs a resource type: `add AWS::SES::ConfigurationSet NAME`".into(),
        )),
        None => Err(CommandError::Refused(format!(
            "`{word}` has no resource type in this language"
        ))),
    }
}

/// `add KIND NAME in STACK`: a new service in one stack of a repository,
/// named the way that stack's language names things.
fn add_in_stack(
    sketch: &Sketch,
    kind_word: &str,
    name: &str,
    stack: &str,
) -> Result<Plan, CommandError> {
    let Some(st) = sketch.stacks.iter().find(|s| s.id == stack) else {
        let known: Vec<String> = sketch
            .stacks
            .iter()
            .map(|s| format!("`{}`", s.id))
            .collect();
        return Err(CommandError::Usage(if known.is_empty() {
            "`in STACK` is for a folder of stacks; this sketch has none".to_string()
        } else {
            format!(
                "there is no stack `{stack}`; the stacks are {}",
                known.join(", ")
            )
        }));
    };
    let mut own = Sketch::new();
    own.source = Some(crate::model::Source {
        dialect: st.dialect,
        files: Default::default(),
    });
    let mut plan = add(&own, kind_word, name)?;
    if let Edit::AddService { service, .. } = &mut plan.edit {
        service.id = format!("{stack}{}{}", crate::model::STACK_SEPARATOR, service.id);
        service.group = Some(stack.to_string());
        if sketch.contains(&service.id) {
            return Err(CommandError::Exists(format!(
                "there is already a service `{}`",
                service.id
            )));
        }
        plan.message = format!("added {} {}", service.kind, service.id);
    }
    Ok(plan)
}

fn add(sketch: &Sketch, kind_word: &str, name: &str) -> Result<Plan, CommandError> {
    let (kind, type_name) = service_kind(sketch, kind_word)?;
    let id = match dialect(sketch) {
        Dialect::Sam => {
            if !is_logical_id(name) {
                return Err(CommandError::Usage(format!(
                    "`{name}` is not a valid logical id (letters and digits only); try `{}`",
                    pascal_case(name)
                )));
            }
            name.to_string()
        }
        Dialect::Terraform => {
            let n = if name.contains('.') {
                name.to_string()
            } else {
                format!("{type_name}.{}", snake_case(name))
            };
            if !n.split('.').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            }) {
                return Err(CommandError::Usage(format!(
                    "`{name}` is not a valid Terraform name; try `{}`",
                    snake_case(name)
                )));
            }
            n
        }
    };
    if sketch.contains(&id) {
        return Err(CommandError::Exists(format!(
            "there is already a service `{id}`"
        )));
    }
    let svc = Service::new(id.clone(), kind, type_name);
    let mut edits = vec![Edit::AddService {
        service: Box::new(svc),
        at: None,
    }];
    let mut message = format!("added {kind} {id}");
    if kind == Kind::Function {
        // A new function keeps its logs for two weeks, not forever.
        if let Some(log) = companion(sketch, &id, Kind::LogGroup, "Logs", "_logs") {
            message.push_str(&format!(" and its log group {}", log.id));
            edits.extend(with_companion(&id, log, ConnectionKind::Log));
        }
    }
    Ok(Plan {
        edit: match edits.len() {
            1 => edits.pop().expect("one edit"),
            _ => Edit::Batch(edits),
        },
        message,
    })
}

/// A service a new one comes with, as `sam init` and the terraform-aws-modules
/// give it, named after its owner: `WorkerLogs`, `JobsDeadLetters` (in
/// Terraform `aws_cloudwatch_log_group.worker_logs`,
/// `aws_sqs_queue.jobs_dead_letters`). `None` when the name is taken.
fn companion(
    sketch: &Sketch,
    owner: &str,
    kind: Kind,
    sam_suffix: &str,
    tf_suffix: &str,
) -> Option<Service> {
    let (id, type_name) = companion_id(sketch, owner, kind, sam_suffix, tf_suffix)?;
    (!sketch.contains(&id)).then(|| Service::new(id, kind, type_name))
}

fn companion_id(
    sketch: &Sketch,
    owner: &str,
    kind: Kind,
    sam_suffix: &str,
    tf_suffix: &str,
) -> Option<(String, &'static str)> {
    Some(match dialect(sketch) {
        Dialect::Sam => (
            format!("{owner}{sam_suffix}"),
            *kind.entry().cfn_types.first()?,
        ),
        Dialect::Terraform => {
            let ty = *kind.entry().tf_types.first()?;
            let name = crate::model::short_name(owner);
            (format!("{ty}.{name}{tf_suffix}"), ty)
        }
    })
}

/// The companion a service came with that a connection of the user's own
/// replaces: `connect Jobs MyDeadLetters` when `Jobs` already has the
/// dead-letter queue it was given, still untouched and used by nothing else.
fn stand_in(
    sketch: &Sketch,
    from: &str,
    to: &str,
    kind: ConnectionKind,
    failure: bool,
) -> Option<String> {
    let source = sketch.service(from)?.kind;
    let target = sketch.service(to)?.kind;
    let (sam_suffix, tf_suffix) = match (source, target, kind) {
        (Kind::Queue, Kind::Queue, ConnectionKind::Write) => ("DeadLetters", "_dead_letters"),
        (Kind::Function, Kind::LogGroup, ConnectionKind::Log) => ("Logs", "_logs"),
        (Kind::Function, Kind::Queue, ConnectionKind::Write) if failure => {
            ("Failures", "_failures")
        }
        _ => return None,
    };
    let (id, _) = companion_id(sketch, from, target, sam_suffix, tf_suffix)?;
    let s = sketch.service(&id)?;
    let only_from_owner = sketch.outgoing(&id).is_empty()
        && sketch
            .incoming(&id)
            .iter()
            .all(|(f, c)| *f == from && c.kind == kind);
    (id != to && s.kind == target && only_from_owner && sketch.drawn_here(s)).then_some(id)
}

fn with_companion(owner: &str, service: Service, kind: ConnectionKind) -> [Edit; 2] {
    let to = service.id.clone();
    [
        Edit::AddService {
            service: Box::new(service),
            at: None,
        },
        Edit::Connect {
            from: owner.to_string(),
            to,
            connection: Connection::new(kind),
        },
    ]
}

fn connect(
    sketch: &Sketch,
    from: &str,
    to: &str,
    kind: Option<&str>,
) -> Result<Plan, CommandError> {
    let from = resolve(sketch, from)?.to_string();
    let to = resolve(sketch, to)?.to_string();
    if from == to {
        return Err(CommandError::Refused(format!(
            "`{from}` cannot connect to itself"
        )));
    }
    let (ka, kb) = (
        sketch.service(&from).expect("resolved").kind,
        sketch.service(&to).expect("resolved").kind,
    );
    // `failure`: where a function's failed asynchronous events go (its
    // dead-letter queue or topic).
    let failure = kind.is_some_and(|k| {
        matches!(
            k.to_ascii_lowercase().as_str(),
            "failure" | "onfailure" | "on-failure" | "dlq"
        )
    });
    if failure && !(ka == Kind::Function && matches!(kb, Kind::Queue | Kind::Topic)) {
        return Err(CommandError::Refused(format!(
            "`failure` goes from a function to a queue or topic; `{from}` is a {ka} and `{to}` a {kb}"
        )));
    }
    let given = stand_in(sketch, &from, &to, ConnectionKind::Write, failure);
    if failure
        && sketch
            .outgoing(&from)
            .iter()
            .any(|(t, c)| c.on_failure() && Some(t.to_string()) != given)
    {
        return Err(CommandError::Refused(format!(
            "`{from}` already sends what it fails on somewhere; disconnect that first"
        )));
    }
    let kind = match kind {
        _ if failure => ka.natural_connection(kb).unwrap_or(ConnectionKind::Write),
        Some(k) => parse_kind(k)?,
        None => ka.natural_connection(kb).unwrap_or(ConnectionKind::Ref),
    };
    if sketch.is_connected(&from, &to, Some(kind)) {
        return Err(CommandError::Exists(format!(
            "`{from}` is already connected to `{to}` ({kind})"
        )));
    }
    let mut message = if failure {
        format!("connected {from} -> {to} ({ON_FAILURE})")
    } else {
        format!("connected {from} -> {to} ({kind})")
    };
    if !ka.allows(kb, kind) {
        message.push_str(&format!("; note: a {ka} does not usually {kind} a {kb}"));
    }
    let mut connection = Connection::new(kind);
    if failure {
        connection = connection.labelled(ON_FAILURE);
    }
    let mut edits = vec![Edit::Connect {
        from: from.clone(),
        to: to.clone(),
        connection,
    }];
    if let Some(old) = stand_in(sketch, &from, &to, kind, failure) {
        message.push_str(&format!("; it takes the place of {old}"));
        edits.insert(0, Edit::RemoveService { id: old });
    }
    // A new queue that feeds a function keeps the messages that keep failing
    // in a dead-letter queue (its redrive policy), unless it has one.
    let source = sketch.service(&from).expect("resolved");
    let has_dead_letters = sketch.outgoing(&from).iter().any(|(t, c)| {
        c.kind == ConnectionKind::Write && sketch.service(t).is_some_and(|t| t.kind == Kind::Queue)
    });
    if (ka, kb, kind) == (Kind::Queue, Kind::Function, ConnectionKind::Trigger)
        && !has_dead_letters
        && sketch.drawn_here(source)
    {
        if let Some(dlq) = companion(sketch, &from, Kind::Queue, "DeadLetters", "_dead_letters") {
            message.push_str(&format!("; {} keeps what fails", dlq.id));
            edits.extend(with_companion(&from, dlq, ConnectionKind::Write));
        }
    }
    // A new function called asynchronously (by a bucket, a topic, a rule or
    // a schedule) keeps the events it fails to handle in a queue of its own,
    // unless it has somewhere for them already.
    let target = sketch.service(&to).expect("resolved");
    let has_failures = sketch.outgoing(&to).iter().any(|(_, c)| c.on_failure());
    if matches!(
        ka,
        Kind::Bucket | Kind::Topic | Kind::Rule | Kind::Schedule | Kind::EventBus
    ) && (kb, kind) == (Kind::Function, ConnectionKind::Trigger)
        && !has_failures
        && sketch.drawn_here(target)
    {
        if let Some(q) = companion(sketch, &to, Kind::Queue, "Failures", "_failures") {
            message.push_str(&format!("; {} keeps the events {to} fails on", q.id));
            let qid = q.id.clone();
            edits.push(Edit::AddService {
                service: Box::new(q),
                at: None,
            });
            edits.push(Edit::Connect {
                from: to.clone(),
                to: qid,
                connection: Connection::new(ConnectionKind::Write).labelled(ON_FAILURE),
            });
        }
    }
    Ok(Plan {
        edit: match edits.len() {
            1 => edits.pop().expect("one edit"),
            _ => Edit::Batch(edits),
        },
        message,
    })
}

/// The full resource mapping of a service, as a pointer sees it:
/// attributes plus `Properties`.
fn full_map(s: &Service) -> Map {
    let mut m = s.attributes.clone();
    m.insert("Properties".into(), Value::Object(s.properties.clone()));
    m
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// Removes the value at a JSON pointer; empties left behind go too.
fn remove_pointer(v: &mut Value, pointer: &str) -> bool {
    let segs: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    fn go(v: &mut Value, segs: &[String]) -> bool {
        let Some((first, rest)) = segs.split_first() else {
            return false;
        };
        let removed = match v {
            Value::Object(m) => {
                if rest.is_empty() {
                    m.shift_remove(first).is_some()
                } else {
                    m.get_mut(first).is_some_and(|c| go(c, rest))
                }
            }
            Value::Array(a) => match first.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    if rest.is_empty() {
                        a.remove(i);
                        true
                    } else {
                        go(&mut a[i], rest)
                    }
                }
                _ => false,
            },
            _ => false,
        };
        // Drop a container the removal emptied (an `Events:` with no events left).
        if removed && !rest.is_empty() {
            let empty = match v {
                Value::Object(m) => m.get(first).is_some_and(is_empty_container),
                Value::Array(a) => first
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| a.get(i))
                    .is_some_and(is_empty_container),
                _ => false,
            };
            if empty && segs.len() > 1 {
                match v {
                    Value::Object(m) => {
                        m.shift_remove(first);
                    }
                    Value::Array(a) => {
                        if let Ok(i) = first.parse::<usize>() {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        removed
    }
    go(v, &segs)
}

/// Whether a removal left nothing that means anything: an empty mapping
/// or list, an IAM policy document without statements, or an inline
/// policy without its document (each invalid as it stands).
fn is_empty_container(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => {
            m.is_empty()
                || m.keys().all(|k| k == "Version" || k == "Id")
                || m.keys().all(|k| k == "PolicyName")
        }
        _ => false,
    }
}

/// The edit that removes connections and what in the template made them.
/// `dying` services are being deleted: their own text needs no cleaning.
fn disconnect_edit(
    sketch: &Sketch,
    targets: &[(String, String, Option<ConnectionKind>)],
    dying: &HashSet<String>,
) -> (Edit, Vec<Origin>) {
    let mut edits = Vec::new();
    let mut removed: Vec<(String, String, ConnectionKind)> = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();
    for (from, to, kind) in targets {
        for (b, c) in sketch.outgoing(from) {
            if b == to && kind.is_none_or(|k| k == c.kind) {
                removed.push((from.clone(), to.clone(), c.kind));
                origins.extend(c.origins.iter().cloned());
            }
        }
        edits.push(Edit::Disconnect {
            from: from.clone(),
            to: to.clone(),
            kind: *kind,
        });
    }
    // An origin that also makes a connection that stays is kept. A plain
    // reference from the same place (a policy's statement naming the queue
    // it grants on) is the removed arrow's shadow, not a second reason.
    let keep: HashSet<Origin> = sketch
        .connections()
        .filter(|(a, b, c)| {
            c.kind != ConnectionKind::Ref
                && !removed
                    .iter()
                    .any(|(x, y, k)| x == a && y == b && *k == c.kind)
        })
        .flat_map(|(_, _, c)| c.origins.iter().cloned())
        .collect();
    let mut by_resource: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut whole: Vec<String> = Vec::new();
    let mut kept: Vec<Origin> = Vec::new();
    for o in origins {
        if keep.contains(&o) || dying.contains(&o.resource) {
            continue;
        }
        if o.fixed || !sketch.contains(&o.resource) {
            if !kept.contains(&o) {
                kept.push(o);
            }
            continue;
        }
        if o.pointer.is_empty() {
            if !whole.contains(&o.resource) {
                whole.push(o.resource);
            }
        } else {
            by_resource.entry(o.resource).or_default().push(o.pointer);
        }
    }
    for (id, mut pointers) in by_resource {
        if whole.contains(&id) {
            continue;
        }
        let svc = sketch.service(&id).expect("checked");
        let mut full = Value::Object(full_map(svc));
        // Later array items first, so earlier indices stay valid.
        pointers.sort_by(|a, b| natural_cmp(b, a));
        pointers.dedup();
        for p in &pointers {
            remove_pointer(&mut full, p);
        }
        let Value::Object(mut full) = full else {
            unreachable!()
        };
        let props = match full.shift_remove("Properties") {
            Some(Value::Object(p)) => p,
            _ => Map::new(),
        };
        if props != svc.properties {
            edits.push(Edit::ReplaceProperties {
                id: id.clone(),
                properties: props,
            });
        }
        if full != svc.attributes {
            edits.push(Edit::ReplaceAttributes {
                id: id.clone(),
                attributes: full,
            });
        }
    }
    for id in whole {
        edits.push(Edit::RemoveService { id });
    }
    (Edit::Batch(edits), kept)
}

/// Tells the user where the template still says what they removed.
fn kept_note(kept: &[Origin]) -> String {
    if kept.is_empty() {
        return String::new();
    }
    let places: Vec<String> = kept
        .iter()
        .map(|o| {
            if o.pointer.is_empty() {
                o.resource.clone()
            } else {
                format!("{} at {}", o.resource, o.pointer)
            }
        })
        .collect();
    format!(
        "; the template still mentions it in {} (it says more there, so edit that by hand)",
        places.join(", ")
    )
}

/// Compares pointers so `/a/10` sorts after `/a/9`.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let sa: Vec<&str> = a.split('/').collect();
    let sb: Vec<&str> = b.split('/').collect();
    for (x, y) in sa.iter().zip(&sb) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            _ => x.cmp(y),
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    sa.len().cmp(&sb.len())
}

fn delete(sketch: &Sketch, id: &str) -> Result<Plan, CommandError> {
    // The service and the glue that folds into it (recursively).
    let mut dying: Vec<String> = vec![id.to_string()];
    let mut i = 0;
    while i < dying.len() {
        let cur = dying[i].clone();
        for s in sketch.owned_by(&cur) {
            if !dying.contains(&s.id) {
                dying.push(s.id.clone());
            }
        }
        i += 1;
    }
    let dying_set: HashSet<String> = dying.iter().cloned().collect();
    let mut conns = Vec::new();
    for d in &dying {
        for (b, c) in sketch.outgoing(d) {
            conns.push((d.clone(), b.to_string(), Some(c.kind)));
        }
        for (a, c) in sketch.incoming(d) {
            if !dying_set.contains(a) {
                conns.push((a.to_string(), d.clone(), Some(c.kind)));
            }
        }
    }
    let (Edit::Batch(mut edits), kept) = disconnect_edit(sketch, &conns, &dying_set) else {
        unreachable!()
    };
    let mut removed_already: HashSet<String> = HashSet::new();
    for e in &edits {
        if let Edit::RemoveService { id } = e {
            removed_already.insert(id.clone());
        }
    }
    for d in dying.iter().rev() {
        if !removed_already.contains(d) {
            edits.push(Edit::RemoveService { id: d.clone() });
        }
    }
    let extra = dying.len() - 1;
    let mut message = if extra > 0 {
        format!(
            "deleted {id} and {extra} resource{} that served only it",
            if extra == 1 { "" } else { "s" }
        )
    } else {
        format!("deleted {id}")
    };
    message.push_str(&kept_note(&kept));
    Ok(Plan {
        edit: Edit::Batch(edits),
        message,
    })
}

fn rename(sketch: &Sketch, old: &str, new: &str) -> Result<Plan, CommandError> {
    let old = resolve(sketch, old)?.to_string();
    let svc = sketch.service(&old).expect("resolved");
    if svc.implicit {
        return Err(CommandError::Refused(format!(
            "`{old}` is made by SAM and keeps SAM's name"
        )));
    }
    let tf = dialect(sketch) == Dialect::Terraform || old.contains('.');
    let new_id = if tf {
        if new.contains('.') {
            new.to_string()
        } else {
            match old.rsplit_once('.') {
                Some((prefix, _)) => format!("{prefix}.{new}"),
                None => new.to_string(),
            }
        }
    } else {
        if !is_logical_id(new) {
            return Err(CommandError::Usage(format!(
                "`{new}` is not a valid logical id (letters and digits only); try `{}`",
                pascal_case(new)
            )));
        }
        new.to_string()
    };
    if sketch.contains(&new_id) {
        return Err(CommandError::Exists(format!(
            "there is already a service `{new_id}`"
        )));
    }
    let mut edits = vec![Edit::Rename {
        from: old.clone(),
        to: new_id.clone(),
    }];
    let rewrite = |v: &mut Value| -> bool {
        if tf {
            let (o, n) = (relative_address(&old), relative_address(&new_id));
            refs::rename_tf(v, o, n)
        } else {
            refs::rename_cfn(v, &old, &new_id)
        }
    };
    for s in sketch.services() {
        let id = if s.id == old {
            new_id.clone()
        } else {
            s.id.clone()
        };
        let mut props = Value::Object(s.properties.clone());
        if rewrite(&mut props) {
            let Value::Object(p) = props else {
                unreachable!()
            };
            edits.push(Edit::ReplaceProperties {
                id: id.clone(),
                properties: p,
            });
        }
        let mut attrs = Value::Object(s.attributes.clone());
        let mut changed = rewrite(&mut attrs);
        if let Value::Object(a) = &mut attrs {
            if let Some(d) = a.get_mut("DependsOn") {
                changed |= refs::rename_depends_on(d, &old, &new_id);
            }
        }
        if changed {
            let Value::Object(a) = attrs else {
                unreachable!()
            };
            edits.push(Edit::ReplaceAttributes { id, attributes: a });
        }
    }
    let mut sections = Value::Object(sketch.sections.clone());
    if rewrite(&mut sections) {
        let Value::Object(s) = sections else {
            unreachable!()
        };
        edits.push(Edit::ReplaceSections { sections: s });
    }
    Ok(Plan {
        edit: Edit::Batch(edits),
        message: format!("renamed {old} to {new_id}"),
    })
}

/// A Terraform address as written inside its own module (`aws_sqs_queue.q`
/// for `module.app.aws_sqs_queue.q`).
fn relative_address(id: &str) -> &str {
    let mut s = id;
    while let Some(rest) = s.strip_prefix("module.") {
        match rest.find('.') {
            Some(i) => s = &rest[i + 1..],
            None => break,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::sam;

    const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.13
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Orders
      Environment:
        Variables:
          TABLE: !Ref Orders
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
Outputs:
  TableName:
    Value: !Ref Orders
";

    fn sketch() -> Sketch {
        sam::import("t.yaml", TEMPLATE).unwrap()
    }

    /// Callers can tell why a command failed without reading its words.
    #[test]
    fn errors_say_what_went_wrong_by_type() {
        let s = sketch();
        let err = |line: &str| plan(&s, line).err().expect("an error");
        assert!(
            matches!(err("add qeueu X"), CommandError::UnknownKind { hint, .. } if hint.contains("`queue`"))
        );
        assert!(matches!(
            err("frobnicate"),
            CommandError::UnknownCommand { .. }
        ));
        assert!(matches!(err("add queue"), CommandError::Usage(_)));
        assert!(matches!(
            err("move Nowhere 1 2"),
            CommandError::NoService(_)
        ));
        assert!(matches!(err("add 'queue X"), CommandError::OpenQuote));
        let mut t = sketch();
        let e = run_script(
            &mut t,
            &["add queue Extra".into(), "add queue Extra".into()],
        )
        .unwrap_err();
        match &e {
            CommandError::Script { line, source, .. } => {
                assert_eq!(*line, 2);
                assert!(matches!(**source, CommandError::Exists(_)), "{source:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e.to_string(),
            "command 2 (`add queue Extra`): there is already a service `Extra`"
        );
    }

    fn run(s: &mut Sketch, line: &str) -> Result<String, String> {
        let p = plan(s, line)
            .map_err(|e| e.to_string())?
            .expect("a command");
        p.edit.apply(s).map_err(|e| e.to_string())?;
        Ok(p.message)
    }

    #[test]
    fn split_handles_quotes() {
        assert_eq!(
            split(r#"set A Description "two words""#).unwrap(),
            ["set", "A", "Description", "two words"]
        );
        assert!(split("note 'open").is_err());
        assert!(plan(&Sketch::new(), "\\").unwrap().is_none());
    }

    #[test]
    fn add_and_connect_use_the_catalog() {
        let mut s = sketch();
        run(&mut s, "add topic Alerts").unwrap();
        assert_eq!(s.service("Alerts").unwrap().type_name, "AWS::SNS::Topic");
        let msg = run(&mut s, "connect Worker Alerts").unwrap();
        assert!(msg.contains("(publish)"), "{msg}");
        assert!(
            run(&mut s, "add queue order-queue")
                .unwrap_err()
                .contains("OrderQueue")
        );
        assert!(
            run(&mut s, "add nonsense X")
                .unwrap_err()
                .contains("not a kind")
        );
    }

    #[test]
    fn a_failing_command_changes_nothing() {
        let mut s = sketch();
        let before = s.clone();
        for bad in [
            "connect Worker Nowhere",
            "rename Worker Jobs",
            "move Worker x 1",
            "frobnicate",
            "connect Jobs Worker",
        ] {
            assert!(run(&mut s, bad).is_err(), "{bad}");
            assert_eq!(s, before, "{bad}");
        }
    }

    #[test]
    fn disconnect_removes_what_made_the_arrow() {
        let mut s = sketch();
        run(&mut s, "disconnect Worker Orders").unwrap();
        let p = &s.service("Worker").unwrap().properties;
        assert!(p.get("Policies").is_none(), "{p:?}");
        assert!(p.get("Environment").is_none(), "{p:?}");
        run(&mut s, "disconnect Jobs Worker").unwrap();
        assert!(
            s.service("Worker")
                .unwrap()
                .properties
                .get("Events")
                .is_none()
        );
    }

    #[test]
    fn disconnect_leaves_shared_places_alone() {
        let mut s = sam::import(
            "t.yaml",
            "Resources:
  Alerts: {Type: AWS::SNS::Topic, Properties: {TopicName: alerts-topic}}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: A
        States: {A: {Type: Task, Resource: 'arn:aws:states:::sns:publish', Parameters: {TopicArn: 'arn:aws:sns:us-east-1:1:alerts-topic'}, End: true}}
",
        )
        .unwrap();
        assert!(s.is_connected("Flow", "Alerts", None));
        let msg = run(&mut s, "disconnect Flow Alerts").unwrap();
        assert!(msg.contains("still mentions it in Flow"), "{msg}");
        assert!(
            s.service("Flow")
                .unwrap()
                .properties
                .contains_key("Definition")
        );
        assert!(!s.is_connected("Flow", "Alerts", None));
    }

    #[test]
    fn delete_cleans_references() {
        let mut s = sketch();
        run(&mut s, "delete Orders").unwrap();
        assert!(!s.contains("Orders"));
        assert!(
            s.service("Worker")
                .unwrap()
                .properties
                .get("Environment")
                .is_none()
        );
    }

    #[test]
    fn rename_rewrites_references() {
        let mut s = sketch();
        run(&mut s, "rename Orders OrderTable").unwrap();
        let p = &s.service("Worker").unwrap().properties;
        assert_eq!(
            p["Environment"]["Variables"]["TABLE"],
            serde_json::json!({"Ref": "OrderTable"})
        );
        assert_eq!(
            s.sections["Outputs"]["TableName"]["Value"],
            serde_json::json!({"Ref": "OrderTable"})
        );
        assert!(s.is_connected("Worker", "OrderTable", None));
    }

    #[test]
    fn short_names_resolve_for_terraform() {
        let mut s = Sketch::new();
        s.source = Some(crate::model::Source {
            dialect: Dialect::Terraform,
            files: Default::default(),
        });
        run(&mut s, "add function worker").unwrap();
        run(&mut s, "add queue jobs").unwrap();
        run(&mut s, "connect jobs worker").unwrap();
        assert!(s.is_connected(
            "aws_sqs_queue.jobs",
            "aws_lambda_function.worker",
            Some(ConnectionKind::Trigger)
        ));
        run(&mut s, "rename jobs work_items").unwrap();
        assert!(s.contains("aws_sqs_queue.work_items"));
    }

    #[test]
    fn new_services_come_with_their_log_group_and_dead_letters() {
        let mut s = Sketch::new();
        let mut h = crate::model::History::new();
        for line in [
            "add function Worker",
            "add queue Jobs",
            "connect Jobs Worker",
        ] {
            let p = plan(&s, line).unwrap().expect("a command");
            h.apply(&mut s, p.edit).unwrap();
        }
        assert!(s.is_connected("Worker", "WorkerLogs", Some(ConnectionKind::Log)));
        assert!(s.is_connected("Jobs", "JobsDeadLetters", Some(ConnectionKind::Write)));
        // One undo takes back the connection and the queue it brought.
        h.undo(&mut s).unwrap();
        assert!(!s.contains("JobsDeadLetters") && !s.is_connected("Jobs", "Worker", None));
        h.undo(&mut s).unwrap();
        h.undo(&mut s).unwrap();
        assert!(s.is_empty(), "{:?}", s.ids().collect::<Vec<_>>());
    }

    #[test]
    fn a_users_own_dead_letter_queue_takes_the_place_of_the_given_one() {
        let mut s = Sketch::new();
        for line in [
            "add function Worker",
            "add queue Jobs",
            "connect Jobs Worker",
            "add queue Failed",
            "connect Jobs Failed",
            "add loggroup Audit",
            "connect Worker Audit",
        ] {
            run(&mut s, line).unwrap();
        }
        assert!(!s.contains("JobsDeadLetters"));
        assert!(s.is_connected("Jobs", "Failed", Some(ConnectionKind::Write)));
        assert!(!s.contains("WorkerLogs"));
        assert!(s.is_connected("Worker", "Audit", Some(ConnectionKind::Log)));
    }

    #[test]
    fn a_queue_from_the_file_gets_no_dead_letters_it_did_not_have() {
        let mut s = crate::formats::read("t.yaml", TEMPLATE).unwrap();
        run(&mut s, "add function Worker2").unwrap();
        run(&mut s, "connect Jobs Worker2").unwrap();
        assert!(!s.contains("JobsDeadLetters"));
        assert!(s.contains("Worker2Logs"));
    }

    #[test]
    fn a_function_called_asynchronously_keeps_what_it_fails_on() {
        for source in ["bucket", "topic", "rule", "schedule"] {
            let mut s = Sketch::new();
            let mut h = crate::model::History::new();
            for line in [
                "add function Worker".to_string(),
                format!("add {source} Source"),
                "connect Source Worker".to_string(),
            ] {
                let p = plan(&s, &line).unwrap().expect("a command");
                h.apply(&mut s, p.edit).unwrap();
            }
            let c = s
                .connection("Worker", "WorkerFailures", Some(ConnectionKind::Write))
                .unwrap_or_else(|| panic!("{source}: no failure queue"));
            assert!(c.on_failure(), "{source}: {:?}", c.label);
            // One undo takes back the trigger and the queue it brought.
            h.undo(&mut s).unwrap();
            assert!(!s.contains("WorkerFailures"), "{source}");
        }
    }

    #[test]
    fn a_function_polling_a_queue_or_with_a_failure_place_gets_no_second_one() {
        let mut s = Sketch::new();
        for line in [
            "add function Worker",
            "add queue Jobs",
            "connect Jobs Worker",
        ] {
            run(&mut s, line).unwrap();
        }
        assert!(
            !s.contains("WorkerFailures"),
            "a queue's failures go to its own DLQ"
        );
        for line in [
            "add topic Alerts",
            "connect Alerts Worker",
            "add bucket B",
            "connect B Worker",
        ] {
            run(&mut s, line).unwrap();
        }
        let failures = s
            .services()
            .filter(|x| x.id.starts_with("WorkerFailures"))
            .count();
        assert_eq!(failures, 1);
    }

    #[test]
    fn a_users_own_failure_queue_takes_the_given_ones_place() {
        let mut s = Sketch::new();
        for line in [
            "add function Worker",
            "add bucket Uploads",
            "connect Uploads Worker",
            "add queue Parked",
            "connect Worker Parked failure",
        ] {
            run(&mut s, line).unwrap();
        }
        assert!(!s.contains("WorkerFailures"));
        let c = s
            .connection("Worker", "Parked", Some(ConnectionKind::Write))
            .expect("the user's failure queue");
        assert!(c.on_failure());
        // One place for failures: a second is refused.
        run(&mut s, "add queue Other").unwrap();
        let e = run(&mut s, "connect Worker Other failure").unwrap_err();
        assert!(e.contains("already sends what it fails on"), "{e}");
        let e = run(&mut s, "connect Uploads Other failure").unwrap_err();
        assert!(e.contains("from a function"), "{e}");
    }
}
