//! The app's state and how input changes it. Events come in through
//! [`App::handle`], which never draws; [`App::settle`] then works out what
//! the edits changed, once per batch of events, before the next frame.

use std::path::{Path, PathBuf};

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui_textarea::{CursorMove, TextArea};

use super::action::Action;
use super::derived::{
    self, Derived, Field, GraphRow, InspectorRow, Settings, Stale, Zoom, inspector_rows,
};
use super::doc::Document;
use super::fuzzy::{self, Match};
use super::input::{LineInput, Outcome};
use super::keymap::Keymap;
use super::sync;
use super::theme::Theme;
use super::ui;
use crate::catalog::Kind;
use crate::command;
use crate::cost::{self, CostOptions, PriceTable, Slide};
use crate::formats::names::{pascal_case, snake_case};
use crate::formats::{self, yaml};
use crate::model::Dialect;
use crate::model::{ConnectionKind, Edit, Level, Position, Sketch};

/// The panes, in the order Tab visits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Canvas,
    Graph,
    Inspector,
    Code,
    Cost,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Canvas,
        Pane::Graph,
        Pane::Inspector,
        Pane::Code,
        Pane::Cost,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Pane::Canvas => "Canvas",
            Pane::Graph => "Graph",
            Pane::Inspector => "Inspector",
            Pane::Code => "Code",
            Pane::Cost => "Cost",
        }
    }
    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).expect("listed")
    }
    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// A direction on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Left,
    Down,
    Up,
    Right,
}

impl Dir {
    fn delta(self) -> (i32, i32) {
        match self {
            Dir::Left => (-1, 0),
            Dir::Right => (1, 0),
            Dir::Up => (0, -1),
            Dir::Down => (0, 1),
        }
    }
}

/// What a one-line prompt is asking for.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    Command,
    Search,
    /// The name of a new service of this kind.
    Name(Kind),
    Rename(String),
    Property {
        id: String,
        path: Vec<String>,
    },
    NewProperty(String),
    Field {
        id: String,
        field: Field,
    },
}

#[derive(Clone, Debug)]
pub struct Prompt {
    pub ask: Ask,
    pub input: LineInput,
    /// Where in the command history Up/Down has got to.
    history: Option<usize>,
}

/// The catalog palette opened by `a`.
#[derive(Clone, Debug)]
pub struct Palette {
    pub input: LineInput,
    pub kinds: Vec<Kind>,
    /// Indices into `kinds`, best first, with what matched.
    pub ranked: Vec<(usize, Match)>,
    pub cursor: usize,
}

impl Palette {
    fn new() -> Palette {
        let mut kinds: Vec<Kind> = Kind::all()
            .filter(|k| !k.is_glue() && !k.is_generic())
            .collect();
        kinds.sort_by_key(|k| (k.category(), k.word()));
        let mut p = Palette {
            input: LineInput::default(),
            kinds,
            ranked: Vec::new(),
            cursor: 0,
        };
        p.rank();
        p
    }
    fn rank(&mut self) {
        self.ranked = fuzzy::rank(self.input.text(), &self.kinds, |k| {
            let e = k.entry();
            let mut keys = vec![e.word.to_string(), e.title.to_string()];
            keys.extend(e.aliases.iter().map(|a| a.to_string()));
            keys
        });
        self.cursor = 0;
    }
    pub fn chosen(&self) -> Option<Kind> {
        self.ranked.get(self.cursor).map(|(i, _)| self.kinds[*i])
    }
}

/// Picking the other end of a new connection.
#[derive(Clone, Debug)]
pub struct Connecting {
    pub from: String,
    pub input: LineInput,
    pub candidates: Vec<(String, Match)>,
    pub target: Option<String>,
    /// Whether an arrow key has moved the highlight yet: the first one
    /// steps from the source, later ones from the highlight.
    pub moved: bool,
}

/// The code pane while it is being edited.
pub struct CodeEdit {
    pub area: TextArea<'static>,
    pub original: String,
    /// A parse error: its line (zero-based) and message.
    pub error: Option<(usize, String)>,
    /// Esc was pressed once over unapplied changes.
    pub confirm_leave: bool,
}

pub enum Mode {
    Normal,
    Help {
        scroll: u16,
    },
    Prompt(Prompt),
    Palette(Palette),
    Connect(Connecting),
    Code(Box<CodeEdit>),
    /// Unsaved work kept from an earlier run, offered back.
    Recover(Box<super::recovery::Recovery>),
    /// The message log; `scroll` counts lines up from its end.
    Messages {
        scroll: u16,
    },
    /// Stepping through the file's git history, read only.
    History(Box<super::timeline::Timeline>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// A mouse drag on the canvas: moving a box, or panning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drag {
    /// The box being moved, with its top-left corner when the drag began.
    pub id: Option<(String, (usize, usize))>,
    /// Where the drag began and where it is now, in screen cells.
    pub start: (u16, u16),
    pub now: (u16, u16),
    /// The canvas scroll when the drag began.
    pub scroll: (usize, usize),
}

/// How the app starts.
pub struct Options {
    pub theme: Theme,
    pub keymap: Keymap,
    pub ascii: bool,
    pub language: Dialect,
    pub budget_usd: f64,
    pub region: Option<String>,
    /// Problems with the config, shown once at start.
    pub notes: Vec<String>,
    /// For a new sketch: the file `:w` creates.
    pub new_path: Option<PathBuf>,
    /// Start stepping through the file's git history.
    pub history: bool,
    /// The editor handler code opens in (`$VISUAL`, `$EDITOR`, `vi` when
    /// not given).
    pub editor: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            theme: Theme::default(),
            keymap: Keymap::defaults(),
            ascii: false,
            language: Dialect::Sam,
            budget_usd: cost::DEFAULT_BUDGET_USD,
            region: None,
            notes: Vec::new(),
            new_path: None,
            history: false,
            editor: None,
        }
    }
}

/// What the keys do in the history, said when it opens.
fn history_keys(ascii: bool) -> String {
    let d = ui::symbols(ascii).dot;
    format!(
        "[ older {d} ] newer {d} z level {d} arrows or hjkl pan {d} pgup/pgdn the report {d} esc back to the sketch"
    )
}

/// How many messages the log keeps.
pub const LOG_LIMIT: usize = 1000;

/// How far one pan step goes, in cells.
const PAN_X: usize = 8;
const PAN_Y: usize = 4;
/// How far one move of a box goes.
const MOVE_X: i32 = 2;
const MOVE_Y: i32 = 1;

pub struct App {
    /// The code pane shows the selected function's handler, not the template.
    pub show_handler: bool,
    /// The handler code read for the document, and the folder its paths
    /// are shown from; read when first asked for, again after an edit.
    handlers: Option<(crate::code::handlers::Report, Option<PathBuf>)>,
    /// The handler view of the selected function, built when drawn.
    handler_cache: std::cell::RefCell<Option<crate::tui::handler::HandlerView>>,
    editor: String,
    /// A handler to open in the editor once the terminal is handed over:
    /// the file and the line.
    pub pending_editor: Option<(PathBuf, usize)>,
    /// The first handler line shown; `None` starts a little above the
    /// first call.
    pub handler_scroll: Option<usize>,
    pub doc: Document,
    pub level: Level,
    /// In a folder of stacks: the stack drilled into, if any.
    pub drill: Option<String>,
    pub selected: Option<String>,
    pub focus: Pane,
    /// The pane shown beside the canvas when there is room for only two.
    pub side: Pane,
    pub mode: Mode,
    pub keymap: Keymap,
    pub theme: Theme,
    pub ascii: bool,
    pub language: Dialect,
    pub region: Option<String>,
    pub cost_options: CostOptions,
    pub message: Option<Message>,
    /// The terminal's size, as of the last frame.
    pub size: (u16, u16),
    /// The canvas cell at the top-left of the canvas pane.
    pub scroll: (usize, usize),
    /// Whether the canvas scrolls to keep the selection in view (until the
    /// user pans away).
    follow: bool,
    pub graph_cursor: usize,
    pub graph_offset: usize,
    pub inspector_cursor: usize,
    pub inspector_offset: usize,
    pub code_scroll: usize,
    code_follow: bool,
    pub cost_cursor: usize,
    pub cost_offset: usize,
    pub search: Option<String>,
    history: Vec<String>,
    pub drag: Option<Drag>,
    pub derived: Derived,
    stale: Stale,
    /// The canvas pane (columns, rows) the layout was made for.
    laid_out_pane: Option<(usize, usize)>,
    /// How much of each box the canvas shows, unless fitting chooses.
    pub zoom: Zoom,
    /// Whether the canvas is laid out to show the whole diagram.
    pub fit: bool,
    pub quit: bool,
    /// For a new sketch: the file `:w` creates, until it is written.
    pub new_path: Option<PathBuf>,
    /// Whether the document is a new sketch rather than the example.
    pub fresh: bool,
    /// Every message shown, oldest first.
    pub log: Vec<Message>,
    /// What each edit on the undo and redo stacks did, in words, and the
    /// services it touched: what undo and redo say and select.
    undo_labels: Vec<(String, Vec<String>)>,
    redo_labels: Vec<(String, Vec<String>)>,
}

/// The language a new file at `path` is written in, by its name:
/// `.yaml`/`.json` a SAM template, `.tf` or a folder Terraform; a
/// `.sketch.yaml` file (or no name) leaves it to the config.
pub fn language_for(path: &std::path::Path) -> Option<Dialect> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".sketch.yaml") || name.ends_with(".sketch.yml") {
        None
    } else if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
        Some(Dialect::Sam)
    } else {
        Some(Dialect::Terraform)
    }
}

/// A path that does not exist yet and names no file (no `.yaml`, `.json`,
/// `.tf`...) is a folder to create: it gains the trailing separator that
/// says so to the writers.
pub fn folder_target(path: &std::path::Path) -> PathBuf {
    let text = path.to_string_lossy();
    let named = path
        .file_name()
        .map(|f| f.to_string_lossy().contains('.'))
        .unwrap_or(true);
    if path.exists() || named || text.ends_with(std::path::is_separator) {
        path.to_path_buf()
    } else {
        PathBuf::from(format!("{text}{}", std::path::MAIN_SEPARATOR))
    }
}

