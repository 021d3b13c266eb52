//! What the panes show, worked out from the sketch after each change and
//! kept until the next one: the view at the current level, its layout and
//! character grid, the warnings and graph rows, the generated code and the
//! cost report. Drawing only reads these.

use std::collections::HashMap;

use crate::canvas::{self, CanvasOptions, Grid};
use crate::cost::{self, CostOptions, CostReport};
use crate::formats::{self, translate, yaml};
use crate::layout::{self, Direction, Layout, LayoutOptions};
use crate::model::Dialect;
use crate::model::{ConnectionKind, Level, Sketch, Value, View};

use crate::analysis::{self as checks, Warning};

/// How much of each box the canvas shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zoom {
    /// Boxes with kind, whole name and what they hide.
    #[default]
    Full,
    /// One-line boxes: `λ Worker`.
    Compact,
    /// The whole diagram shrunk into the pane: glyphs and names.
    Overview,
}

impl Zoom {
    /// The next level out, wrapping round to full boxes.
    pub fn next(self) -> Zoom {
        match self {
            Zoom::Full => Zoom::Compact,
            Zoom::Compact => Zoom::Overview,
            Zoom::Overview => Zoom::Full,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Zoom::Full => "full",
            Zoom::Compact => "compact",
            Zoom::Overview => "overview",
        }
    }
}

/// How the canvas is to be laid out besides the view itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Columns and rows of the pane, when known.
    pub pane: Option<(usize, usize)>,
    pub zoom: Zoom,
    /// Choose direction, folding and zoom so the whole diagram fits the pane.
    pub fit: bool,
    pub ascii: bool,
}

/// The diagram: where boxes are and what each cell shows.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub layout: Layout,
    pub grid: Grid,
    /// The zoom the grid was drawn at (fitting may choose it).
    pub zoom: Zoom,
    /// The whole diagram in a corner-sized grid, when it is larger than
    /// the pane; the layout gives where boxes are in it.
    pub minimap: Option<(Grid, Layout)>,
    /// How many grid cells one mini-map cell stands for, across and down.
    pub minimap_scale: (f64, f64),
}

/// Folding a diagram into more tiers than this makes a tall strip that is
/// no easier to read than panning, and a much larger grid to draw.
pub const MAX_TIERS: usize = 3;

