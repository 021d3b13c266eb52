//! Stepping through a file's git history in the whiteboard: each version
//! drawn against the one before it, what was added, removed and changed
//! marked, with the commit's title, author and date. Read only: versions
//! are copied out of git (the working tree and the index are not touched),
//! and nothing here can edit or save.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cost::CostOptions;
use crate::diff::{self, Diff, picture};
use crate::document::{self, git};
use crate::layout::Layout;
use crate::model::{Level, Sketch, inert_line};

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
}

/// What one step shows.
pub struct Shown {
    pub scene: picture::Scene,
    /// What changed, the bill and new findings, as text.
    pub report: String,
    /// Nothing changed at this level between the two versions.
    pub empty: bool,
}

pub struct Timeline {
    pub path: PathBuf,
    /// Newest first.
    pub versions: Vec<Version>,
    /// Which version is shown (0 is the newest).
    pub at: usize,
    pub shown: Option<Shown>,
    /// Why the version at `at` could not be shown.
    pub problem: Option<String>,
    pub scroll: (usize, usize),
    pub report_scroll: u16,
    level: Level,
    ascii: bool,
    costs: CostOptions,
    /// Versions read so far, by index.
    read: HashMap<usize, Result<Sketch, String>>,
    /// The layout of the step shown last, so boxes stay put.
    last_layout: Option<Layout>,
}

impl Timeline {
    /// The history of `path`, showing its newest change. Fails with a
    /// message when `path` is not in a git repository or has no commits.
    pub fn open(
        path: &Path,
        level: Level,
        ascii: bool,
        costs: CostOptions,
    ) -> Result<Timeline, String> {
        let git::Log { commits, dirty, .. } = git::log(path).map_err(|e| e.to_string())?;
        if commits.is_empty() {
            return Err(format!(
                "{}: no commit touches it, so it has no history to step through",
                document::display(path)
            ));
        }
        let mut versions = Vec::with_capacity(commits.len() + 1);
        if dirty && path.exists() {
            versions.push(Version {
                rev: None,
                short: "working tree".into(),
                title: "(not committed)".into(),
                author: String::new(),
                date: String::new(),
            });
        }
        versions.extend(commits.into_iter().map(|c| Version {
            rev: Some(c.rev),
            short: c.short,
            title: c.title,
            author: c.author,
            date: c.date,
        }));
        let mut t = Timeline {
            path: path.to_path_buf(),
            versions,
            at: 0,
            shown: None,
            problem: None,
            scroll: (0, 0),
            report_scroll: 0,
            level,
            ascii,
            costs,
            read: HashMap::new(),
            last_layout: None,
        };
        t.show(0);
        Ok(t)
    }

    /// One step older; false at the first version.
    pub fn older(&mut self) -> bool {
        if self.at + 1 >= self.versions.len() {
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

    /// Whether the version shown is the first one (everything in it is new).
    pub fn at_first(&self) -> bool {
        self.at + 1 == self.versions.len()
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
        // The first version is drawn against nothing: all of it is new.
        let old = if self.at_first() {
            Ok(Sketch::new())
        } else {
            self.sketch(at + 1)
        };
        let old = match old {
            Ok(s) => s,
            Err(e) => {
                self.problem = Some(format!("the version before this one: {e}"));
                self.shown = None;
                return;
            }
        };
        let d: Diff = diff::diff(&old, &new, self.level, &self.costs);
        let scene = picture::scene(&d, self.last_layout.take(), self.ascii);
        self.last_layout = Some(scene.layout.clone());
        self.problem = None;
        self.shown = Some(Shown {
            report: diff::text::report(&d, self.ascii),
            empty: d.is_empty(),
            scene,
        });
    }

    /// The sketch of version `i`, read once.
    fn sketch(&mut self, i: usize) -> Result<Sketch, String> {
        if let Some(r) = self.read.get(&i) {
            return r.clone();
        }
        let r = read_version(&self.path, self.versions[i].rev.as_deref());
        self.read.insert(i, r.clone());
        r
    }
}

/// A version of `path` read as stacksketch reads it: the working tree's,
/// or a copy out of git at `rev`.
fn read_version(path: &Path, rev: Option<&str>) -> Result<Sketch, String> {
    let Some(rev) = rev else {
        return document::load(path)
            .map(|l| l.sketch)
            .map_err(|e| e.to_string());
    };
    let copy = git::checkout(rev, path).map_err(|e| e.to_string())?;
    document::load(&copy.path).map(|l| l.sketch).map_err(|e| {
        // Messages name the version, not the temporary copy.
        let root = format!("{}/", document::display(&copy.root));
        e.to_string().replace(&root, &format!("{rev}:"))
    })
}