impl App {
    pub fn new(doc: Document, options: Options) -> App {
        let cost_options = CostOptions {
            free_tier: false,
            budget_usd: Some(options.budget_usd),
            usage_file: None,
            prices: PriceTable::embedded(),
        };
        let language = doc.language().unwrap_or(options.language);
        // A folder of stacks opens on the whole system.
        let level = if doc.sketch.stacks.is_empty() {
            Level::Service
        } else {
            Level::System
        };
        let fresh = options.new_path.is_some() || (doc.path.is_none() && doc.sketch.len() == 0);
        let mut app = App {
            show_handler: false,
            handlers: None,
            handler_cache: Default::default(),
            editor: options
                .editor
                .unwrap_or_else(crate::tui::handler::editor_from_env),
            pending_editor: None,
            handler_scroll: None,
            doc,
            level,
            drill: None,
            selected: None,
            focus: Pane::Canvas,
            side: Pane::Inspector,
            mode: Mode::Normal,
            keymap: options.keymap,
            theme: options.theme,
            ascii: options.ascii,
            // A file written in one language opens showing that language.
            language,
            region: options.region,
            cost_options,
            message: None,
            size: (120, 40),
            scroll: (0, 0),
            follow: true,
            graph_cursor: 0,
            graph_offset: 0,
            inspector_cursor: 0,
            inspector_offset: 0,
            code_scroll: 0,
            code_follow: true,
            cost_cursor: 0,
            cost_offset: 0,
            search: None,
            history: Vec::new(),
            drag: None,
            derived: Derived::default(),
            stale: Stale::ALL,
            laid_out_pane: None,
            zoom: Zoom::Full,
            fit: false,
            quit: false,
            fresh,
            log: Vec::new(),
            undo_labels: Vec::new(),
            redo_labels: Vec::new(),
            new_path: options.new_path.map(|p| folder_target(&p)),
        };
        let mut notes = options.notes;
        if let Some(r) = &app.region {
            let table = &app.cost_options.prices.region;
            if !table.is_empty() && r != table {
                notes.push(format!(
                    "prices are for {table}; the config asks for {r}, which has no price table yet"
                ));
            }
        }
        if notes.is_empty() {
            let help = app
                .keymap
                .key_of(Action::Help)
                .map(|k| format!("{k} shows the keys"))
                .unwrap_or_else(|| ":help shows the keys".into());
            let what = match (&app.doc.path, &app.new_path) {
                (None, Some(p)) => format!("a new sketch; :w creates {}", p.display()),
                (None, None) if app.fresh => {
                    "a new sketch; :w NAME.yaml, NAME.sketch.yaml or DIR/ writes it".to_string()
                }
                (None, None) => {
                    "the built-in example; nothing is written until :w NAME.yaml".to_string()
                }
                (Some(p), _) => format!("opened {}", p.display()),
            };
            app.info(format!("{what} {} {help}", ui::symbols(app.ascii).dot));
        } else {
            app.error(notes.join("; "));
        }
        if let Some(r) = super::recovery::find(app.recovery_key()) {
            app.info(format!(
                "unsaved work from {} was kept: r recovers it, d discards it, esc decides later",
                r.age()
            ));
            app.mode = Mode::Recover(Box::new(r));
        }
        if options.history {
            app.open_history();
        }
        app.settle();
        app
    }

    /// Shows the file's git history, its newest change first.
    pub fn open_history(&mut self) {
        let Some(path) = self.doc.path.clone() else {
            self.error("only a file opened from a git repository has a history to step through");
            return;
        };
        let (width, _) = ui::history::canvas_size(self.size);
        match super::timeline::Timeline::open(
            &path,
            self.level,
            self.ascii,
            self.cost_options.clone(),
            Some(width as usize),
        ) {
            Ok(t) => {
                self.mode = Mode::History(Box::new(t));
                self.info(history_keys(self.ascii));
            }
            Err(e) => self.error(e),
        }
    }

    /// Fits the history to its canvas and keeps its scroll within the
    /// picture.
    fn settle_history(&mut self) {
        let (w, h) = ui::history::canvas_size(self.size);
        let Mode::History(t) = &mut self.mode else {
            return;
        };
        t.fit((w > 0).then_some(w as usize));
        if let Some(shown) = &t.shown {
            let g = &shown.scene.grid;
            t.scroll.0 = t.scroll.0.min(g.width.saturating_sub(w as usize));
            t.scroll.1 = t.scroll.1.min(g.height.saturating_sub(h as usize));
        }
    }

    /// Keys while stepping through history; nothing here edits.
    fn history_key(&mut self, key: &KeyEvent, mut t: Box<super::timeline::Timeline>) {
        let action = self.keymap.action_for(key);
        let (sx, sy) = t.scroll;
        match (key.code, action) {
            (KeyCode::Esc | KeyCode::Char('q'), _) => {
                self.info("back to the sketch");
                return;
            }
            (KeyCode::Char('['), _) => {
                if !t.older() {
                    self.info(if t.at_first() {
                        "this is the first version: everything in it is new".to_string()
                    } else {
                        format!(
                            "this is the oldest of the last {} commits; `stacksketch diff REV:PATH PATH` compares older ones",
                            t.steps()
                        )
                    });
                }
            }
            (KeyCode::Char(']'), _) => {
                if !t.newer() {
                    self.info("this is the newest version");
                }
            }
            (KeyCode::Left | KeyCode::Char('h'), _) => t.scroll = (sx.saturating_sub(PAN_X), sy),
            (KeyCode::Right | KeyCode::Char('l'), _) => t.scroll = (sx + PAN_X, sy),
            (KeyCode::Up | KeyCode::Char('k'), _) => t.scroll = (sx, sy.saturating_sub(PAN_Y)),
            (KeyCode::Down | KeyCode::Char('j'), _) => t.scroll = (sx, sy + PAN_Y),
            (KeyCode::PageDown | KeyCode::Char(' '), _) => {
                t.report_scroll = t.report_scroll.saturating_add(10)
            }
            (KeyCode::PageUp, _) => t.report_scroll = t.report_scroll.saturating_sub(10),
            (_, Some(Action::Help)) => self.info(history_keys(self.ascii)),
            (_, Some(Action::CycleLevel)) => {
                self.set_level(self.level.next());
                t.set_level(self.level);
            }
            _ => self.info(format!(
                "the history is read only: {}",
                history_keys(self.ascii)
            )),
        }
        self.mode = Mode::History(t);
    }

    /// The answer to the offer of kept work: `r` takes it, `d` throws it
    /// away, anything else leaves it for next time.
    fn recover_key(&mut self, key: &KeyEvent, r: super::recovery::Recovery) {
        match key.code {
            KeyCode::Char('r') => {
                self.doc.sketch = r.sketch;
                self.doc.history.mark_unsaved();
                self.selected = None;
                self.derived = Derived::default();
                self.touch();
                self.info("recovered the unsaved work; :w saves it");
            }
            KeyCode::Char('d') => {
                let _ = std::fs::remove_file(&r.file);
                self.info("discarded the kept work");
            }
            KeyCode::Esc | KeyCode::Char('q') => {
                self.info(format!(
                    "the kept work stays in {}; it is offered again next time",
                    r.file.display()
                ));
            }
            _ => self.mode = Mode::Recover(Box::new(r)),
        }
    }