impl Scene {
    /// Lays out and draws a view. A diagram a little wider than the pane is
    /// folded to fit it; a much wider one is left for panning. With `fit`,
    /// left to right and top down, full and compact boxes are tried in
    /// that order, folded to the pane, and the first that fits is kept; if
    /// none does, the overview shows it all.
    pub fn build(view: &View, previous: Option<Layout>, frame: &Frame) -> Scene {
        let lay = |max_width, previous, direction, compact| {
            layout::layout(
                view,
                &LayoutOptions {
                    direction,
                    max_width,
                    previous,
                    compact,
                    min_sizes: Default::default(),
                },
            )
        };
        let width = frame.pane.map(|p| p.0).filter(|w| *w > 0);
        let fits = |l: &Layout| {
            frame
                .pane
                .is_some_and(|(w, h)| l.width <= w && l.height <= h)
        };
        let (layout, zoom) = if frame.fit && frame.pane.is_some() {
            let mut pick = None;
            let mut smallest: Option<Layout> = None;
            // Boxes that cover more cells than the pane has cannot fit
            // however they are laid out: skip to the overview.
            let (pw, ph) = frame.pane.unwrap_or_default();
            let cells = |compact: bool| -> usize {
                view.nodes
                    .iter()
                    .map(|n| {
                        let (w, h) = layout::text::text_of(n, false, compact).box_size();
                        w * h
                    })
                    .sum()
            };
            let hopeless = |compact: bool| cells(compact) > pw * ph;
            'tries: for compact in [false, true] {
                for direction in [Direction::LeftRight, Direction::TopDown] {
                    if hopeless(compact) && !(compact && direction == Direction::LeftRight) {
                        continue;
                    }
                    let l = lay(width, None, direction, compact);
                    if fits(&l) {
                        pick = Some((l, if compact { Zoom::Compact } else { Zoom::Full }));
                        break 'tries;
                    }
                    if compact
                        && smallest
                            .as_ref()
                            .is_none_or(|s| shrink(&l, frame.pane) < shrink(s, frame.pane))
                    {
                        smallest = Some(l);
                    }
                }
            }
            match pick {
                Some(p) => p,
                None => (smallest.unwrap_or_default(), Zoom::Overview),
            }
        } else {
            let compact = frame.zoom != Zoom::Full;
            let mut layout = lay(None, previous.clone(), Direction::LeftRight, compact);
            if let Some(w) = width {
                if layout.width > w && layout.width <= w * MAX_TIERS {
                    let folded = lay(Some(w), previous, Direction::LeftRight, compact);
                    if folded.width < layout.width {
                        layout = folded;
                    }
                }
            }
            (layout, frame.zoom)
        };
        let opts = CanvasOptions {
            ascii: frame.ascii,
            compact: zoom != Zoom::Full,
        };
        if zoom == Zoom::Overview {
            let (w, h) = frame.pane.unwrap_or((layout.width, layout.height));
            let (grid, small) = canvas::overview(view, &layout, w, h, frame.ascii);
            return Scene {
                layout: small,
                grid,
                zoom,
                minimap: None,
                minimap_scale: (1.0, 1.0),
            };
        }
        let grid = canvas::draw(view, &layout, &opts);
        let mut scene = Scene {
            layout,
            grid,
            zoom,
            minimap: None,
            minimap_scale: (1.0, 1.0),
        };
        if let Some((w, h)) = frame.pane
            && (scene.grid.width > w || scene.grid.height > h)
        {
            let (mw, mh) = ((w / 4).clamp(10, 32), (h / 4).clamp(4, 10));
            if w >= 2 * mw && h >= 2 * mh {
                let map = canvas::overview(view, &scene.layout, mw, mh, frame.ascii);
                scene.minimap_scale = (
                    scene.grid.width as f64 / map.0.width.max(1) as f64,
                    scene.grid.height as f64 / map.0.height.max(1) as f64,
                );
                scene.minimap = Some(map);
            }
        }
        scene
    }
}

/// How much a layout must shrink to fit the pane, the worse way of the two.
fn shrink(l: &Layout, pane: Option<(usize, usize)>) -> u64 {
    let (w, h) = pane.unwrap_or((1, 1));
    let r = (l.width as f64 / w.max(1) as f64).max(l.height as f64 / h.max(1) as f64);
    (r * 1000.0) as u64
}

/// One row of the graph pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphRow {
    Heading(String),
    /// An index into the warnings.
    Warning(usize),
    Service(String),
    /// A connection, listed under `at`: outgoing when `at` is its source.
    Link {
        at: String,
        from: String,
        to: String,
        kind: ConnectionKind,
    },
    Empty(String),
}

impl GraphRow {
    /// The service the row is about.
    pub fn service(&self) -> Option<&str> {
        match self {
            GraphRow::Service(id) | GraphRow::Link { at: id, .. } => Some(id),
            _ => None,
        }
    }
}

fn graph_rows(view: &View, warnings: &[Warning]) -> Vec<GraphRow> {
    let mut rows = Vec::new();
    if !warnings.is_empty() {
        rows.push(GraphRow::Heading(format!("Warnings ({})", warnings.len())));
        rows.extend((0..warnings.len()).map(GraphRow::Warning));
    }
    rows.push(GraphRow::Heading(format!(
        "{} ({}), connections ({})",
        match view.level {
            Level::System => "Stacks",
            Level::Service => "Services",
            Level::Resource => "Resources",
        },
        view.nodes.len(),
        view.edges.len()
    )));
    if view.nodes.is_empty() {
        rows.push(GraphRow::Empty(
            "nothing here yet: a adds a service".to_string(),
        ));
    }
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut inc: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in view.edges.iter().enumerate() {
        out.entry(e.from.as_str()).or_default().push(i);
        inc.entry(e.to.as_str()).or_default().push(i);
    }
    for n in &view.nodes {
        rows.push(GraphRow::Service(n.id.clone()));
        let links = out
            .get(n.id.as_str())
            .into_iter()
            .flatten()
            .chain(inc.get(n.id.as_str()).into_iter().flatten());
        for &i in links {
            let e = &view.edges[i];
            rows.push(GraphRow::Link {
                at: n.id.clone(),
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
            });
        }
    }
    rows
}

