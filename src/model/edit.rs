//! Edits as operations: applying one returns its inverse, so undo and redo are
//! just applying what came back. A batch applies all or nothing.

use super::{
    Connection, ConnectionKind, Group, Map, ModelError, Note, Position, Service, Sketch, Value,
};

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a service at a place in source order (`None`: last).
    AddService {
        service: Box<Service>,
        at: Option<usize>,
    },
    RemoveService {
        id: String,
    },
    Connect {
        from: String,
        to: String,
        connection: Connection,
    },
    Disconnect {
        from: String,
        to: String,
        kind: Option<ConnectionKind>,
    },
    Rename {
        from: String,
        to: String,
    },
    /// Set (or with `None`, remove) one property at a path of keys.
    SetProperty {
        id: String,
        path: Vec<String>,
        value: Option<Value>,
    },
    /// Replace all properties at once (the inverse of property edits).
    ReplaceProperties {
        id: String,
        properties: Map,
    },
    ReplaceAttributes {
        id: String,
        attributes: Map,
    },
    Move {
        id: String,
        position: Option<Position>,
    },
    SetGroup {
        id: String,
        group: Option<String>,
    },
    SetLabel {
        id: String,
        label: Option<String>,
    },
    SetUsage {
        id: String,
        key: String,
        value: Option<Value>,
    },
    SetMultiplier {
        from: String,
        to: String,
        kind: ConnectionKind,
        multiplier: f64,
    },
    /// Create, change or (with `None`) remove a group's definition.
    DefineGroup {
        id: String,
        group: Option<Group>,
    },
    /// Draw a group as one box (or its members again). A group that has
    /// no definition of its own gains a plain one.
    Collapse {
        id: String,
        collapsed: bool,
    },
    /// Replace the template-level sections (Parameters, Outputs, ...).
    ReplaceSections {
        sections: Map,
    },
    AddNote {
        note: Note,
        at: Option<usize>,
    },
    RemoveNote {
        index: usize,
    },
    Batch(Vec<Edit>),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("there is no connection from `{0}` to `{1}`")]
    NoConnection(String, String),
    #[error("a property path needs at least one key")]
    EmptyPath,
    #[error("`{0}` is not a mapping, so it has no key `{1}`")]
    NotAMapping(String, String),
    #[error("there is no note {0}")]
    NoNote(usize),
}

