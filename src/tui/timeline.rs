//! Stepping through a file's git history in the whiteboard: each version
//! drawn against the one before it, what was added, removed and changed
//! marked, with the commit's title, author and date. Every version is read
//! when the history opens and all of them are laid out together once, so a
//! box has one place in every step. Read only: versions are copied out of
//! git (the working tree and the index are not touched), and nothing here
//! can edit or save.

use std::path::{Path, PathBuf};

use crate::cost::CostOptions;
use crate::diff::{self, Diff, picture};
use crate::document::{self, git};
use crate::layout::Layout;
use crate::model::{Level, Sketch, View, inert_line};

/// One version of the path: a commit, or the working tree when it differs
/// from `HEAD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// `None` for the working tree.
    pub rev: Option<String>,
    pub short: String,
    pub title: String,
    pub author: String,
    pub date: String,
    /// The path is not in this commit: the commit deleted it.
    pub missing: bool,
}

impl Version {
    /// `abc1234 Add a queue · Ana · 2026-01-02`, inert.
    pub fn heading(&self, dot: &str) -> String {
        let mut out = format!("{} {}", inert_line(&self.short), inert_line(&self.title));
        for part in [&self.author, &self.date] {
            if !part.is_empty() {
                out.push_str(&format!(" {dot} {}", inert_line(part)));
            }
        }
        out
    }

    fn of(c: git::Commit, missing: bool) -> Version {
        Version {
            rev: Some(c.rev),
            short: c.short,
            title: c.title,
            author: c.author,
            date: c.date,
            missing,
        }
    }
}

/// What one step shows.
pub struct Shown {
    pub scene: picture::Scene,
    /// What changed, the bill and new findings, as text.
    pub report: String,
    /// Nothing changed at this level between the two versions.
    pub empty: bool,
}

/// Where a version is read from.
enum Source {
    WorkingTree,
    /// A copy out of git, and the copy's repository root (for messages).
    Copy {
        path: PathBuf,
        root: PathBuf,
    },
    /// Not in the commit: an empty sketch.
    Missing,
}

/// How many versions' sketches are kept at once; the rest are read again
/// from their copies when they are shown.
const KEPT: usize = 4;

pub struct Timeline {
    pub path: PathBuf,
    /// Newest first. When more commits touched the path than are listed,
    /// the last one is the commit before the oldest listed: drawn in the
    /// oldest step, never shown as a step of its own.
    pub versions: Vec<Version>,
    /// Which version is shown (0 is the newest).
    pub at: usize,
    pub shown: Option<Shown>,
    /// Why the version at `at` could not be shown.
    pub problem: Option<String>,
    pub scroll: (usize, usize),
    pub report_scroll: u16,
    /// How many versions are steps (the rest only go before the oldest).
    count: usize,
    level: Level,
    ascii: bool,
    costs: CostOptions,
    sources: Vec<Source>,
    /// Each version's view at `level`, or why it could not be read.
    views: Vec<Result<View, String>>,
    /// Sketches read lately, by version.
    kept: Vec<(usize, Sketch)>,
    /// Every box and arrow of every version, and where they go.
    all: picture::AllVersions,
    placed: Layout,
    /// The columns `placed` was folded to, if any.
    width: Option<usize>,
    /// The copies out of git; removed when the history closes.
    _copies: git::Copies,
}

impl Timeline {
    /// The history of `path`, showing its newest change, laid out for a
    /// canvas `width` columns wide when given. Fails with a message when
    /// `path` is not in a git repository or has no commits.
    pub fn open(
        path: &Path,
        level: Level,
        ascii: bool,
        costs: CostOptions,
        width: Option<usize>,
    ) -> Result<Timeline, String> {
        let log = git::log(path).map_err(|e| e.to_string())?;
        if log.commits.is_empty() {
            return Err(format!(
                "{}: no commit touches it, so it has no history to step through",
                document::display(path)
            ));
        }
        let commits: Vec<git::Commit> = log.commits.into_iter().chain(log.older).collect();
        let revs: Vec<&str> = commits.iter().map(|c| c.rev.as_str()).collect();
        let copies = git::checkout_each(&revs, path).map_err(|e| e.to_string())?;
        let listed_all = revs.len() <= git::LOG_LIMIT;
        let mut versions = Vec::with_capacity(commits.len() + 1);
        let mut sources = Vec::with_capacity(commits.len() + 1);
        if log.dirty && path.exists() {
            versions.push(Version {
                rev: None,
                short: "working tree".into(),
                title: "(not committed)".into(),
                author: String::new(),
                date: String::new(),
                missing: false,
            });
            sources.push(Source::WorkingTree);
        }
        for (i, c) in commits.into_iter().enumerate() {
            let source = match &copies.paths[i] {
                Some(p) => Source::Copy {
                    path: p.clone(),
                    root: copies.roots[i].clone(),
                },
                None => Source::Missing,
            };
            versions.push(Version::of(c, matches!(source, Source::Missing)));
            sources.push(source);
        }
        let count = versions.len() - usize::from(!listed_all);
        let mut t = Timeline {
            path: path.to_path_buf(),
            versions,
            at: 0,
            shown: None,
            problem: None,
            scroll: (0, 0),
            report_scroll: 0,
            count,
            level,
            ascii,
            costs,
            sources,
            views: Vec::new(),
            kept: Vec::new(),
            all: picture::AllVersions::default(),
            placed: Layout::default(),
            width,
            _copies: copies,
        };
        t.read_views();
        t.show(0);
        Ok(t)
    }