/// The generated code and where each resource is in it.
#[derive(Clone, Debug, Default)]
pub struct Code {
    pub language: Dialect,
    pub text: String,
    pub lines: Vec<String>,
    /// Service id to its lines (first, one past the last).
    pub anchors: HashMap<String, (usize, usize)>,
    pub warnings: Vec<String>,
    /// The files of a Terraform folder with the line each one's text starts
    /// at in `text`; empty for a template.
    pub files: Vec<(String, usize)>,
    /// Why the code cannot be edited here, when it cannot: a translation
    /// names things its own way, so reading it back would replace every
    /// service rather than change one.
    pub read_only: Option<String>,
}

impl Code {
    pub fn build(sketch: &Sketch, language: Dialect) -> Code {
        let (text, lines, warnings, files, anchors, read_only) = match language {
            Dialect::Sam => {
                let out = formats::sam::export(sketch);
                let text = out.text().to_string();
                let lines = lines_of(&text);
                let mut anchors = sam_anchors(&lines);
                let mut read_only = None;
                if translate::needs_sam(sketch) {
                    anchors = rekey(anchors, &translate::sam_ids(sketch));
                    read_only = Some("translated from Terraform".into());
                }
                (text, lines, out.warnings, Vec::new(), anchors, read_only)
            }
            Dialect::Terraform => {
                let out = formats::terraform::export(sketch);
                let text = out.listing();
                let starts = formats::listing_starts(&out.files);
                let mut anchors = terraform_anchors(&out.files, &starts);
                let mut read_only = None;
                if translate::needs_terraform(sketch) {
                    anchors = rekey(anchors, &translate::terraform_ids(sketch));
                    read_only = Some("translated from SAM".into());
                }
                let lines = lines_of(&text);
                (text, lines, out.warnings, starts, anchors, read_only)
            }
        };
        Code {
            language,
            text,
            lines,
            anchors,
            warnings,
            files,
            read_only,
        }
    }
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// Anchors of a translation keyed by the sketch's own ids, so the selected
/// box is found in code that names it the other language's way.
fn rekey(
    anchors: HashMap<String, (usize, usize)>,
    ids: &HashMap<String, String>,
) -> HashMap<String, (usize, usize)> {
    ids.iter()
        .filter_map(|(own, theirs)| anchors.get(theirs).map(|a| (own.clone(), *a)))
        .collect()
}

/// Where each block of a Terraform folder is in its listing: from its first
/// line to the line after its closing brace.
fn terraform_anchors(
    files: &std::collections::BTreeMap<String, String>,
    starts: &[(String, usize)],
) -> HashMap<String, (usize, usize)> {
    let start_of: HashMap<&str, usize> = starts.iter().map(|(f, l)| (f.as_str(), *l)).collect();
    let line_at = |text: &str, byte: usize| {
        let b = text.as_bytes();
        b[..byte.min(b.len())]
            .iter()
            .filter(|c| **c == b'\n')
            .count()
    };
    formats::terraform::places(files)
        .into_iter()
        .filter_map(|(id, (file, span))| {
            let text = files.get(&file)?;
            let first = start_of.get(file.as_str())?;
            let a = line_at(text, span.start);
            // The span ends after the closing brace, on the brace's line.
            let b = line_at(text, span.end.saturating_sub(1)) + 1;
            Some((id, (first + a, first + b.max(a + 1))))
        })
        .collect()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Where each resource of a template (YAML or JSON) starts and ends: the
/// entries one level inside `Resources`.
fn sam_anchors(lines: &[String]) -> HashMap<String, (usize, usize)> {
    let mut out = HashMap::new();
    let Some(start) = lines.iter().position(|l| {
        let t = l.trim_start();
        t.starts_with("Resources:") || t.starts_with("\"Resources\"")
    }) else {
        return out;
    };
    let outer = indent_of(&lines[start]);
    let mut level: Option<usize> = None;
    let mut open: Option<(String, usize)> = None;
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent_of(line);
        if ind <= outer {
            end = i;
            break;
        }
        let lvl = *level.get_or_insert(ind);
        if ind == lvl {
            let key = t
                .trim_start_matches('"')
                .split(['"', ':'])
                .next()
                .unwrap_or("")
                .to_string();
            if key.is_empty() || key.starts_with('}') {
                continue;
            }
            if let Some((id, s)) = open.take() {
                out.insert(id, (s, i));
            }
            open = Some((key, i));
        }
    }
    if let Some((id, s)) = open {
        out.insert(id, (s, end));
    }
    out
}

/// Everything derived from the sketch.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    pub view: View,
    pub scene: Scene,
    pub warnings: Vec<Warning>,
    pub graph: Vec<GraphRow>,
    pub code: Code,
    pub cost: Option<CostReport>,
}

