//! What `check` says about code and template together: a call the role
//! does not allow, a grant the code never uses, a call whose resource
//! cannot be told.

use super::calls::{Resolved, Target};
use super::grants::Grants;
use crate::catalog::Kind;
use crate::model::Sketch;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The code calls an action on a resource the function's role does not grant.
    MissingPermission {
        function: String,
        action: String,
        target: String,
        code_at: String,
        template_at: String,
    },
    /// The template grants actions on a resource the code never calls.
    UnusedGrant {
        function: String,
        target: String,
        actions: Vec<String>,
        template_at: String,
    },
    /// A call whose resource cannot be tied to one in the template.
    UnknownTarget {
        function: String,
        action: String,
        /// The kind of service the call works on (`queue`).
        kind: String,
        why: String,
        code_at: String,
        template_at: String,
    },
}

impl Finding {
    /// One line for the user.
    pub fn text(&self) -> String {
        match self {
            Finding::MissingPermission {
                function,
                action,
                target,
                code_at,
                template_at,
            } => format!(
                "{code_at}: missing permission: {function} calls {action} on {target}, which its role does not grant ({template_at})"
            ),
            Finding::UnusedGrant {
                function,
                target,
                actions,
                template_at,
            } => format!(
                "{template_at}: unused grant: {function} may {} on {target}, which its code never calls",
                actions.join(", ")
            ),
            Finding::UnknownTarget {
                function,
                action,
                kind,
                why,
                code_at,
                template_at,
            } => format!(
                "{code_at}: unknown target: {function} calls {action} on a {kind} that cannot be told: {why} ({template_at})"
            ),
        }
    }

    /// The function the finding is about.
    pub fn function(&self) -> &str {
        match self {
            Finding::MissingPermission { function, .. }
            | Finding::UnusedGrant { function, .. }
            | Finding::UnknownTarget { function, .. } => function,
        }
    }

    pub(crate) fn prefix(&mut self, stack: &str) {
        let add = |s: &mut String| *s = format!("{stack}{s}");
        match self {
            Finding::MissingPermission {
                function, target, ..
            } => {
                add(function);
                add(target);
            }
            Finding::UnusedGrant {
                function, target, ..
            } => {
                add(function);
                add(target);
            }
            Finding::UnknownTarget { function, .. } => add(function),
        }
    }
}

/// What one function's calls and grants say. `complete`: its code was read
/// completely, so a grant no call uses is unused. `template_at` is where
/// its permissions are said; `env_at` where its environment variables are.
pub struct Subject<'a> {
    pub function: &'a str,
    pub calls: &'a [Resolved],
    pub grants: &'a Grants,
    pub complete: bool,
    pub template_at: &'a str,
    pub env_at: &'a str,
    /// Where the function itself is.
    pub function_at: &'a str,
}

pub fn of(sketch: &Sketch, s: &Subject) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in s.calls {
        match &c.target {
            Target::Service(t) => {
                let kind = sketch.service(t).map_or(Kind::Generic, |x| x.kind);
                let granted = s.grants.list.iter().any(|g| g.covers(t, kind, &c.action));
                if !granted && s.grants.open.is_none() {
                    out.push(Finding::MissingPermission {
                        function: s.function.to_string(),
                        action: c.action.clone(),
                        target: t.clone(),
                        code_at: c.at.clone(),
                        template_at: s.template_at.to_string(),
                    });
                }
            }
            Target::Default => {}
            Target::Unknown(why) => out.push(Finding::UnknownTarget {
                function: s.function.to_string(),
                action: c.action.clone(),
                kind: c.service.kind.to_string(),
                why: why.clone(),
                code_at: c.at.clone(),
                template_at: if c.env.is_some() {
                    s.env_at
                } else {
                    s.function_at
                }
                .to_string(),
            }),
        }
    }
    if s.complete {
        out.extend(unused(sketch, s));
    }
    out
}

/// Grants on resources no call reaches, one finding a resource. A call
/// the reader could not tie to a resource of that kind may reach it, so
/// such a resource is left out.
fn unused(sketch: &Sketch, s: &Subject) -> Vec<Finding> {
    let mut by_target: Vec<(String, Vec<String>, String)> = Vec::new();
    for g in &s.grants.list {
        let Some(t) = &g.target else { continue };
        let kind = sketch.service(t).map(|x| x.kind);
        let used = s.calls.iter().any(|c| match &c.target {
            Target::Service(x) => x == t,
            Target::Unknown(_) => Some(c.service.kind) == kind,
            Target::Default => false,
        });
        // Reading the stream or queue that triggers the function is its trigger's.
        let polls = sketch.is_connected(t, s.function, Some(crate::model::ConnectionKind::Trigger))
            && crate::formats::sam::policies::serves_trigger(
                &g.actions.iter().map(String::as_str).collect::<Vec<_>>(),
                false,
            );
        if used || polls {
            continue;
        }
        match by_target.iter_mut().find(|(x, _, _)| x == t) {
            Some((_, actions, _)) => actions.extend(g.actions.iter().cloned()),
            None => by_target.push((t.clone(), g.actions.clone(), g.at.clone())),
        }
    }
    by_target
        .into_iter()
        .map(|(target, mut actions, template_at)| {
            let mut seen = std::collections::HashSet::new();
            actions.retain(|a| seen.insert(a.clone()));
            if actions.is_empty() {
                actions.push("use it".into());
            }
            Finding::UnusedGrant {
                function: s.function.to_string(),
                target,
                actions,
                template_at,
            }
        })
        .collect()
}