impl Edit {
    /// Applies the edit; returns the edit that undoes it. On error the sketch
    /// is unchanged.
    pub fn apply(self, sketch: &mut Sketch) -> Result<Edit, EditError> {
        Ok(match self {
            Edit::AddService { service, at } => {
                let id = service.id.clone();
                match at {
                    Some(i) => sketch.insert_service(i, *service)?,
                    None => sketch.add_service(*service)?,
                }
                Edit::RemoveService { id }
            }
            Edit::RemoveService { id } => {
                let (at, service, conns) = sketch.remove_service(&id)?;
                let mut undo = vec![Edit::AddService {
                    service: Box::new(service),
                    at: Some(at),
                }];
                undo.extend(
                    conns
                        .into_iter()
                        .map(|(from, to, connection)| Edit::Connect {
                            from,
                            to,
                            connection,
                        }),
                );
                Edit::Batch(undo)
            }
            Edit::Connect {
                from,
                to,
                connection,
            } => {
                let kind = connection.kind;
                let before = sketch.connection(&from, &to, Some(kind)).cloned();
                sketch.connect(&from, &to, connection)?;
                match before {
                    // Merged into an existing arrow: undo restores that arrow as it was.
                    Some(old) => Edit::Batch(vec![
                        Edit::Disconnect {
                            from: from.clone(),
                            to: to.clone(),
                            kind: Some(kind),
                        },
                        Edit::Connect {
                            from,
                            to,
                            connection: old,
                        },
                    ]),
                    None => Edit::Disconnect {
                        from,
                        to,
                        kind: Some(kind),
                    },
                }
            }
            Edit::Disconnect { from, to, kind } => {
                let removed = sketch.disconnect(&from, &to, kind)?;
                if removed.is_empty() {
                    return Err(EditError::NoConnection(from, to));
                }
                Edit::Batch(
                    removed
                        .into_iter()
                        .map(|connection| Edit::Connect {
                            from: from.clone(),
                            to: to.clone(),
                            connection,
                        })
                        .collect(),
                )
            }
            Edit::Rename { from, to } => {
                sketch.rename(&from, &to)?;
                Edit::Rename { from: to, to: from }
            }
            Edit::SetProperty { id, path, value } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = svc.properties.clone();
                set_path(&mut svc.properties, &path, value)?;
                Edit::ReplaceProperties {
                    id,
                    properties: old,
                }
            }
            Edit::ReplaceProperties { id, properties } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = std::mem::replace(&mut svc.properties, properties);
                Edit::ReplaceProperties {
                    id,
                    properties: old,
                }
            }
            Edit::ReplaceAttributes { id, attributes } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = std::mem::replace(&mut svc.attributes, attributes);
                Edit::ReplaceAttributes {
                    id,
                    attributes: old,
                }
            }
            Edit::Move { id, position } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = std::mem::replace(&mut svc.position, position);
                Edit::Move { id, position: old }
            }
            Edit::SetGroup { id, group } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = std::mem::replace(&mut svc.group, group);
                Edit::SetGroup { id, group: old }
            }
            Edit::SetLabel { id, label } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = std::mem::replace(&mut svc.label, label);
                Edit::SetLabel { id, label: old }
            }
            Edit::SetUsage { id, key, value } => {
                let svc = sketch
                    .service_mut(&id)
                    .ok_or_else(|| ModelError::Missing(id.clone()))?;
                let old = match value {
                    Some(v) => svc.usage.insert(key.clone(), v),
                    None => svc.usage.remove(&key),
                };
                Edit::SetUsage {
                    id,
                    key,
                    value: old,
                }
            }
            Edit::SetMultiplier {
                from,
                to,
                kind,
                multiplier,
            } => {
                let (a, b) = (sketch.node(&from)?, sketch.node(&to)?);
                let e = sketch
                    .find_edge(a, b, kind)
                    .ok_or_else(|| EditError::NoConnection(from.clone(), to.clone()))?;
                let old = std::mem::replace(&mut sketch.graph[e].multiplier, multiplier);
                Edit::SetMultiplier {
                    from,
                    to,
                    kind,
                    multiplier: old,
                }
            }
            Edit::DefineGroup { id, group } => {
                let old = match group {
                    Some(g) => sketch.groups.insert(id.clone(), g),
                    None => sketch.groups.remove(&id),
                };
                Edit::DefineGroup { id, group: old }
            }
            Edit::Collapse { id, collapsed } => match sketch.groups.get_mut(&id) {
                Some(g) => {
                    let old = std::mem::replace(&mut g.collapsed, collapsed);
                    Edit::Collapse { id, collapsed: old }
                }
                None => {
                    sketch.groups.insert(
                        id.clone(),
                        Group {
                            id: id.clone(),
                            kind: super::GroupKind::Group,
                            label: None,
                            parent: None,
                            collapsed,
                        },
                    );
                    Edit::DefineGroup { id, group: None }
                }
            },
            Edit::ReplaceSections { sections } => {
                let old = std::mem::replace(&mut sketch.sections, sections);
                Edit::ReplaceSections { sections: old }
            }
            Edit::AddNote { note, at } => {
                let i = at.unwrap_or(sketch.notes.len()).min(sketch.notes.len());
                sketch.notes.insert(i, note);
                Edit::RemoveNote { index: i }
            }
            Edit::RemoveNote { index } => {
                if index >= sketch.notes.len() {
                    return Err(EditError::NoNote(index));
                }
                let note = sketch.notes.remove(index);
                Edit::AddNote {
                    note,
                    at: Some(index),
                }
            }
            Edit::Batch(edits) => {
                let mut undo = Vec::with_capacity(edits.len());
                for e in edits {
                    match e.apply(sketch) {
                        Ok(inv) => undo.push(inv),
                        Err(err) => {
                            for inv in undo.into_iter().rev() {
                                inv.apply(sketch)
                                    .expect("an inverse applies to the state it came from");
                            }
                            return Err(err);
                        }
                    }
                }
                undo.reverse();
                Edit::Batch(undo)
            }
        })
    }

    /// Whether the edit only places boxes or collapses groups: nothing a
    /// template says changes.
    pub fn only_places(&self) -> bool {
        match self {
            Edit::Move { .. } | Edit::Collapse { .. } => true,
            Edit::Batch(v) => v.iter().all(Edit::only_places),
            _ => false,
        }
    }

    /// The ids this edit touches directly (for relayout and minimal writes).
    pub fn touched(&self) -> Vec<&str> {
        match self {
            Edit::AddService { service, .. } => vec![&service.id],
            Edit::RemoveService { id }
            | Edit::SetProperty { id, .. }
            | Edit::ReplaceProperties { id, .. }
            | Edit::ReplaceAttributes { id, .. }
            | Edit::Move { id, .. }
            | Edit::SetGroup { id, .. }
            | Edit::SetLabel { id, .. }
            | Edit::SetUsage { id, .. } => vec![id],
            Edit::Connect { from, to, .. }
            | Edit::Disconnect { from, to, .. }
            | Edit::Rename { from, to }
            | Edit::SetMultiplier { from, to, .. } => vec![from, to],
            Edit::AddNote { .. }
            | Edit::RemoveNote { .. }
            | Edit::DefineGroup { .. }
            | Edit::Collapse { .. }
            | Edit::ReplaceSections { .. } => vec![],
            Edit::Batch(v) => v.iter().flat_map(Edit::touched).collect(),
        }
    }
}