/// What needs working out again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stale {
    pub scene: bool,
    pub code: bool,
    pub cost: bool,
}

impl Stale {
    pub const ALL: Stale = Stale {
        scene: true,
        code: true,
        cost: true,
    };
    pub fn any(self) -> bool {
        self.scene || self.code || self.cost
    }
    pub fn merge(&mut self, other: Stale) {
        self.scene |= other.scene;
        self.code |= other.code;
        self.cost |= other.cost;
    }
}

/// What the derivation needs to know besides the sketch.
pub struct Settings<'a> {
    pub level: Level,
    /// In a folder of stacks, the stack drilled into.
    pub stack: Option<&'a str>,
    /// In a folder of stacks, the sketch whose code the code pane shows:
    /// one stack's, under its own ids.
    pub code: Option<&'a Sketch>,
    pub language: Dialect,
    pub frame: Frame,
    pub cost: &'a CostOptions,
    /// Groups drawn as one box each.
    pub collapsed: &'a std::collections::BTreeSet<String>,
}

impl Derived {
    pub fn update(&mut self, sketch: &Sketch, settings: &Settings, stale: Stale) {
        if stale.scene {
            self.view = View::of(sketch, settings.level);
            if let Some(st) = settings.stack.filter(|_| settings.level != Level::System) {
                self.view = std::mem::take(&mut self.view).within_stack(sketch, st);
            }
            if !settings.collapsed.is_empty() {
                self.view = std::mem::take(&mut self.view).collapse(settings.collapsed);
            }
            let previous = (self.view.level == settings.level
                && !self.scene.layout.boxes.is_empty()
                && self.scene.zoom == settings.frame.zoom
                && !settings.frame.fit)
                .then(|| std::mem::take(&mut self.scene.layout));
            self.scene = Scene::build(&self.view, previous, &settings.frame);
            self.warnings = checks::check(&self.view);
            checks::drop_joined(sketch, &mut self.warnings);
            self.graph = graph_rows(&self.view, &self.warnings);
        }
        if stale.code {
            self.code = Code::build(settings.code.unwrap_or(sketch), settings.language);
        }
        if stale.cost {
            self.cost = Some(cost::estimate(sketch, settings.cost));
        }
    }
}

// ------------------------------------------------------------ inspector

/// What the inspector can edit besides properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Label,
    Group,
}