    // ------------------------------------------------------------ status

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), Tone::Info);
    }
    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), Tone::Error);
    }

    /// Shows a message in the status line and keeps it, in full, in the
    /// log (`:messages`), which holds the last [`LOG_LIMIT`].
    fn say(&mut self, text: String, tone: Tone) {
        let m = Message {
            text: crate::model::inert(&text).into_owned(),
            tone,
        };
        if self.log.len() >= LOG_LIMIT {
            self.log.remove(0);
        }
        self.log.push(m.clone());
        self.message = Some(m);
    }

    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    // ------------------------------------------------------------ derived

    /// The width the canvas folds diagrams to.
    fn fold_width(&self) -> Option<usize> {
        // Below a couple of boxes' width folding cannot help.
        ui::canvas_viewport(self)
            .map(|(w, _)| w as usize)
            .filter(|w| *w >= 30)
    }

    /// Works out what the last events changed, keeps the selection valid and
    /// in view. Called once per batch of events, before drawing.
    pub fn settle(&mut self) {
        self.settle_with(false);
    }

    /// Brings the canvas, graph and warnings up to date and leaves the
    /// code and the cost for later ([`App::settle`] or the next call), so an
    /// edit is on screen before the slower panes catch up.
    pub fn settle_scene(&mut self) {
        self.settle_with(true);
    }

    /// Whether the code or the cost is behind the sketch.
    pub fn behind(&self) -> bool {
        self.stale.code || self.stale.cost
    }

    fn settle_with(&mut self, defer: bool) {
        self.settle_history();
        let width = self.fold_width();
        let pane = width.and_then(|w| ui::canvas_viewport(self).map(|(_, h)| (w, h as usize)));
        if pane != self.laid_out_pane {
            // A new width is a new picture: the old one would hold the
            // boxes where they were and stop the fold.
            self.stale.scene = true;
            self.derived.scene.layout = Default::default();
        }
        if self.stale.any() && !(defer && !self.stale.scene) {
            let mut stale = std::mem::take(&mut self.stale);
            if defer {
                self.stale.code = std::mem::take(&mut stale.code);
                self.stale.cost = std::mem::take(&mut stale.cost);
            }
            let code = self.doc.stack_sketch(self.drill.as_deref());
            // Groups (and stacks drawn as frames) the sketch marks collapsed.
            let collapsed = self.doc.sketch.collapsed_groups();
            let settings = Settings {
                level: self.level,
                stack: self.drill.as_deref(),
                code: code.as_ref(),
                language: self.language,
                frame: derived::Frame {
                    pane,
                    zoom: self.zoom,
                    fit: self.fit,
                    ascii: self.ascii,
                },
                cost: &self.cost_options,
                collapsed: &collapsed,
            };
            self.derived.update(&self.doc.sketch, &settings, stale);
            self.laid_out_pane = pane;
        }
        let valid = self
            .selected
            .as_deref()
            .is_some_and(|id| self.derived.view.node(id).is_some());
        if !valid {
            self.selected = self.derived.view.nodes.first().map(|n| n.id.clone());
        }
        self.sync_cursors();
        self.keep_in_view();
    }

    fn touch(&mut self) {
        self.stale = Stale::ALL;
        self.forget_handlers();
    }

    /// Handler code is read again when next shown (after an edit, or the
    /// editor).
    fn forget_handlers(&mut self) {
        self.handlers = None;
        self.handler_cache.borrow_mut().take();
    }

    /// The selected function's handler, as the code pane shows it; `None`
    /// when the pane shows the template.
    pub fn handler_view(&self) -> Option<crate::tui::handler::HandlerView> {
        if !self.show_handler {
            return None;
        }
        let Some(id) = self.selected.clone() else {
            return Some(crate::tui::handler::HandlerView {
                note: Some("select a function to see its handler".into()),
                ..Default::default()
            });
        };
        if let Some(v) = self
            .handler_cache
            .borrow()
            .as_ref()
            .filter(|v| v.function == id)
        {
            return Some(v.clone());
        }
        let v = match &self.handlers {
            Some((report, base)) => {
                // A template's code is named from the template's folder.
                let folder = self
                    .doc
                    .path
                    .as_deref()
                    .filter(|p| p.is_file())
                    .and_then(Path::parent);
                crate::tui::handler::view(report, &id, base.as_deref(), folder)
            }
            None => crate::tui::handler::HandlerView {
                function: id,
                note: Some(
                    "only a template or folder opened from disk has handler code to show".into(),
                ),
                ..Default::default()
            },
        };
        *self.handler_cache.borrow_mut() = Some(v.clone());
        Some(v)
    }

    /// The first handler row the pane shows, `height` rows high: where
    /// the user scrolled, else from the top, or a little above the first
    /// call when that is further down than the pane reaches.
    pub fn handler_start(&self, v: &crate::tui::handler::HandlerView, height: usize) -> usize {
        // The last page is a full one.
        let last = v.rows.len().saturating_sub(height.max(1));
        self.handler_scroll
            .unwrap_or_else(|| match v.first_call_row() {
                Some(r) if r + 2 > height => r.saturating_sub(3),
                _ => 0,
            })
            .min(last)
    }

    fn scroll_handler(&mut self, by: i64) {
        let Some(v) = self.handler_view() else { return };
        let height = ui::pane_inner(self, Pane::Code).map_or(10, |r| r.height as usize);
        let at = self.handler_start(&v, height) as i64 + by;
        self.handler_scroll = Some(at.max(0) as usize);
        self.handler_scroll = Some(self.handler_start(&v, height));
    }

    /// Shows the selected function's handler in the code pane, or the
    /// template again.
    fn toggle_handler(&mut self) {
        self.show_handler = !self.show_handler;
        if !self.show_handler {
            self.info("the code pane shows the template");
            return;
        }
        self.focus_pane(Pane::Code);
        self.read_handlers();
        let key = |a: Action| {
            self.keymap
                .key_of(a)
                .map(|k| k.to_string())
                .unwrap_or_else(|| a.name().to_string())
        };
        self.info(format!(
            "the code pane shows the selected function's handler, its SDK calls marked; {} opens it in {}, {} shows the template",
            key(Action::EditHandler),
            self.editor,
            key(Action::Handler)
        ));
    }

    /// Reads the handler code once, when it is shown.
    fn read_handlers(&mut self) {
        if self.handlers.is_none() {
            self.handlers = self.doc.read_code();
            self.handler_cache.borrow_mut().take();
        }
    }

    /// Asks for the selected function's handler to be opened in the editor.
    fn edit_handler(&mut self) {
        self.read_handlers();
        let shown = self.show_handler;
        self.show_handler = true;
        let v = self.handler_view();
        self.show_handler = shown;
        match v {
            Some(v) if v.path.is_some() && !v.rows.is_empty() => {
                let line = v.first_call_line();
                self.pending_editor = v.path.map(|p| (p, line));
            }
            Some(v) => self.error(
                v.note
                    .unwrap_or_else(|| format!("{} has no handler file to open", v.function)),
            ),
            None => {}
        }
    }

    /// Runs the editor asked for, through `suspend`, which hands the
    /// terminal over while it runs; the handler is read again after.
    pub fn run_pending_editor(
        &mut self,
        suspend: impl FnOnce(&mut dyn FnMut()) -> std::io::Result<()>,
    ) {
        let Some((path, line)) = self.pending_editor.take() else {
            return;
        };
        let editor = self.editor.clone();
        let mut outcome = Err("the editor did not run".to_string());
        let ran = suspend(&mut || {
            outcome = crate::tui::handler::run_editor(&editor, &path, line);
        });
        self.forget_handlers();
        self.read_handlers();
        let shown = crate::document::display(&path);
        match (ran, outcome) {
            (Err(e), _) => self.error(format!("the terminal could not be handed over: {e}")),
            (_, Err(e)) => self.error(e),
            (_, Ok(status)) if !status.success() => self.error(format!(
                "`{editor}` ended with {status}; {shown} is read again"
            )),
            _ => self.info(format!("back from `{editor}`; {shown} is read again")),
        }
    }

    /// Moves list cursors to the selected service, unless they already
    /// point at it.
    fn sync_cursors(&mut self) {
        let Some(sel) = self.selected.clone() else {
            return;
        };
        let rows = &self.derived.graph;
        if rows.get(self.graph_cursor).and_then(GraphRow::service) != Some(sel.as_str()) {
            if let Some(i) = rows
                .iter()
                .position(|r| *r == GraphRow::Service(sel.clone()))
            {
                self.graph_cursor = i;
            }
        }
        self.graph_cursor = self.graph_cursor.min(rows.len().saturating_sub(1));
        if let Some(report) = &self.derived.cost {
            if let Some(i) = report.services.iter().position(|s| s.id == sel) {
                self.cost_cursor = i;
            }
            self.cost_cursor = self
                .cost_cursor
                .min(report.services.len().saturating_sub(1));
        }
        let n = self.inspector_rows().len();
        self.inspector_cursor = self.inspector_cursor.min(n.saturating_sub(1));
    }

    fn keep_in_view(&mut self) {
        let grid = &self.derived.scene.grid;
        if let Some((vw, vh)) = ui::canvas_viewport(self) {
            let (vw, vh) = (vw as usize, vh as usize);
            if self.follow {
                if let Some(b) = self
                    .selected
                    .as_deref()
                    .and_then(|id| self.derived.scene.layout.box_of(id))
                {
                    self.scroll.0 = scroll_to(self.scroll.0, b.x, b.w, vw);
                    self.scroll.1 = scroll_to(self.scroll.1, b.y, b.h, vh);
                }
            }
            self.scroll.0 = self.scroll.0.min(grid.width.saturating_sub(vw));
            self.scroll.1 = self.scroll.1.min(grid.height.saturating_sub(vh));
        }
        let page = |app: &App, pane| ui::pane_inner(app, pane).map(|r| r.height as usize);
        if let Some(h) = page(self, Pane::Graph) {
            // Show a service's connections with it, as far as they fit.
            let rows = &self.derived.graph;
            let links = rows
                .iter()
                .skip(self.graph_cursor + 1)
                .take_while(|r| matches!(r, GraphRow::Link { .. }))
                .count();
            let end = self.graph_cursor + links.min(h.saturating_sub(1));
            self.graph_offset = list_offset(self.graph_offset, end, h);
            self.graph_offset = list_offset(self.graph_offset, self.graph_cursor, h);
        }
        if let Some(h) = page(self, Pane::Inspector) {
            self.inspector_offset = list_offset(self.inspector_offset, self.inspector_cursor, h);
        }
        if let Some(h) = page(self, Pane::Cost) {
            self.cost_offset = list_offset(self.cost_offset, self.cost_cursor, h.saturating_sub(4));
        }
        if let Some(h) = page(self, Pane::Code) {
            let lines = self.derived.code.lines.len();
            if self.code_follow {
                if let Some(&(a, b)) = self
                    .selected
                    .as_deref()
                    .and_then(|id| self.derived.code.anchors.get(id))
                {
                    if a < self.code_scroll || b > self.code_scroll + h {
                        self.code_scroll = a.saturating_sub(1);
                    }
                }
            }
            self.code_scroll = self.code_scroll.min(lines.saturating_sub(h.min(lines)));
        }
    }

    pub fn inspector_rows(&self) -> Vec<InspectorRow> {
        match &self.selected {
            Some(id) => inspector_rows(&self.doc.sketch, &self.derived.view, id),
            None => vec![InspectorRow::Text(
                "nothing selected: a adds a service".into(),
            )],
        }
    }

    // ------------------------------------------------------------ events

    /// Updates the state for one event. Never draws.
    pub fn handle(&mut self, event: &Event) {
        // Code and cost left behind for a quicker frame are caught up
        // before anything can read them.
        if self.behind() {
            self.settle();
        }
        // The history is read only: the mouse and pastes cannot reach the
        // sketch under it.
        let history = matches!(self.mode, Mode::History(_));
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            Event::Mouse(_) | Event::Paste(_) if history => {}
            Event::Mouse(m) => self.mouse(m),
            Event::Paste(text) => self.paste(text),
            Event::Resize(w, h) => self.size = (*w, *h),
            _ => {}
        }
    }

    fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Prompt(p) => p.input.insert(text.lines().next().unwrap_or("")),
            Mode::Palette(p) => {
                p.input.insert(text.lines().next().unwrap_or(""));
                p.rank();
            }
            Mode::Code(c) => {
                c.area.insert_str(text);
            }
            _ => {}
        }
    }

    fn key(&mut self, key: &KeyEvent) {
        // A mode may hand the key back (a prompt that closed).
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => {
                if let Some(a) = self.keymap.action_for(key) {
                    self.act(a);
                }
            }
            Mode::Help { scroll } => self.help_key(key, scroll),
            Mode::Prompt(p) => self.prompt_key(key, p),
            Mode::Palette(p) => self.palette_key(key, p),
            Mode::Connect(c) => self.connect_key(key, c),
            Mode::Code(c) => self.code_key(key, c),
            Mode::Recover(r) => self.recover_key(key, *r),
            Mode::Messages { scroll } => self.messages_key(key, scroll),
            Mode::History(t) => self.history_key(key, t),
        }
    }

    fn help_key(&mut self, key: &KeyEvent, scroll: u16) {
        let action = self.keymap.action_for(key);
        let scroll = match (key.code, action) {
            (_, Some(Action::Help | Action::Cancel | Action::Quit)) => return,
            (KeyCode::Char('j') | KeyCode::Down, _) => scroll.saturating_add(1),
            (KeyCode::Char('k') | KeyCode::Up, _) => scroll.saturating_sub(1),
            (KeyCode::PageDown | KeyCode::Char(' '), _) => scroll.saturating_add(10),
            (KeyCode::PageUp, _) => scroll.saturating_sub(10),
            (KeyCode::Home, _) => 0,
            _ => scroll,
        };
        self.mode = Mode::Help { scroll };
    }

    fn messages_key(&mut self, key: &KeyEvent, scroll: u16) {
        let action = self.keymap.action_for(key);
        let scroll = match (key.code, action) {
            (_, Some(Action::Messages | Action::Cancel | Action::Quit)) => return,
            (KeyCode::Char('k') | KeyCode::Up, _) => scroll.saturating_add(1),
            (KeyCode::Char('j') | KeyCode::Down, _) => scroll.saturating_sub(1),
            (KeyCode::PageUp, _) => scroll.saturating_add(10),
            (KeyCode::PageDown | KeyCode::Char(' '), _) => scroll.saturating_sub(10),
            (KeyCode::End, _) => 0,
            _ => scroll,
        };
        self.mode = Mode::Messages { scroll };
    }

    // ------------------------------------------------------------ actions

    /// Carries out one action of the normal mode.
    pub fn act(&mut self, action: Action) {
        if !matches!(action, Action::SearchNext | Action::SearchPrev) {
            self.message = None;
        }
        match action {
            Action::SelectLeft => self.select_dir(Dir::Left),
            Action::SelectDown => self.select_dir(Dir::Down),
            Action::SelectUp => self.select_dir(Dir::Up),
            Action::SelectRight => self.select_dir(Dir::Right),
            Action::PanLeft => self.pan(-(PAN_X as i64), 0),
            Action::PanRight => self.pan(PAN_X as i64, 0),
            Action::PanUp => self.pan(0, -(PAN_Y as i64)),
            Action::PanDown => self.pan(0, PAN_Y as i64),
            Action::PageUp => self.page(-1),
            Action::PageDown => self.page(1),
            Action::NextPane => self.focus_pane(self.focus.next()),
            Action::PrevPane => self.focus_pane(self.focus.prev()),
            Action::FocusCanvas => self.focus_pane(Pane::Canvas),
            Action::FocusGraph => self.focus_pane(Pane::Graph),
            Action::FocusInspector => self.focus_pane(Pane::Inspector),
            Action::FocusCode => self.focus_pane(Pane::Code),
            Action::FocusCost => self.focus_pane(Pane::Cost),
            Action::Search => {
                self.mode = Mode::Prompt(Prompt {
                    ask: Ask::Search,
                    input: LineInput::default(),
                    history: None,
                })
            }
            Action::SearchNext => self.search_step(1),
            Action::SearchPrev => self.search_step(-1),
            Action::CycleLevel => self.set_level(self.level.next()),
            Action::UpLevel => self.drill_up(),
            Action::Fit => self.toggle_fit(),
            Action::Collapse => self.toggle_collapse(),
            Action::Zoom => self.set_zoom(self.zoom.next()),
            Action::Add => self.mode = Mode::Palette(Palette::new()),
            Action::Connect => self.start_connect(),
            Action::Delete => self.delete(),
            Action::Rename => self.start_rename(),
            Action::MoveLeft => self.move_box(Dir::Left),
            Action::MoveDown => self.move_box(Dir::Down),
            Action::MoveUp => self.move_box(Dir::Up),
            Action::MoveRight => self.move_box(Dir::Right),
            Action::Activate => self.activate(),
            Action::UsageUp => self.slide(Slide::Double),
            Action::UsageDown => self.slide(Slide::Halve),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::SwitchLanguage => {
                self.language = self.language.other();
                self.stale.code = true;
                self.code_follow = true;
                self.info(format!("code shown as {}", self.language.title()));
            }
            Action::Save => self.run_command("w"),
            Action::Command => {
                self.mode = Mode::Prompt(Prompt {
                    ask: Ask::Command,
                    input: LineInput::default(),
                    history: None,
                })
            }
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Messages => self.mode = Mode::Messages { scroll: 0 },
            Action::Cancel => {
                self.drag = None;
            }
            Action::Quit => self.try_quit(false),
            Action::History => self.open_history(),
            Action::Handler => self.toggle_handler(),
            Action::EditHandler => self.edit_handler(),
        }
    }

    fn focus_pane(&mut self, pane: Pane) {
        self.focus = pane;
        if pane != Pane::Canvas {
            self.side = pane;
        }
    }

    pub fn select(&mut self, id: &str) {
        if self.selected.as_deref() != Some(id) {
            self.handler_scroll = None;
            self.selected = Some(id.to_string());
            self.follow = true;
            self.code_follow = true;
        }
    }

    fn select_dir(&mut self, dir: Dir) {
        match self.focus {
            Pane::Canvas => {
                let from = self.selected.clone();
                let next = match &from {
                    Some(id) => pick_direction(&self.derived.scene.layout, id, dir),
                    None => self.derived.view.nodes.first().map(|n| n.id.clone()),
                };
                match next {
                    Some(id) => self.select(&id),
                    None => self.follow = true,
                }
            }
            Pane::Graph => {
                let step: i64 = match dir {
                    Dir::Up => -1,
                    Dir::Down => 1,
                    // Left and right jump between services, over their links.
                    Dir::Left | Dir::Right => {
                        let rows = &self.derived.graph;
                        let range: Box<dyn Iterator<Item = usize>> = if dir == Dir::Right {
                            Box::new(self.graph_cursor + 1..rows.len())
                        } else {
                            Box::new((0..self.graph_cursor).rev())
                        };
                        let mut found = None;
                        for i in range {
                            if matches!(rows[i], GraphRow::Service(_)) {
                                found = Some(i);
                                break;
                            }
                        }
                        if let Some(i) = found {
                            self.graph_to(i);
                        }
                        return;
                    }
                };
                let n = self.derived.graph.len();
                if n > 0 {
                    let i = (self.graph_cursor as i64 + step).clamp(0, n as i64 - 1) as usize;
                    self.graph_to(i);
                }
            }
            Pane::Inspector => {
                let rows = self.inspector_rows();
                let step: i64 = match dir {
                    Dir::Up | Dir::Left => -1,
                    Dir::Down | Dir::Right => 1,
                };
                let mut i = self.inspector_cursor as i64;
                loop {
                    i += step;
                    if i < 0 || i >= rows.len() as i64 {
                        break;
                    }
                    if rows[i as usize].selectable() {
                        self.inspector_cursor = i as usize;
                        break;
                    }
                }
            }
            Pane::Code if self.show_handler => match dir {
                Dir::Up => self.scroll_handler(-1),
                Dir::Down => self.scroll_handler(1),
                _ => return,
            },
            Pane::Code => match dir {
                Dir::Up => self.code_scroll = self.code_scroll.saturating_sub(1),
                Dir::Down => self.code_scroll += 1,
                _ => return,
            },
            Pane::Cost => {
                let Some(report) = &self.derived.cost else {
                    return;
                };
                let n = report.services.len();
                if n == 0 {
                    return;
                }
                let i = match dir {
                    Dir::Up | Dir::Left => self.cost_cursor.saturating_sub(1),
                    Dir::Down | Dir::Right => (self.cost_cursor + 1).min(n - 1),
                };
                self.cost_cursor = i;
                let id = report.services[i].id.clone();
                if self.derived.view.node(&id).is_some() {
                    self.select(&id);
                }
            }
        }
        if self.focus == Pane::Code {
            self.code_follow = false;
        }
    }

    fn graph_to(&mut self, i: usize) {
        self.graph_cursor = i;
        let row = self.derived.graph[i].clone();
        if let Some(id) = row.service() {
            self.select(id);
        } else if let GraphRow::Warning(w) = row {
            let subject = self.derived.warnings[w].subject().to_string();
            if self.derived.view.node(&subject).is_some() {
                self.selected = Some(subject);
                self.follow = true;
                self.code_follow = true;
            }
        }
    }

    fn pan(&mut self, dx: i64, dy: i64) {
        self.follow = false;
        self.scroll.0 = (self.scroll.0 as i64 + dx).max(0) as usize;
        self.scroll.1 = (self.scroll.1 as i64 + dy).max(0) as usize;
    }

    fn page(&mut self, way: i64) {
        let h = ui::pane_inner(self, self.focus)
            .map(|r| r.height.max(2) as i64 - 1)
            .unwrap_or(10);
        match self.focus {
            Pane::Canvas => self.pan(0, way * h),
            Pane::Code if self.show_handler => self.scroll_handler(way * h),
            Pane::Code => {
                self.code_follow = false;
                self.code_scroll = (self.code_scroll as i64 + way * h).max(0) as usize;
            }
            Pane::Graph => {
                let n = self.derived.graph.len() as i64;
                if n > 0 {
                    let i = (self.graph_cursor as i64 + way * h).clamp(0, n - 1) as usize;
                    self.graph_to(i);
                }
            }
            Pane::Inspector | Pane::Cost => {
                for _ in 0..h {
                    self.select_dir(if way > 0 { Dir::Down } else { Dir::Up });
                }
            }
        }
    }

    fn set_level(&mut self, level: Level) {
        if level == Level::System {
            // Selection survives: the stack of the selected service.
            if let Some(st) = self.selected.as_deref().and_then(crate::model::stack_of) {
                self.selected = Some(st.to_string());
            }
            if self.drill.take().is_some() {
                self.stale.code = true;
            }
        } else if let Some(stack) = self
            .selected
            .clone()
            .filter(|s| self.doc.sketch.stacks.iter().any(|x| x.id == *s))
        {
            // From a stack's box to its first service.
            self.selected = self
                .doc
                .sketch
                .services()
                .find(|s| crate::model::stack_of(&s.id) == Some(stack.as_str()))
                .map(|s| s.id.clone());
        }
        self.level = level;
        self.touch();
        self.follow = true;
        self.info(format!("{} level", level.word()));
    }

    fn search_step(&mut self, way: i64) {
        let Some(q) = self.search.clone() else {
            self.info("no search yet: / searches");
            return;
        };
        let hits = self.search_hits(&q);
        if hits.is_empty() {
            self.error(format!("no service matches `{q}`"));
            return;
        }
        let at = self
            .selected
            .as_deref()
            .and_then(|s| hits.iter().position(|h| h == s));
        let n = hits.len() as i64;
        let i = match at {
            Some(i) => (i as i64 + way).rem_euclid(n) as usize,
            None => 0,
        };
        let id = hits[i].clone();
        self.select(&id);
        self.info(format!("/{q}: {} of {}", i + 1, hits.len()));
    }

    /// Services matching a search, best first.
    pub fn search_hits(&self, q: &str) -> Vec<String> {
        let nodes = &self.derived.view.nodes;
        fuzzy::rank(q, nodes, |n| {
            vec![n.label.clone(), n.id.clone(), n.kind.word().to_string()]
        })
        .into_iter()
        .map(|(i, _)| nodes[i].id.clone())
        .collect()
    }

    /// The selected service, when it is a service of the sketch (not a
    /// stack at the system level). Says why not otherwise.
    fn selected_service(&mut self) -> Option<String> {
        match &self.selected {
            Some(id) if self.doc.sketch.contains(id) => Some(id.clone()),
            Some(_) => {
                self.error("at the system level boxes are stacks; z shows their services");
                None
            }
            None => {
                self.error("nothing is selected");
                None
            }
        }
    }

    // ------------------------------------------------------------ edits

    /// Applies an edit through the history and tells the user.
    fn apply(&mut self, edit: Edit, message: String) -> bool {
        let added = match &edit {
            Edit::AddService { service, .. } => Some(service.id.clone()),
            // A service added with what it comes with (a function's log group).
            Edit::Batch(v) => match v.first() {
                Some(Edit::AddService { service, .. }) => Some(service.id.clone()),
                _ => None,
            },
            _ => None,
        };
        let renamed = match &edit {
            Edit::Batch(v) => v.iter().find_map(|e| match e {
                Edit::Rename { from, to } => Some((from.clone(), to.clone())),
                _ => None,
            }),
            _ => None,
        };
        let touched: Vec<String> = edit.touched().into_iter().map(str::to_string).collect();
        let only_places = edit.only_places();
        match self.doc.apply(edit) {
            Ok(()) => {
                self.undo_labels.push((message.clone(), touched));
                self.redo_labels.clear();
                if only_places {
                    // The code and the cost do not depend on where boxes are.
                    self.stale.scene = true;
                } else {
                    self.touch();
                }
                if let Some(id) = added {
                    self.select(&id);
                }
                if let Some((from, to)) = renamed {
                    if self.selected.as_deref() == Some(from.as_str()) {
                        self.select(&to);
                    }
                }
                self.info(message);
                true
            }
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    /// Plans a line of the command language and applies it.
    fn run_plan(&mut self, line: &str) -> bool {
        match command::plan(&self.doc.sketch, line) {
            Ok(Some(p)) => self.apply(p.edit, p.message),
            Ok(None) => false,
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    fn undo(&mut self) {
        match self.doc.undo() {
            Ok(true) => {
                self.touch();
                let label = self.undo_labels.pop();
                self.after_history("undone", label.as_ref());
                if let Some(l) = label {
                    self.redo_labels.push(l);
                }
            }
            Ok(false) => self.info("nothing to undo"),
            Err(e) => self.error(e),
        }
    }

    fn redo(&mut self) {
        match self.doc.redo() {
            Ok(true) => {
                self.touch();
                let label = self.redo_labels.pop();
                self.after_history("redone", label.as_ref());
                if let Some(l) = label {
                    self.undo_labels.push(l);
                }
            }
            Ok(false) => self.info("nothing to redo"),
            Err(e) => self.error(e),
        }
    }

    /// Says what undo or redo did and selects the service it touched that
    /// is still there (the one undone, not some other).
    fn after_history(&mut self, done: &str, label: Option<&(String, Vec<String>)>) {
        let Some((what, touched)) = label else {
            self.info(done);
            return;
        };
        // A rename's edit names the old and the new id: either may be here.
        let here = touched
            .iter()
            .rev()
            .find(|id| {
                self.doc.sketch.contains(id)
                    || self.doc.sketch.groups.get(*id).is_some_and(|g| g.collapsed)
            })
            .cloned();
        match here {
            Some(id) => self.select(&id),
            None => self.selected = None,
        }
        self.info(format!("{done}: {what}"));
    }

    /// Forgets what the undo history said, when the document is replaced.
    fn forget_history_labels(&mut self) {
        self.undo_labels.clear();
        self.redo_labels.clear();
    }

    fn delete(&mut self) {
        match self.focus {
            Pane::Graph => {
                if let Some(GraphRow::Link { from, to, kind, .. }) =
                    self.derived.graph.get(self.graph_cursor).cloned()
                {
                    self.run_plan(&format!(
                        "disconnect {} {} {kind}",
                        quote(&from),
                        quote(&to)
                    ));
                    return;
                }
            }
            Pane::Inspector => {
                let rows = self.inspector_rows();
                if let (Some(InspectorRow::Property { path, .. }), Some(id)) =
                    (rows.get(self.inspector_cursor), self.selected.clone())
                {
                    let text = path.join(".");
                    self.apply(
                        Edit::SetProperty {
                            id: id.clone(),
                            path: path.clone(),
                            value: None,
                        },
                        format!("removed {id} {text}"),
                    );
                    return;
                }
            }
            _ => {}
        }
        if let Some(id) = self.selected_service() {
            if self.run_plan(&format!("delete {}", quote(&id))) {
                if let Some(u) = self.keymap.key_of(Action::Undo) {
                    if let Some(m) = &mut self.message {
                        m.text.push_str(&format!(" ({u} undoes)"));
                    }
                }
            }
        }
    }

    fn start_rename(&mut self) {
        if let Some(id) = self.selected_service() {
            if self.doc.sketch.service(&id).is_some_and(|s| s.implicit) {
                self.error(format!("`{id}` is made by SAM and keeps SAM's name"));
                return;
            }
            let short = crate::model::short_name(&id).to_string();
            self.mode = Mode::Prompt(Prompt {
                ask: Ask::Rename(id),
                input: LineInput::new(&short),
                history: None,
            });
        }
    }

    // ------------------------------------------------------------ zoom and fit

    /// Collapses the selected service's group into one box, or expands the
    /// selected group box again. The group keeps being drawn so, and is
    /// saved so (in the sketch file, or the layout file beside a
    /// template); undo takes it back.
    fn toggle_collapse(&mut self) {
        let Some(sel) = self.selected.clone() else {
            return self.info("select a service in a group first");
        };
        self.follow = true;
        let member_of = |app: &App, group: &str| {
            app.doc
                .sketch
                .services()
                .find(|s| s.group.as_deref() == Some(group))
                .map(|s| s.id.clone())
        };
        if self
            .doc
            .sketch
            .groups
            .get(&sel)
            .is_some_and(|g| g.collapsed)
        {
            let member = member_of(self, &sel);
            let edit = Edit::Collapse {
                id: sel.clone(),
                collapsed: false,
            };
            if self.apply(edit, format!("expanded {sel}")) {
                if let Some(m) = &member {
                    self.select(m);
                }
                self.label_last(member.into_iter().chain([sel]).collect());
            }
            return;
        }
        let Some(group) = self.derived.view.node(&sel).and_then(|n| n.group.clone()) else {
            return self.info(format!("{sel} is in no group or frame to collapse"));
        };
        let keys = self.keymap.keys_of(Action::Collapse).join("/");
        let edit = Edit::Collapse {
            id: group.clone(),
            collapsed: true,
        };
        if self.apply(edit, format!("collapsed {group}")) {
            self.label_last(vec![sel, group.clone()]);
            self.selected = Some(group.clone());
            self.info(format!("collapsed {group} ({keys} expands it)"));
        }
    }

    /// What undo and redo select for the last edit: the last of `ids` that
    /// is then a service or a collapsed group.
    fn label_last(&mut self, ids: Vec<String>) {
        if let Some(l) = self.undo_labels.last_mut() {
            l.1 = ids;
        }
    }

    /// Fits the whole diagram in the canvas, or goes back to the zoom
    /// chosen before.
    fn toggle_fit(&mut self) {
        self.fit = !self.fit;
        self.stale.scene = true;
        self.scroll = (0, 0);
        self.follow = true;
        let m = if self.fit {
            "fit: the whole diagram in the canvas".to_string()
        } else {
            format!("fit off: {} boxes", self.zoom.word())
        };
        self.info(m);
    }

    fn set_zoom(&mut self, zoom: Zoom) {
        self.zoom = zoom;
        self.fit = false;
        self.stale.scene = true;
        self.follow = true;
        self.info(format!("zoom: {}", zoom.word()));
    }

    fn move_box(&mut self, dir: Dir) {
        if self.focus != Pane::Canvas {
            self.focus_pane(Pane::Canvas);
        }
        if self.derived.scene.zoom == Zoom::Overview {
            self.info("boxes move at full or compact zoom");
            return;
        }
        let Some(id) = self.selected_service() else {
            return;
        };
        // A box already placed by hand moves from where it was put, so
        // moves made before the next relayout (a held key) add up.
        let placed = self.doc.sketch.service(&id).and_then(|s| s.position);
        let Some((bx, by)) = placed.map(|p| (p.x, p.y)).or_else(|| {
            self.derived
                .scene
                .layout
                .box_of(&id)
                .map(|b| (b.x as i32, b.y as i32))
        }) else {
            return;
        };
        let (dx, dy) = dir.delta();
        let x = (bx + dx * MOVE_X).max(0);
        let y = (by + dy * MOVE_Y).max(0);
        self.follow = true;
        self.move_to(&id, x, y);
    }

    /// Moves one box by hand, and keeps every other box where it is on
    /// screen: the boxes laid out automatically are placed where they are
    /// now, in the same undoable step, so that moving one box (or adding a
    /// service later) does not send its neighbours elsewhere. A box in the
    /// way of the moved one is left to the layout, which finds it room.
    fn move_to(&mut self, id: &str, x: i32, y: i32) {
        let boxes = &self.derived.scene.layout.boxes;
        let Some(moved) = boxes.iter().find(|b| b.id == id) else {
            return;
        };
        let (x0, y0) = (i64::from(x), i64::from(y));
        let (x1, y1) = (x0 + moved.w as i64, y0 + moved.h as i64);
        let in_the_way = |b: &crate::layout::BoxPlacement| {
            let (bx, by) = (b.x as i64, b.y as i64);
            bx < x1 + 1 && x0 < bx + b.w as i64 + 1 && by < y1 + 1 && y0 < by + b.h as i64 + 1
        };
        let sketch = &self.doc.sketch;
        let mut edits: Vec<Edit> = boxes
            .iter()
            .filter(|b| b.id != id)
            .filter_map(|b| {
                let by_hand = sketch.service(&b.id)?.position.is_some();
                let position = match (in_the_way(b), by_hand) {
                    (false, false) => Some(Position {
                        x: b.x as i32,
                        y: b.y as i32,
                    }),
                    (true, true) => None,
                    _ => return None,
                };
                Some(Edit::Move {
                    id: b.id.clone(),
                    position,
                })
            })
            .collect();
        edits.push(Edit::Move {
            id: id.to_string(),
            position: Some(Position { x, y }),
        });
        let edit = match edits.len() {
            1 => edits.pop().expect("one edit"),
            _ => Edit::Batch(edits),
        };
        self.apply(edit, format!("moved {id} to {x},{y}"));
    }

    fn slide(&mut self, way: Slide) {
        let Some(id) = self.selected_service() else {
            return;
        };
        match cost::slide(&self.doc.sketch, &self.cost_options, &id, way) {
            Some(edit) => {
                let what = match &edit {
                    Edit::SetUsage {
                        key,
                        value: Some(v),
                        ..
                    } => format!(
                        "{id}: {key} = {}",
                        crate::cost::quantity(v.as_f64().unwrap_or(0.0))
                    ),
                    _ => format!("{id}: usage changed"),
                };
                self.apply(edit, what);
            }
            None => self.info(format!("{id} has no usage to change")),
        }
    }

    /// Enter on a stack's box at the system level opens that stack.
    fn drill_into(&mut self, stack: String) {
        let first = self
            .doc
            .sketch
            .services()
            .find(|s| crate::model::stack_of(&s.id) == Some(stack.as_str()))
            .map(|s| s.id.clone());
        self.drill = Some(stack.clone());
        self.level = Level::Service;
        self.touch();
        self.stale.code = true;
        self.code_follow = true;
        self.follow = true;
        self.selected = first;
        self.info(format!("{stack}: its services; backspace goes back up"));
    }

    /// Back up from a stack to the whole system, the stack selected.
    fn drill_up(&mut self) {
        match self.drill.take() {
            Some(stack) => {
                self.level = Level::System;
                self.touch();
                self.stale.code = true;
                self.follow = true;
                self.selected = Some(stack);
                self.info("system level");
            }
            None if !self.doc.sketch.stacks.is_empty() && self.level != Level::System => {
                let stack = self
                    .selected
                    .as_deref()
                    .and_then(crate::model::stack_of)
                    .map(str::to_string);
                self.set_level(Level::System);
                if let Some(s) = stack {
                    self.selected = Some(s);
                }
            }
            None => self.info("nothing to go back up to"),
        }
    }

    /// The canvas pane's title: the level, and in a folder of stacks the
    /// path drilled (`repo › orders › service`).
    pub fn canvas_title(&self, dot: &str) -> String {
        if self.doc.sketch.stacks.is_empty() {
            return format!("{dot} {} level", self.level.word());
        }
        let mut parts = vec![self.title()];
        if let Some(s) = &self.drill {
            parts.push(s.clone());
        }
        parts.push(self.level.word().to_string());
        format!("{dot} {}", parts.join(" › "))
    }

    fn activate(&mut self) {
        if self.level == Level::System
            && self.focus == Pane::Canvas
            && let Some(stack) = self
                .selected
                .clone()
                .filter(|s| self.doc.sketch.stacks.iter().any(|x| x.id == *s))
        {
            self.drill_into(stack);
            return;
        }
        match self.focus {
            Pane::Canvas | Pane::Graph | Pane::Cost => {
                if let (Pane::Graph, Some(GraphRow::Link { at, from, to, .. })) = (
                    self.focus,
                    self.derived.graph.get(self.graph_cursor).cloned(),
                ) {
                    let other = if at == from { to } else { from };
                    self.select(&other);
                    return;
                }
                if self.selected.is_some() {
                    self.focus_pane(Pane::Inspector);
                }
            }
            Pane::Inspector => self.edit_inspector_row(),
            Pane::Code => self.start_code_edit(),
        }
    }

    fn edit_inspector_row(&mut self) {
        let rows = self.inspector_rows();
        let Some(id) = self.selected_service() else {
            return;
        };
        let Some(row) = rows.get(self.inspector_cursor) else {
            return;
        };
        let svc = self.doc.sketch.service(&id).expect("selected");
        let (ask, text) = match row {
            InspectorRow::Property { path, value } => (
                Ask::Property {
                    id: id.clone(),
                    path: path.clone(),
                },
                value.clone(),
            ),
            InspectorRow::AddProperty => (Ask::NewProperty(id.clone()), String::new()),
            InspectorRow::Field {
                edit: Some(field), ..
            } => (
                Ask::Field {
                    id: id.clone(),
                    field: *field,
                },
                match field {
                    Field::Label => svc.label.clone().unwrap_or_default(),
                    Field::Group => svc.group.clone().unwrap_or_default(),
                },
            ),
            _ => {
                // Land on the first row that can be edited.
                if let Some(i) = rows.iter().position(InspectorRow::selectable) {
                    self.inspector_cursor = i;
                }
                return;
            }
        };
        self.mode = Mode::Prompt(Prompt {
            ask,
            input: LineInput::new(&text),
            history: None,
        });
    }

    // ------------------------------------------------------------ prompts

    fn prompt_key(&mut self, key: &KeyEvent, mut p: Prompt) {
        if p.ask == Ask::Command && matches!(key.code, KeyCode::Up | KeyCode::Down) {
            let n = self.history.len();
            if n > 0 {
                let i = match (key.code, p.history) {
                    (KeyCode::Up, None) => Some(n - 1),
                    (KeyCode::Up, Some(i)) => Some(i.saturating_sub(1)),
                    (KeyCode::Down, Some(i)) if i + 1 < n => Some(i + 1),
                    _ => None,
                };
                p.history = i;
                p.input
                    .set(i.map(|i| self.history[i].as_str()).unwrap_or(""));
            }
            self.mode = Mode::Prompt(p);
            return;
        }
        match p.input.handle(key) {
            Outcome::Submit => self.submit(p),
            Outcome::Cancel => {
                if p.ask == Ask::Search {
                    self.search = None;
                }
            }
            Outcome::Edited => {
                if p.ask == Ask::Search {
                    let q = p.input.text().to_string();
                    if let Some(id) = self.search_hits(&q).into_iter().next() {
                        self.select(&id);
                    }
                    self.search = Some(q).filter(|q| !q.is_empty());
                }
                self.mode = Mode::Prompt(p);
            }
            // Backspace on an empty command line closes it, as in vim.
            Outcome::Moved
                if key.code == KeyCode::Backspace
                    && p.input.text().is_empty()
                    && matches!(p.ask, Ask::Command | Ask::Search) => {}
            Outcome::Moved | Outcome::Ignored => self.mode = Mode::Prompt(p),
        }
    }

    fn submit(&mut self, p: Prompt) {
        let text = p.input.text().trim().to_string();
        match p.ask {
            Ask::Command => {
                if !text.is_empty() {
                    self.history.retain(|h| *h != text);
                    self.history.push(text.clone());
                    self.run_command(&text);
                }
            }
            Ask::Search => {
                self.search = Some(text.clone()).filter(|t| !t.is_empty());
                if self.search.is_some() {
                    let hits = self.search_hits(&text);
                    match hits.first() {
                        Some(id) => {
                            let id = id.clone();
                            self.select(&id);
                            self.info(format!("/{text}: 1 of {} (n next)", hits.len()));
                        }
                        None => self.error(format!("no service matches `{text}`")),
                    }
                }
            }
            Ask::Name(kind) => {
                if text.is_empty() {
                    return;
                }
                let line = format!("add {} {}", kind.word(), quote(&text));
                if !self.run_plan(&line) {
                    // Keep what was typed so it can be fixed.
                    self.mode = Mode::Prompt(Prompt {
                        ask: Ask::Name(kind),
                        input: p.input,
                        history: None,
                    });
                }
            }
            Ask::Rename(id) => {
                if text.is_empty() || text == crate::model::short_name(&id) {
                    return;
                }
                let line = format!("rename {} {}", quote(&id), quote(&text));
                if !self.run_plan(&line) {
                    self.mode = Mode::Prompt(Prompt {
                        ask: Ask::Rename(id),
                        input: p.input,
                        history: None,
                    });
                }
            }
            Ask::Property { id, path } => {
                let value = match yaml::parse_value(&text) {
                    Ok(v) => v,
                    Err(e) => {
                        self.error(e);
                        return;
                    }
                };
                let shown = path.join(".");
                self.apply(
                    Edit::SetProperty {
                        id: id.clone(),
                        path,
                        value: Some(value),
                    },
                    format!("set {id} {shown} = {text}"),
                );
            }
            Ask::NewProperty(id) => {
                let Some((key, value)) = text.split_once(char::is_whitespace) else {
                    if !text.is_empty() {
                        self.error("give a key and a value: Timeout 30");
                        self.mode = Mode::Prompt(Prompt {
                            ask: Ask::NewProperty(id),
                            input: p.input,
                            history: None,
                        });
                    }
                    return;
                };
                let path: Vec<String> = key.split('.').map(str::to_string).collect();
                if path.iter().any(String::is_empty) {
                    self.error(format!("`{key}` is not a property path"));
                    return;
                }
                let v = match yaml::parse_value(value.trim()) {
                    Ok(v) => v,
                    Err(e) => {
                        self.error(e);
                        return;
                    }
                };
                self.apply(
                    Edit::SetProperty {
                        id: id.clone(),
                        path,
                        value: Some(v),
                    },
                    format!("set {id} {key} = {}", value.trim()),
                );
            }
            Ask::Field { id, field } => {
                let value = Some(text.clone()).filter(|t| !t.is_empty());
                let edit = match field {
                    Field::Label => Edit::SetLabel {
                        id: id.clone(),
                        label: value,
                    },
                    Field::Group => {
                        let group = if text.is_empty() { "-" } else { text.as_str() };
                        if let Ok(Some(p)) = command::plan(
                            &self.doc.sketch,
                            &format!("group {} {}", quote(&id), quote(group)),
                        ) {
                            self.apply(p.edit, p.message);
                        }
                        return;
                    }
                };
                self.apply(edit, format!("changed {id}"));
            }
        }
    }

    // ------------------------------------------------------------ palette

    fn palette_key(&mut self, key: &KeyEvent, mut p: Palette) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Down | KeyCode::Tab => {
                p.cursor = (p.cursor + 1).min(p.ranked.len().saturating_sub(1));
            }
            KeyCode::Char('n') if ctrl => {
                p.cursor = (p.cursor + 1).min(p.ranked.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::BackTab => p.cursor = p.cursor.saturating_sub(1),
            KeyCode::Char('p') if ctrl => p.cursor = p.cursor.saturating_sub(1),
            _ => match p.input.handle(key) {
                Outcome::Submit => {
                    if let Some(kind) = p.chosen() {
                        let name = self.free_name(kind);
                        self.mode = Mode::Prompt(Prompt {
                            ask: Ask::Name(kind),
                            input: LineInput::suggestion(&name),
                            history: None,
                        });
                    }
                    return;
                }
                Outcome::Cancel => return,
                Outcome::Edited => p.rank(),
                _ => {}
            },
        }
        self.mode = Mode::Palette(p);
    }

    /// A name for a new service of a kind that no service has yet.
    fn free_name(&self, kind: Kind) -> String {
        let dialect = self.doc.sketch.dialect().unwrap_or_default();
        let base = match dialect {
            Dialect::Sam => pascal_case(kind.word()),
            Dialect::Terraform => snake_case(kind.word()),
        };
        let taken = |n: &str| self.doc.sketch.resolve(n).is_ok();
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| match dialect {
                Dialect::Sam => format!("{base}{i}"),
                Dialect::Terraform => format!("{base}_{i}"),
            })
            .find(|n| !taken(n))
            .expect("a free name")
    }

    // ------------------------------------------------------------ connect

    fn start_connect(&mut self) {
        let Some(from) = self.selected_service() else {
            return;
        };
        let mut c = Connecting {
            from,
            input: LineInput::default(),
            candidates: Vec::new(),
            target: None,
            moved: false,
        };
        self.rank_targets(&mut c);
        // Something is always highlighted, so Enter has something to take:
        // the box the flow would go to next (to the right, else below),
        // else the first in the list.
        let layout = &self.derived.scene.layout;
        c.target = [Dir::Right, Dir::Down, Dir::Left, Dir::Up]
            .into_iter()
            .filter_map(|d| pick_direction(layout, &c.from, d))
            .find(|t| c.candidates.iter().any(|(id, _)| id == t))
            .or_else(|| c.candidates.first().map(|(id, _)| id.clone()));
        self.mode = Mode::Connect(c);
    }

    fn rank_targets(&self, c: &mut Connecting) {
        let query = c.input.text().split_whitespace().next().unwrap_or("");
        let nodes: Vec<&crate::model::ViewNode> = self
            .derived
            .view
            .nodes
            .iter()
            .filter(|n| n.id != c.from && self.doc.sketch.contains(&n.id))
            .collect();
        c.candidates = fuzzy::rank(query, &nodes, |n| vec![n.id.clone(), n.label.clone()])
            .into_iter()
            .map(|(i, m)| (nodes[i].id.clone(), m))
            .collect();
        c.target = c.candidates.first().map(|(id, _)| id.clone());
    }

    fn connect_key(&mut self, key: &KeyEvent, mut c: Connecting) {
        let dir = match key.code {
            KeyCode::Left => Some(Dir::Left),
            KeyCode::Right => Some(Dir::Right),
            KeyCode::Up => Some(Dir::Up),
            KeyCode::Down => Some(Dir::Down),
            _ => None,
        };
        if let Some(dir) = dir {
            let from = match &c.target {
                Some(t) if c.moved => t.clone(),
                _ => c.from.clone(),
            };
            c.moved = true;
            if let Some(t) = pick_direction(&self.derived.scene.layout, &from, dir)
                .filter(|t| *t != c.from)
                .or_else(|| {
                    // Stepping over the source: keep going the same way.
                    (from != c.from)
                        .then(|| pick_direction(&self.derived.scene.layout, &c.from, dir))
                        .flatten()
                        .filter(|t| *t != c.from && *t != from)
                })
            {
                c.target = Some(t);
            }
            self.mode = Mode::Connect(c);
            return;
        }
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => {
                let n = c.candidates.len();
                if n > 0 {
                    let at = c
                        .target
                        .as_ref()
                        .and_then(|t| c.candidates.iter().position(|(id, _)| id == t));
                    let i = match (at, key.code) {
                        (Some(i), KeyCode::Tab) => (i + 1) % n,
                        (Some(i), _) => (i + n - 1) % n,
                        (None, _) => 0,
                    };
                    c.target = Some(c.candidates[i].0.clone());
                }
                self.mode = Mode::Connect(c);
            }
            _ => match c.input.handle(key) {
                Outcome::Submit => {
                    let Some(target) = c.target.clone() else {
                        self.error("pick a service to connect to: arrows or its name");
                        self.mode = Mode::Connect(c);
                        return;
                    };
                    let kind = c
                        .input
                        .text()
                        .split_whitespace()
                        .nth(1)
                        .and_then(ConnectionKind::parse);
                    let line = format!(
                        "connect {} {}{}",
                        quote(&c.from),
                        quote(&target),
                        kind.map(|k| format!(" {k}")).unwrap_or_default()
                    );
                    if !self.run_plan(&line) {
                        self.mode = Mode::Connect(c);
                    }
                }
                Outcome::Cancel => {}
                Outcome::Edited => {
                    self.rank_targets(&mut c);
                    self.mode = Mode::Connect(c);
                }
                _ => self.mode = Mode::Connect(c),
            },
        }
    }

    // ------------------------------------------------------------ code

    fn start_code_edit(&mut self) {
        if self.show_handler {
            let key = self
                .keymap
                .key_of(Action::EditHandler)
                .map(|k| k.to_string())
                .unwrap_or_else(|| Action::EditHandler.name().to_string());
            self.error(format!(
                "handler code is edited in your editor ({key}); the whiteboard never writes code files"
            ));
            return;
        }
        if let Some(why) = &self.derived.code.read_only {
            let switch = self
                .keymap
                .key_of(Action::SwitchLanguage)
                .map(|k| format!(" ({k} switches)"))
                .unwrap_or_default();
            self.error(format!(
                "the {} shown is {why}; edit the code in the sketch's own language{switch}",
                self.language.title()
            ));
            return;
        }
        let text = self.derived.code.text.clone();
        let mut area = TextArea::new(text.lines().map(str::to_string).collect());
        area.set_line_number_style(self.theme.code_line_no);
        area.set_cursor_line_style(self.theme.code_focus);
        let row = self
            .selected
            .as_deref()
            .and_then(|id| self.derived.code.anchors.get(id))
            .map(|(a, _)| *a)
            .unwrap_or(self.code_scroll);
        area.move_cursor(CursorMove::Jump(row.min(u16::MAX as usize) as u16, 0));
        self.mode = Mode::Code(Box::new(CodeEdit {
            area,
            original: text,
            error: None,
            confirm_leave: false,
        }));
        self.focus_pane(Pane::Code);
        if self.derived.code.files.len() > 1 {
            self.info(format!(
                "editing the code: ctrl-s applies, esc leaves; each `{}FILE` line starts a file",
                formats::LISTING_HEADER
            ));
        } else {
            self.info("editing the code: ctrl-s applies, esc leaves");
        }
    }

    fn code_key(&mut self, key: &KeyEvent, mut c: Box<CodeEdit>) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                let text = code_text(&c.area);
                if text == c.original || c.confirm_leave {
                    if text != c.original {
                        self.info("code changes discarded");
                    } else {
                        self.message = None;
                    }
                    return;
                }
                c.confirm_leave = true;
                self.error("the code has changes not applied: ctrl-s applies them, esc again discards them");
            }
            KeyCode::Char('s') if ctrl => {
                if self.apply_code(&mut c) {
                    return;
                }
            }
            _ => {
                c.confirm_leave = false;
                c.area.input(*key);
            }
        }
        self.mode = Mode::Code(c);
    }

    /// Re-imports edited code; true when it was applied (or unchanged).
    fn apply_code(&mut self, c: &mut CodeEdit) -> bool {
        let text = code_text(&c.area);
        if text == c.original {
            self.info("no changes to apply");
            return true;
        }
        let read = match self.derived.code.language {
            Dialect::Sam => {
                let name = self
                    .doc
                    .sketch
                    .source
                    .as_ref()
                    .and_then(|s| s.files.keys().next().cloned())
                    .unwrap_or_else(|| "template.yaml".to_string());
                formats::sam::import(&name, &text).map_err(|e| (e.line.saturating_sub(1), e))
            }
            Dialect::Terraform => self.read_terraform_code(&text),
        };
        match read {
            Err((line, e)) => {
                c.error = Some((line, e.message.clone()));
                c.area.set_cursor_line_style(self.theme.code_error);
                c.area.move_cursor(CursorMove::Jump(
                    line.min(u16::MAX as usize) as u16,
                    e.column.saturating_sub(1).min(u16::MAX as usize) as u16,
                ));
                self.error(format!("line {}: {}", e.line, e.message));
                false
            }
            Ok(new) => {
                match sync::reconcile(&self.doc.sketch, new) {
                    Some(edit) => {
                        self.apply(edit, "applied the code".to_string());
                    }
                    None => self.info("the code says the same as the sketch"),
                }
                true
            }
        }
    }

    /// Reads edited Terraform code: the listing is split back into the
    /// folder's files and the folder re-imported. An error comes with its
    /// zero-based line in the listing.
    fn read_terraform_code(&self, text: &str) -> Result<Sketch, (usize, formats::FormatError)> {
        let starts = &self.derived.code.files;
        let names: Vec<String> = starts.iter().map(|(f, _)| f.clone()).collect();
        let files =
            formats::split_listing(text, &names).map_err(|e| (e.line.saturating_sub(1), e))?;
        let name = self.doc.sketch.name.as_deref().unwrap_or("terraform");
        formats::terraform::import(&files, name).map_err(|mut e| {
            // Lines of the file shown are lines of the listing further down.
            let first = starts
                .iter()
                .find(|(f, _)| *f == e.file)
                .map_or(0, |(_, l)| *l);
            let line = first + e.line.saturating_sub(1);
            if starts.len() > 1 {
                e.message = format!("{}: {}", e.file, e.message);
            }
            e.line = line + 1;
            (line, e)
        })
    }

    // ------------------------------------------------------------ commands

    /// Runs a `:` command: the command language, plus files and the app.
    pub fn run_command(&mut self, line: &str) {
        let words = match command::split(line) {
            Ok(w) => w,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        let Some((cmd, args)) = words.split_first() else {
            return;
        };
        let path = args.first().map(PathBuf::from);
        match cmd.as_str() {
            "w" | "write" | "w!" | "write!" => {
                let force = cmd.ends_with('!');
                match self.save(path.as_deref(), force) {
                    Ok(m) => self.info(m),
                    Err(e) => self.error(e),
                }
            }
            "wq" | "x" => match self.save(path.as_deref(), false) {
                Ok(_) => self.quit = true,
                Err(e) => self.error(e),
            },
            "q" | "quit" => self.try_quit(false),
            "q!" | "quit!" => self.try_quit(true),
            "e" | "edit" | "open" | "e!" | "edit!" => {
                // `:e!` alone reloads the document's own file.
                let own = cmd.ends_with('!').then(|| self.doc.path.clone()).flatten();
                let Some(p) = path.or(own) else {
                    self.error("usage: :e PATH");
                    return;
                };
                if self.is_dirty() && !cmd.ends_with('!') {
                    self.error(format!(
                        "there are unsaved changes; :w saves them, :e! {} discards them",
                        p.display()
                    ));
                    return;
                }
                match Document::open(&p) {
                    Ok(doc) => {
                        if let Some(l) = doc.language() {
                            self.language = l;
                        }
                        self.doc = doc;
                        self.forget_history_labels();
                        self.selected = None;
                        self.derived = Derived::default();
                        self.touch();
                        self.scroll = (0, 0);
                        self.follow = true;
                        self.info(format!("opened {}", p.display()));
                    }
                    Err(e) => self.error(e),
                }
            }
            "new" | "new!" | "enew" | "enew!" => {
                if self.is_dirty() && !cmd.ends_with('!') {
                    self.error("there are unsaved changes; :w saves them, :new! discards them");
                    return;
                }
                if let Some(p) = &path
                    && p.exists()
                {
                    self.error(format!(
                        "{} exists; :e {} opens it",
                        p.display(),
                        p.display()
                    ));
                    return;
                }
                self.new_sketch(path);
                let hint = empty_hint(self);
                self.info(match &self.new_path {
                    Some(p) => format!("a new sketch; :w creates {}", p.display()),
                    None => hint,
                });
            }
            "export" | "export!" => {
                let (Some(format), Some(p)) = (args.first(), args.get(1)) else {
                    self.error("usage: :export sam|terraform|mermaid|dot|json|sketch PATH");
                    return;
                };
                let target = if format.eq_ignore_ascii_case("terraform") {
                    folder_target(std::path::Path::new(p))
                } else {
                    PathBuf::from(p)
                };
                match self.doc.export(format, &target, cmd.ends_with('!')) {
                    Ok(m) => self.info(m),
                    Err(e) => self.error(e),
                }
            }
            "level" | "z" => match args.first().and_then(|l| Level::parse(l)) {
                Some(l) => self.set_level(l),
                None => self.error("usage: :level system|service|resource"),
            },
            "theme" => match args.first().map(|n| Theme::named(n)) {
                Some(Ok(t)) => {
                    self.theme = if super::theme::no_color_requested() {
                        t.without_colour()
                    } else {
                        t
                    };
                    self.info(format!("theme {}", self.theme.theme_name));
                }
                Some(Err(e)) => self.error(e),
                None => self.error(format!(
                    "usage: :theme NAME ({})",
                    crate::config::builtin_theme_names().join(", ")
                )),
            },
            "budget" => match args
                .first()
                .and_then(|b| b.trim_start_matches('$').parse::<f64>().ok())
            {
                Some(b) if b.is_finite() && b >= 0.0 => {
                    self.cost_options.budget_usd = Some(b);
                    self.stale.cost = true;
                    self.info(format!("budget {} a month", crate::cost::money(b)));
                }
                _ => self.error("usage: :budget USD"),
            },
            "lang" | "language" => match args.first().and_then(|w| Dialect::parse(w)) {
                Some(l) => self.set_language(l),
                None => self.error("usage: :lang sam|terraform"),
            },
            "help" | "h" => self.mode = Mode::Help { scroll: 0 },
            "messages" | "mes" | "log" => self.mode = Mode::Messages { scroll: 0 },
            "undo" => self.undo(),
            "redo" => self.redo(),
            _ => {
                if !self.run_plan(line) {
                    self.suggest_service();
                }
            }
        }
    }

    /// After a command failed on a name that is no service, offers the
    /// closest one.
    fn suggest_service(&mut self) {
        let Some(m) = self.message.clone().filter(|m| m.tone == Tone::Error) else {
            return;
        };
        if let Some(rest) = m.text.strip_prefix("unknown command `") {
            let word = rest.split('`').next().unwrap_or_default();
            let words: Vec<&str> = ui::overlays::APP_COMMANDS
                .iter()
                .chain(command::HELP.iter())
                .filter_map(|(u, _)| u.split_whitespace().next())
                .collect();
            self.error(format!(
                "unknown command `{word}`{}; :help lists the commands",
                command::did_you_mean(word, words)
            ));
            return;
        }
        let Some(name) = m
            .text
            .strip_prefix("there is no service `")
            .or_else(|| m.text.split("there is no service `").nth(1))
            .and_then(|r| r.split('`').next())
        else {
            return;
        };
        let ids: Vec<&str> = self.doc.sketch.services().map(|s| s.id.as_str()).collect();
        let hint = command::did_you_mean(name, ids.iter().copied());
        if !hint.is_empty() {
            self.error(format!("{}{hint}", m.text));
        }
    }

    /// Saves the document; once saved, a recovery file kept for it (under
    /// its old name or its new one) has nothing left to offer.
    fn save(&mut self, path: Option<&std::path::Path>, force: bool) -> Result<String, String> {
        let before = self.recovery_key().map(std::path::Path::to_path_buf);
        let path = path.or(self.new_path.as_deref()).map(folder_target);
        let m = self.doc.save(path.as_deref(), force)?;
        // The save marks arrows the code could not hold: redraw them.
        self.stale.scene = true;
        if self.doc.path.is_some() {
            self.new_path = None;
        }
        if !self.doc.is_dirty() {
            super::recovery::remove(before.as_deref());
            super::recovery::remove(self.doc.path.as_deref());
        }
        Ok(m)
    }

    /// The path unsaved work is kept under: the document's file, or the
    /// one a new sketch will create.
    pub fn recovery_key(&self) -> Option<&std::path::Path> {
        self.doc.path.as_deref().or(self.new_path.as_deref())
    }

    /// The name shown in the status bar.
    pub fn title(&self) -> String {
        match (&self.doc.path, &self.new_path) {
            (None, Some(p)) => format!(
                "{} (new)",
                p.file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_else(|| p.display().to_string())
            ),
            (None, None) if self.fresh => "new sketch (not saved)".to_string(),
            _ => self.doc.title(),
        }
    }

    /// Starts an empty sketch in place of the document, to be written to
    /// `path` (whose name says the format) or to a file named later.
    pub fn new_sketch(&mut self, path: Option<PathBuf>) {
        let language = path
            .as_deref()
            .and_then(language_for)
            .unwrap_or(self.language);
        self.doc = Document::blank(language);
        self.forget_history_labels();
        self.language = language;
        self.new_path = path.map(|p| folder_target(&p));
        self.fresh = true;
        self.selected = None;
        self.derived = Derived::default();
        self.touch();
        self.scroll = (0, 0);
        self.follow = true;
    }

    fn set_language(&mut self, l: Dialect) {
        self.language = l;
        self.stale.code = true;
        self.info(format!("code shown as {}", l.title()));
    }

    fn try_quit(&mut self, force: bool) {
        if force || !self.is_dirty() {
            self.quit = true;
            return;
        }
        let save = if self.doc.path.is_some() {
            ":w saves them"
        } else {
            ":w NAME.yaml saves them"
        };
        self.error(format!(
            "there are unsaved changes; {save}, :q! quits without saving"
        ));
    }

    // ------------------------------------------------------------ mouse

    fn mouse(&mut self, m: &MouseEvent) {
        let at = (m.column, m.row);
        let areas = ui::areas(self);
        let pane = areas
            .panes
            .iter()
            .find(|(_, r)| r.contains(ratatui::layout::Position::new(at.0, at.1)))
            .map(|(p, r)| (*p, *r));
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(tab) = ui::tab_at(self, at) {
                    self.focus_pane(tab);
                    return;
                }
                if !matches!(self.mode, Mode::Normal) {
                    return;
                }
                let Some((pane, rect)) = pane else {
                    return;
                };
                self.focus_pane(pane);
                let inner = ui::inner(rect);
                if !inner.contains(ratatui::layout::Position::new(at.0, at.1)) {
                    return;
                }
                let (dx, dy) = ((at.0 - inner.x) as usize, (at.1 - inner.y) as usize);
                match pane {
                    Pane::Canvas => {
                        let (gx, gy) = (self.scroll.0 + dx, self.scroll.1 + dy);
                        let hit = self
                            .derived
                            .scene
                            .layout
                            .box_at(gx, gy)
                            .map(|b| (b.id.clone(), (b.x, b.y)));
                        if let Some((id, _)) = &hit {
                            let id = id.clone();
                            self.select(&id);
                            self.follow = false;
                        }
                        self.drag = Some(Drag {
                            id: hit,
                            start: at,
                            now: at,
                            scroll: self.scroll,
                        });
                    }
                    Pane::Graph => {
                        let i = self.graph_offset + dy;
                        if i < self.derived.graph.len() {
                            self.graph_to(i);
                        }
                    }
                    Pane::Inspector => {
                        let i = self.inspector_offset + dy;
                        if self
                            .inspector_rows()
                            .get(i)
                            .is_some_and(InspectorRow::selectable)
                        {
                            self.inspector_cursor = i;
                        }
                    }
                    Pane::Cost => {
                        let i = self.cost_offset + dy.saturating_sub(2);
                        if let Some(id) = self
                            .derived
                            .cost
                            .as_ref()
                            .and_then(|r| r.services.get(i))
                            .map(|s| s.id.clone())
                        {
                            self.cost_cursor = i;
                            if self.derived.view.node(&id).is_some() {
                                self.select(&id);
                            }
                        }
                    }
                    Pane::Code => {}
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let Some(d) = &mut self.drag {
                    d.now = at;
                    if d.id.is_none() {
                        let dx = d.start.0 as i64 - at.0 as i64;
                        let dy = d.start.1 as i64 - at.1 as i64;
                        self.scroll.0 = (d.scroll.0 as i64 + dx).max(0) as usize;
                        self.scroll.1 = (d.scroll.1 as i64 + dy).max(0) as usize;
                        self.follow = false;
                    }
                }
            }
            MouseEventKind::Up(MouseButton::Left) => {
                if let Some(d) = self.drag.take() {
                    if let Some((id, (x, y))) = d.id {
                        let dx = at.0 as i64 - d.start.0 as i64;
                        let dy = at.1 as i64 - d.start.1 as i64;
                        if (dx, dy) != (0, 0) && self.doc.sketch.contains(&id) {
                            let nx = (x as i64 + dx).max(0) as i32;
                            let ny = (y as i64 + dy).max(0) as i32;
                            self.follow = true;
                            self.move_to(&id, nx, ny);
                        }
                    }
                }
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let way: i64 = if m.kind == MouseEventKind::ScrollDown {
                    1
                } else {
                    -1
                };
                let sideways = m.modifiers.contains(KeyModifiers::SHIFT);
                match pane.map(|(p, _)| p) {
                    Some(Pane::Canvas) if sideways => self.pan(way * 4, 0),
                    Some(Pane::Canvas) => self.pan(0, way * 2),
                    Some(Pane::Code) => {
                        self.code_follow = false;
                        self.code_scroll = (self.code_scroll as i64 + way * 3).max(0) as usize;
                    }
                    Some(Pane::Graph) => {
                        self.graph_offset = (self.graph_offset as i64 + way * 3).max(0) as usize;
                        self.graph_offset = self
                            .graph_offset
                            .min(self.derived.graph.len().saturating_sub(1));
                        // Keep the cursor on screen as the list scrolls.
                        self.graph_cursor = self.graph_cursor.max(self.graph_offset);
                    }
                    _ => {}
                }
            }
            MouseEventKind::ScrollLeft => self.pan(-4, 0),
            MouseEventKind::ScrollRight => self.pan(4, 0),
            _ => {}
        }
    }
}