    /// How many steps there are.
    pub fn steps(&self) -> usize {
        self.count
    }

    /// One step older; false at the oldest.
    pub fn older(&mut self) -> bool {
        if self.at + 1 >= self.count {
            return false;
        }
        self.show(self.at + 1);
        true
    }

    /// One step newer; false at the newest.
    pub fn newer(&mut self) -> bool {
        if self.at == 0 {
            return false;
        }
        self.show(self.at - 1);
        true
    }

    /// Whether the version shown is the path's first (everything in it is
    /// new), rather than only the oldest listed.
    pub fn at_first(&self) -> bool {
        self.at + 1 >= self.versions.len()
    }

    /// Shows the versions at another level of detail, laid out anew.
    pub fn set_level(&mut self, level: Level) {
        if level == self.level {
            return;
        }
        self.level = level;
        self.read_views();
        self.show(self.at);
    }

    /// Every version's view at the level, and all of them laid out once.
    fn read_views(&mut self) {
        // Oldest first, so the newest (shown first) are the ones kept.
        self.views = (0..self.versions.len())
            .rev()
            .map(|i| self.sketch(i).map(|s| View::of(&s, self.level)))
            .collect();
        self.views.reverse();
        self.all = picture::AllVersions::of(self.views.iter().flatten());
        self.placed = lay_out(&self.all, self.width);
    }

    /// Lays the versions out again for a canvas `width` columns wide, when
    /// that is not what they were laid out for.
    pub fn fit(&mut self, width: Option<usize>) {
        if width == self.width {
            return;
        }
        self.width = width;
        self.placed = lay_out(&self.all, width);
        self.show(self.at);
    }

    fn show(&mut self, at: usize) {
        self.at = at;
        self.report_scroll = 0;
        let new = match self.sketch(at) {
            Ok(s) => s,
            Err(e) => {
                self.problem = Some(e);
                self.shown = None;
                return;
            }
        };
        // Drawn against the nearest older version that reads; the first
        // version against nothing, so all of it is new.
        let before = (at + 1..self.versions.len()).find(|&j| self.views[j].is_ok());
        let old = match before {
            Some(j) => self.sketch(j).unwrap_or_default(),
            None => Sketch::new(),
        };
        let d: Diff = diff::diff(&old, &new, self.level, &self.costs);
        let scene = picture::scene_in(&d, &self.placed, self.ascii);
        let mut report = String::new();
        if self.versions[at].missing {
            report.push_str("This commit deleted it.\n\n");
        }
        match before {
            Some(j) if j > at + 1 => report.push_str(&format!(
                "Drawn against {}: the versions between do not read.\n\n",
                inert_line(&self.versions[j].short)
            )),
            None if !self.at_first() => {
                report.push_str("Drawn against nothing: no older version reads.\n\n")
            }
            _ => {}
        }
        report.push_str(&diff::text::report(&d, self.ascii));
        self.problem = None;
        self.shown = Some(Shown {
            report,
            empty: d.is_empty(),
            scene,
        });
    }

    /// The sketch of version `i`, read again unless it was read lately.
    fn sketch(&mut self, i: usize) -> Result<Sketch, String> {
        if let Some((_, s)) = self.kept.iter().find(|(j, _)| *j == i) {
            return Ok(s.clone());
        }
        if let Some(Err(e)) = self.views.get(i) {
            return Err(e.clone());
        }
        let s = read_version(&self.path, &self.sources[i], &self.versions[i])?;
        if self.kept.len() >= KEPT {
            self.kept.remove(0);
        }
        self.kept.push((i, s.clone()));
        Ok(s)
    }
}

/// Every version laid out once: folded to `width` when the whole picture
/// is a little wider than that, as the canvas folds a sketch.
fn lay_out(all: &picture::AllVersions, width: Option<usize>) -> Layout {
    let whole = all.layout(None);
    match width {
        Some(w) if w > 0 && whole.width > w && whole.width <= w * super::derived::MAX_TIERS => {
            let folded = all.layout(Some(w));
            if folded.width < whole.width {
                folded
            } else {
                whole
            }
        }
        _ => whole,
    }
}

/// A version of `path` read as stacksketch reads it: the working tree's,
/// or its copy out of git; one the commit does not have is empty.
fn read_version(path: &Path, source: &Source, v: &Version) -> Result<Sketch, String> {
    match source {
        Source::WorkingTree => document::load(path)
            .map(|l| l.sketch)
            .map_err(|e| e.to_string()),
        Source::Missing => Ok(Sketch::new()),
        Source::Copy { path: copy, root } => {
            document::load(copy).map(|l| l.sketch).map_err(|e| {
                // Messages name the version, not the temporary copy.
                let root = format!("{}/", document::display(root));
                let rev = v.rev.as_deref().unwrap_or_default();
                e.to_string().replace(&root, &format!("{rev}:"))
            })
        }
    }
}