/// One row of the inspector.
#[derive(Clone, Debug, PartialEq)]
pub enum InspectorRow {
    Heading(String),
    /// The service itself, at the top.
    Service(crate::catalog::Kind, String),
    /// A connection to or from the service.
    Link {
        out: bool,
        other: String,
        kind: ConnectionKind,
    },
    Field {
        label: &'static str,
        value: String,
        edit: Option<Field>,
    },
    Property {
        path: Vec<String>,
        value: String,
    },
    AddProperty,
    Text(String),
}

impl InspectorRow {
    pub fn selectable(&self) -> bool {
        matches!(
            self,
            InspectorRow::Field { edit: Some(_), .. }
                | InspectorRow::Property { .. }
                | InspectorRow::AddProperty
        )
    }
}

/// A value on one line, YAML flow style with short tags.
pub fn flow(v: &Value) -> String {
    let container = match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty() && !is_tag(m),
        _ => false,
    };
    if !container {
        let text = yaml::to_string(v);
        let t = text.trim_end();
        if !t.contains('\n') {
            return t.to_string();
        }
    }
    match v {
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn is_tag(m: &crate::model::Map) -> bool {
    m.len() == 1
        && m.keys()
            .next()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

fn flatten(prefix: &[String], map: &crate::model::Map, out: &mut Vec<InspectorRow>) {
    for (k, v) in map {
        let mut path = prefix.to_vec();
        path.push(k.clone());
        match v {
            Value::Object(m) if !m.is_empty() && !is_tag(m) => flatten(&path, m, out),
            _ => out.push(InspectorRow::Property {
                path,
                value: flow(v),
            }),
        }
    }
}

/// The inspector's rows for a box of the view.
pub fn inspector_rows(sketch: &Sketch, view: &View, id: &str) -> Vec<InspectorRow> {
    let mut rows = Vec::new();
    let Some(node) = view.node(id) else {
        rows.push(InspectorRow::Text("nothing selected".into()));
        return rows;
    };
    let Some(svc) = sketch.service(id) else {
        // A stack at the system level.
        rows.push(InspectorRow::Heading(node.label.clone()));
        rows.push(InspectorRow::Field {
            label: "kind",
            value: node.type_name.clone(),
            edit: None,
        });
        rows.push(InspectorRow::Field {
            label: "holds",
            value: node.hidden_text(),
            edit: None,
        });
        rows.push(InspectorRow::Text(
            if node.type_name == "group" {
                "o shows the services inside"
            } else {
                "z shows the services inside"
            }
            .to_string(),
        ));
        return rows;
    };
    rows.push(InspectorRow::Service(svc.kind, svc.id.clone()));
    let field = |label, value: String, edit| InspectorRow::Field { label, value, edit };
    rows.push(field("kind", svc.kind.entry().title.to_string(), None));
    rows.push(field("type", svc.type_name.clone(), None));
    rows.push(field(
        "label",
        svc.label.clone().unwrap_or_default(),
        Some(Field::Label),
    ));
    rows.push(field(
        "group",
        svc.group.clone().unwrap_or_default(),
        Some(Field::Group),
    ));
    if let Some(m) = &svc.multiplicity {
        rows.push(field("repeated", m.clone(), None));
    }
    if !node.hidden.is_empty() {
        rows.push(field("folds in", node.hidden_text(), None));
    }
    if let Some(p) = svc.position {
        rows.push(field("placed at", format!("{}, {}", p.x, p.y), None));
    }
    for (k, v) in &svc.usage {
        rows.push(InspectorRow::Text(format!("usage {k} = {}", flow(v))));
    }
    rows.push(InspectorRow::Heading("Properties".into()));
    if svc.implicit {
        rows.push(InspectorRow::Text(
            "made by SAM from the events that use it".into(),
        ));
    } else {
        let before = rows.len();
        flatten(&[], &svc.properties, &mut rows);
        if rows.len() == before {
            rows.push(InspectorRow::Text("none".into()));
        }
        rows.push(InspectorRow::AddProperty);
    }
    let outgoing = sketch.outgoing(id);
    let incoming = sketch.incoming(id);
    if !outgoing.is_empty() || !incoming.is_empty() {
        rows.push(InspectorRow::Heading("Connections".into()));
        for (to, c) in outgoing {
            rows.push(InspectorRow::Link {
                out: true,
                other: to.to_string(),
                kind: c.kind,
            });
        }
        for (from, c) in incoming {
            rows.push(InspectorRow::Link {
                out: false,
                other: from.to_string(),
                kind: c.kind,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shows_the_whole_diagram_in_the_pane() {
        let s = crate::document::example();
        let view = View::of(&s, Level::Service);
        for pane in [(60, 18), (40, 12), (24, 8)] {
            let frame = Frame {
                pane: Some(pane),
                fit: true,
                ..Frame::default()
            };
            let scene = Scene::build(&view, None, &frame);
            assert!(
                scene.grid.width <= pane.0 && scene.grid.height <= pane.1,
                "{}x{} in {pane:?} at {:?}",
                scene.grid.width,
                scene.grid.height,
                scene.zoom
            );
            assert_eq!(scene.layout.boxes.len(), view.nodes.len());
            assert!(scene.minimap.is_none());
        }
        // Without fit the same diagram is larger than the small pane, and
        // the mini-map says where the view is.
        let frame = Frame {
            pane: Some((40, 12)),
            ..Frame::default()
        };
        let scene = Scene::build(&view, None, &frame);
        assert!(scene.grid.width > 40 || scene.grid.height > 12);
        assert!(scene.minimap.is_some());
    }

    #[test]
    fn anchors_find_each_resource_block() {
        let s = crate::document::example();
        let code = Code::build(&s, Dialect::Sam);
        let (a, b) = code.anchors["Worker"];
        assert_eq!(code.lines[a].trim(), "Worker:");
        assert!(code.lines[a..b].iter().any(|l| l.contains("BatchSize")));
        assert!(!code.lines[a..b].iter().any(|l| l.contains("Results:")));
        for id in s.ids().filter(|id| !s.service(id).unwrap().implicit) {
            assert!(code.anchors.contains_key(id), "{id}");
        }
    }

    #[test]
    fn json_templates_have_anchors_too() {
        let lines: Vec<String> = "{\n  \"Resources\": {\n    \"Q\": {\n      \"Type\": \"AWS::SQS::Queue\"\n    },\n    \"T\": {\n      \"Type\": \"AWS::SNS::Topic\"\n    }\n  }\n}\n"
            .lines()
            .map(str::to_string)
            .collect();
        let a = sam_anchors(&lines);
        assert_eq!(a["Q"], (2, 5));
        assert_eq!(a["T"].0, 5);
    }

    #[test]
    fn properties_flatten_to_editable_paths() {
        let s = crate::document::example();
        let v = View::of(&s, Level::Service);
        let rows = inspector_rows(&s, &v, "Worker");
        assert!(rows.contains(&InspectorRow::Property {
            path: vec![
                "Environment".into(),
                "Variables".into(),
                "RESULTS_TABLE".into()
            ],
            value: "!Ref Results".into()
        }));
        assert!(rows.contains(&InspectorRow::Property {
            path: vec!["Policies".into()],
            value: "[{S3ReadPolicy: {BucketName: !Ref Uploads}}, {DynamoDBCrudPolicy: {TableName: !Ref Results}}]".into()
        }));
    }

    #[test]
    fn graph_rows_list_services_and_both_ends_of_links() {
        let s = crate::document::example();
        let v = View::of(&s, Level::Service);
        let rows = graph_rows(&v, &[]);
        let worker = rows
            .iter()
            .position(|r| *r == GraphRow::Service("Worker".into()))
            .unwrap();
        assert!(matches!(&rows[worker + 1], GraphRow::Link { at, .. } if at == "Worker"));
        let links = rows
            .iter()
            .filter(|r| matches!(r, GraphRow::Link { .. }))
            .count();
        assert_eq!(links, 2 * v.edges.len());
    }
}