fn code_text(area: &TextArea) -> String {
    let mut t = area.lines().join("\n");
    t.push('\n');
    t
}

/// Quotes a word for the command language when it needs it.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && !word
            .chars()
            .any(|c| c.is_whitespace() || "\"'\\".contains(c))
    {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The scroll that shows `start..start+len` inside a window of `view` cells,
/// moving as little as possible.
fn scroll_to(scroll: usize, start: usize, len: usize, view: usize) -> usize {
    const MARGIN: usize = 2;
    if view == 0 {
        return scroll;
    }
    let end = start + len;
    if start < scroll + MARGIN.min(start) {
        start.saturating_sub(MARGIN)
    } else if end + MARGIN > scroll + view {
        if len + 2 * MARGIN > view {
            start.saturating_sub(MARGIN)
        } else {
            end + MARGIN - view
        }
    } else {
        scroll
    }
}

fn list_offset(offset: usize, cursor: usize, height: usize) -> usize {
    if height == 0 {
        return offset;
    }
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}

/// The nearest box in a direction from a box: the one ahead with the least
/// distance, where being off to the side counts three times.
/// What the canvas of an empty sketch says: how to begin.
pub fn empty_hint(app: &App) -> String {
    let key = |a: Action, or: &str| app.keymap.key_of(a).unwrap_or_else(|| or.to_string());
    format!(
        "An empty sketch. {} adds a service (or :add KIND NAME); {} opens the command line; {} shows the keys.",
        key(Action::Add, ":add"),
        key(Action::Command, ":"),
        key(Action::Help, ":help"),
    )
}

pub fn pick_direction(layout: &crate::layout::Layout, from: &str, dir: Dir) -> Option<String> {
    let a = layout.box_of(from)?;
    let overlap = |a0: usize, a1: usize, b0: usize, b1: usize| a0 < b1 && b0 < a1;
    layout
        .boxes
        .iter()
        .filter(|b| b.id != from)
        .filter_map(|b| {
            let (ahead, side) = match dir {
                Dir::Right => (b.x as i64 - (a.x + a.w) as i64, 0),
                Dir::Left => ((a.x as i64) - (b.x + b.w) as i64, 0),
                Dir::Down => (b.y as i64 - (a.y + a.h) as i64, 1),
                Dir::Up => ((a.y as i64) - (b.y + b.h) as i64, 1),
            };
            // Ahead means past the near edge, allowing boxes that overlap a little.
            let centre = |p: usize, l: usize| 2 * p as i64 + l as i64;
            let beyond = match dir {
                Dir::Right => centre(b.x, b.w) > centre(a.x, a.w),
                Dir::Left => centre(b.x, b.w) < centre(a.x, a.w),
                Dir::Down => centre(b.y, b.h) > centre(a.y, a.h),
                Dir::Up => centre(b.y, b.h) < centre(a.y, a.h),
            };
            if !beyond {
                return None;
            }
            let off = if side == 0 {
                if overlap(a.y, a.y + a.h, b.y, b.y + b.h) {
                    0
                } else {
                    // Rows are about twice as tall as columns are wide.
                    2 * (centre(b.y, b.h) - centre(a.y, a.h)).abs() / 2
                }
            } else if overlap(a.x, a.x + a.w, b.x, b.x + b.w) {
                0
            } else {
                (centre(b.x, b.w) - centre(a.x, a.w)).abs() / 2
            };
            let dist = ahead.max(0) * if side == 0 { 1 } else { 2 };
            Some((dist + 3 * off, b.id.clone()))
        })
        .min()
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{BoxPlacement, Layout};

    fn b(id: &str, x: usize, y: usize) -> BoxPlacement {
        BoxPlacement {
            id: id.into(),
            x,
            y,
            w: 10,
            h: 4,
        }
    }

    #[test]
    fn direction_picks_the_box_ahead() {
        // A . C
        // B   D
        let l = Layout {
            width: 60,
            height: 20,
            boxes: vec![b("A", 0, 0), b("B", 0, 8), b("C", 30, 0), b("D", 30, 8)],
            edges: vec![],
            frames: vec![],
        };
        assert_eq!(pick_direction(&l, "A", Dir::Right).as_deref(), Some("C"));
        assert_eq!(pick_direction(&l, "A", Dir::Down).as_deref(), Some("B"));
        assert_eq!(pick_direction(&l, "D", Dir::Left).as_deref(), Some("B"));
        assert_eq!(pick_direction(&l, "D", Dir::Up).as_deref(), Some("C"));
        assert_eq!(pick_direction(&l, "A", Dir::Left), None);
        assert_eq!(pick_direction(&l, "A", Dir::Up), None);
    }

    #[test]
    fn scrolling_keeps_a_span_in_view() {
        assert_eq!(scroll_to(0, 5, 10, 40), 0);
        assert_eq!(scroll_to(0, 50, 10, 40), 22);
        assert_eq!(scroll_to(30, 10, 10, 40), 8);
        assert_eq!(list_offset(0, 15, 10), 6);
        assert_eq!(list_offset(6, 2, 10), 2);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("Worker"), "Worker");
        assert_eq!(quote("two words"), "\"two words\"");
        assert_eq!(quote(""), "\"\"");
    }
}
