//! `render`: a sketch drawn as text on standard output, and the layout as
//! JSON for `export --to layout-json`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::LevelArg;
use super::io::{self, Result};
use crate::canvas::{self, CanvasOptions};
use crate::layout::{self, Direction, Layout, LayoutOptions};
use crate::model::{Level, Sketch, View, inert};

/// Width used when standard output is not a terminal.
pub const DEFAULT_WIDTH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    /// Left to right
    Lr,
    /// Top down
    Td,
}

impl From<DirectionArg> for Direction {
    fn from(d: DirectionArg) -> Direction {
        match d {
            DirectionArg::Lr => Direction::LeftRight,
            DirectionArg::Td => Direction::TopDown,
        }
    }
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// A template, Terraform folder, folder of stacks or .sketch.yaml file
    pub input: PathBuf,
    /// More templates or folders, read together with INPUT as one system
    #[arg(value_name = "MORE")]
    pub more: Vec<PathBuf>,
    /// Draw with plain ASCII instead of Unicode box drawing
    #[arg(long)]
    pub ascii: bool,
    /// Fold the diagram to this many columns (default: the terminal's
    /// width, or 100 when standard output is not a terminal)
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Which way arrows flow
    #[arg(long, value_enum, default_value = "lr")]
    pub direction: DirectionArg,
    /// Level of detail
    #[arg(long, value_enum, default_value = "service")]
    pub level: LevelArg,
    /// Read the functions' handler code and draw the calls it makes that
    /// the template does not declare (inferred arrows)
    #[arg(long)]
    pub code: bool,
    /// Draw the members of every group, also those saved collapsed (by
    /// default a collapsed group is drawn as one box, as in the whiteboard)
    #[arg(long)]
    pub expand: bool,
}

/// The width to fold to when none is given: the terminal's, as the shell
/// reports it in `COLUMNS`, or [`DEFAULT_WIDTH`].
pub fn default_width() -> usize {
    if !std::io::stdout().is_terminal() {
        return DEFAULT_WIDTH;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The diagram of a sketch as text, within `width` columns: folded, or
/// when folding is not enough, in parts one below the other. A group the
/// sketch marks collapsed is drawn as one box.
pub fn diagram(
    sketch: &Sketch,
    level: Level,
    direction: Direction,
    width: usize,
    ascii: bool,
) -> String {
    let view = View::of(sketch, level).collapse(&sketch.collapsed_groups());
    let parts = layout::fit(
        &view,
        &LayoutOptions {
            direction,
            max_width: Some(width),
            ..LayoutOptions::default()
        },
    );
    let opts = CanvasOptions {
        ascii,
        ..CanvasOptions::default()
    };
    if let [part] = parts.as_slice() {
        return canvas::draw(&part.view, &part.layout, &opts).to_text();
    }
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(&part_heading(k + 1, parts.len(), width, ascii));
        out.push('\n');
        out.push_str(&canvas::draw(&part.view, &part.layout, &opts).to_text());
    }
    out
}

/// `── part 2 of 7 ──`, no wider than `width`.
fn part_heading(k: usize, n: usize, width: usize, ascii: bool) -> String {
    let rule = if ascii { "--" } else { "──" };
    let full = format!("{rule} part {k} of {n} {rule}");
    if full.chars().count() <= width {
        full
    } else {
        format!("part {k} of {n}").chars().take(width).collect()
    }
}

pub fn run(a: RenderArgs) -> Result<()> {
    let mut loaded = io::load_inputs(&a.input, &a.more)?;
    if a.code {
        super::report_code(&io::code::with_code(&mut loaded));
    }
    if a.expand {
        for g in loaded.sketch.groups.values_mut() {
            g.collapsed = false;
        }
    }
    let width = a.width.unwrap_or_else(default_width);
    let text = diagram(
        &loaded.sketch,
        a.level.into(),
        a.direction.into(),
        width,
        a.ascii,
    );
    if text.is_empty() {
        eprintln!("{}: nothing to draw", inert(&io::display(&a.input)));
    }
    print_out(&text)
}

/// Writes a diagram to standard output, inertly; a reader that stops early
/// (`| head`) is fine.
pub fn print_out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out
        .write_all(inert(text).as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(io::Failure::Input(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

#[derive(Serialize)]
struct JsonBox<'a> {
    id: &'a str,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    points: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct JsonLayout<'a> {
    width: usize,
    height: usize,
    boxes: Vec<JsonBox<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

/// The layout as JSON: boxes and the corners of every arrow, in cells.
pub fn layout_json(layout: &Layout) -> String {
    let doc = JsonLayout {
        width: layout.width,
        height: layout.height,
        boxes: layout
            .boxes
            .iter()
            .map(|b| JsonBox {
                id: &b.id,
                x: b.x,
                y: b.y,
                w: b.w,
                h: b.h,
            })
            .collect(),
        edges: layout
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: &e.from,
                to: &e.to,
                kind: e.kind.word(),
                points: e.points.iter().map(|&(x, y)| [x, y]).collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the layout serializes");
    s.push('\n');
    crate::formats::json::inert_json(s)
}

/// A sketch's layout at a level, unfolded, as JSON.
pub fn sketch_layout_json(sketch: &Sketch, level: Level) -> String {
    let view = View::of(sketch, level);
    layout_json(&layout::layout(&view, &LayoutOptions::default()))
}