/// Sets or removes the value at a path of keys, creating mappings on the way.
/// Removing the last key of a mapping leaves the (empty) mapping in place only
/// when it was there before.
pub(crate) fn set_path(
    map: &mut Map,
    path: &[String],
    value: Option<Value>,
) -> Result<(), EditError> {
    let (last, parents) = path.split_last().ok_or(EditError::EmptyPath)?;
    let mut cur = map;
    let mut walked = String::new();
    for key in parents {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(key);
        if value.is_none() && !cur.contains_key(key) {
            return Ok(());
        }
        let next = cur
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        cur = match next {
            Value::Object(m) => m,
            _ => return Err(EditError::NotAMapping(walked, last.clone())),
        };
    }
    match value {
        Some(v) => {
            cur.insert(last.clone(), v);
        }
        None => {
            cur.shift_remove(last);
        }
    }
    Ok(())
}

/// Undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// How many edits away from the saved state we are; `None` when the saved
    /// state cannot be reached by undo or redo any more.
    saved_at: Option<isize>,
}

impl History {
    pub fn new() -> History {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            saved_at: Some(0),
        }
    }

    /// Applies an edit and records its inverse.
    pub fn apply(&mut self, sketch: &mut Sketch, edit: Edit) -> Result<(), EditError> {
        let inverse = edit.apply(sketch)?;
        self.undo.push(inverse);
        // A new edit after undoing makes a saved state on the redo side unreachable.
        if let Some(s) = self.saved_at {
            self.saved_at = if s > 0 { None } else { Some(s - 1) };
        }
        self.redo.clear();
        Ok(())
    }

    pub fn undo(&mut self, sketch: &mut Sketch) -> Result<bool, EditError> {
        let Some(edit) = self.undo.pop() else {
            return Ok(false);
        };
        let redo = edit.apply(sketch)?;
        self.redo.push(redo);
        self.saved_at = self.saved_at.map(|s| s + 1);
        Ok(true)
    }

    pub fn redo(&mut self, sketch: &mut Sketch) -> Result<bool, EditError> {
        let Some(edit) = self.redo.pop() else {
            return Ok(false);
        };
        let undo = edit.apply(sketch)?;
        self.undo.push(undo);
        self.saved_at = self.saved_at.map(|s| s - 1);
        Ok(true)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Marks the current state as saved.
    pub fn mark_saved(&mut self) {
        self.saved_at = Some(0);
    }

    /// Marks the sketch as differing from what was saved, with no edit to
    /// undo back to it (work brought back from a recovery file).
    pub fn mark_unsaved(&mut self) {
        self.saved_at = None;
    }

    /// Whether the sketch differs from what was last saved (or opened).
    pub fn is_dirty(&self) -> bool {
        self.saved_at != Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;

    fn sketch() -> Sketch {
        let mut s = Sketch::new();
        for (id, k) in [("Api", "api"), ("Fn", "function"), ("Table", "table")] {
            s.add_service(Service::new(id, Kind::parse(k).unwrap(), "T"))
                .unwrap();
        }
        s.connect("Api", "Fn", Connection::new(ConnectionKind::Route))
            .unwrap();
        s.connect("Fn", "Table", Connection::new(ConnectionKind::Write))
            .unwrap();
        s
    }

    fn roundtrip(edit: Edit) {
        let mut s = sketch();
        let before = s.clone();
        let inv = edit.clone().apply(&mut s).unwrap();
        assert_ne!(s, before, "{edit:?} changed nothing");
        let redo = inv.apply(&mut s).unwrap();
        assert_eq!(s, before, "undo of {edit:?}");
        redo.apply(&mut s).unwrap();
        let mut again = before.clone();
        edit.apply(&mut again).unwrap();
        assert_eq!(s, again, "redo of an edit");
    }

    #[test]
    fn every_edit_inverts() {
        let svc = Service::new("Q", Kind::Queue, "AWS::SQS::Queue");
        roundtrip(Edit::AddService {
            service: Box::new(svc),
            at: None,
        });
        roundtrip(Edit::RemoveService { id: "Fn".into() });
        roundtrip(Edit::Connect {
            from: "Api".into(),
            to: "Table".into(),
            connection: Connection::new(ConnectionKind::Read),
        });
        roundtrip(Edit::Connect {
            from: "Api".into(),
            to: "Fn".into(),
            connection: Connection::new(ConnectionKind::Route).with_origin("Fn", "/Events/Get"),
        });
        roundtrip(Edit::Disconnect {
            from: "Fn".into(),
            to: "Table".into(),
            kind: None,
        });
        roundtrip(Edit::Rename {
            from: "Fn".into(),
            to: "Handler".into(),
        });
        roundtrip(Edit::SetProperty {
            id: "Fn".into(),
            path: vec!["Environment".into(), "Variables".into(), "X".into()],
            value: Some(Value::from("1")),
        });
        roundtrip(Edit::Move {
            id: "Fn".into(),
            position: Some(Position { x: 3, y: 4 }),
        });
        roundtrip(Edit::SetGroup {
            id: "Fn".into(),
            group: Some("backend".into()),
        });
        roundtrip(Edit::SetUsage {
            id: "Fn".into(),
            key: "monthly_requests".into(),
            value: Some(1e6.into()),
        });
        roundtrip(Edit::SetMultiplier {
            from: "Api".into(),
            to: "Fn".into(),
            kind: ConnectionKind::Route,
            multiplier: 2.0,
        });
        roundtrip(Edit::Collapse {
            id: "backend".into(),
            collapsed: true,
        });
    }

    #[test]
    fn collapsing_a_defined_group_sets_its_flag_and_undoes() {
        let mut s = sketch();
        let group = Group {
            id: "backend".into(),
            kind: crate::model::GroupKind::Stack,
            label: Some("Backend".into()),
            parent: None,
            collapsed: false,
        };
        s.groups.insert("backend".into(), group.clone());
        let inv = Edit::Collapse {
            id: "backend".into(),
            collapsed: true,
        }
        .apply(&mut s)
        .unwrap();
        let g = &s.groups["backend"];
        assert!(g.collapsed);
        assert_eq!(g.label.as_deref(), Some("Backend"), "the rest stays");
        assert!(
            Edit::Collapse {
                id: "x".into(),
                collapsed: true
            }
            .only_places()
        );
        inv.apply(&mut s).unwrap();
        assert_eq!(s.groups["backend"], group);
    }

    #[test]
    fn a_failing_batch_changes_nothing() {
        let mut s = sketch();
        let before = s.clone();
        let err = Edit::Batch(vec![
            Edit::Rename {
                from: "Fn".into(),
                to: "Handler".into(),
            },
            Edit::RemoveService {
                id: "Missing".into(),
            },
        ])
        .apply(&mut s);
        assert!(err.is_err());
        assert_eq!(s, before);
    }

    #[test]
    fn history_tracks_saved_state() {
        let mut s = sketch();
        let mut h = History::new();
        assert!(!h.is_dirty());
        h.apply(
            &mut s,
            Edit::Move {
                id: "Fn".into(),
                position: Some(Position { x: 1, y: 1 }),
            },
        )
        .unwrap();
        assert!(h.is_dirty());
        h.undo(&mut s).unwrap();
        assert!(!h.is_dirty());
        h.redo(&mut s).unwrap();
        h.mark_saved();
        h.undo(&mut s).unwrap();
        h.apply(
            &mut s,
            Edit::Move {
                id: "Api".into(),
                position: None,
            },
        )
        .unwrap();
        assert!(h.is_dirty());
    }
}
