//! Old versions read from git: `REV:PATH` names a file or folder as it was
//! at a revision. Its files are copied into a temporary folder with the
//! `git` command (`ls-tree` and `cat-file`), so the working tree and the
//! index are never touched and nothing is fetched.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a revision or a path in it could not be read; said as it is, with
/// the input named.
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the user named: a path to read as it is, or one in git history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    Path(PathBuf),
    /// `REV:PATH`, PATH taken from the current folder.
    Git {
        rev: String,
        path: PathBuf,
    },
}

impl Spec {
    /// A path that exists is a path, even with a colon in it; otherwise
    /// `REV:PATH` reads from git.
    pub fn parse(arg: &str) -> Spec {
        if Path::new(arg).exists() {
            return Spec::Path(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            Some((rev, path)) if !rev.is_empty() => Spec::Git {
                rev: rev.to_string(),
                path: PathBuf::from(if path.is_empty() { "." } else { path }),
            },
            _ => Spec::Path(PathBuf::from(arg)),
        }
    }
}

/// A path as it was at a revision, copied out of git.
pub struct Checkout {
    /// Holds the copy; removed when dropped.
    pub dir: tempfile::TempDir,
    /// The copy of the repository's root inside `dir` (only PATH is in it).
    pub root: PathBuf,
    /// The copy of PATH inside `root`.
    pub path: PathBuf,
    /// `REV:PATH`, PATH from the repository's root, for messages.
    pub shown: String,
}

/// Copies `path` (relative to the current folder) as it was at `rev`.
pub fn checkout(rev: &str, path: &Path) -> Result<Checkout, GitError> {
    let shown_arg = format!("{rev}:{}", path.display());
    let fail = |why: String| GitError(format!("{shown_arg}: {why}"));
    let (top, rel) = locate(path).map_err(fail)?;
    if rev.starts_with('-') {
        return Err(fail(format!("`{rev}` is not a revision")));
    }
    git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| fail(format!("unknown revision `{rev}`")))?;
    let rel_text = rel_string(&rel);
    let entries = entries_at(&top, rev, &rel_text).map_err(fail)?;
    if entries.is_empty() {
        return Err(fail(format!(
            "`{}` is not in revision `{rev}`",
            if rel_text.is_empty() { "." } else { &rel_text }
        )));
    }
    let dir =
        tempfile::tempdir().map_err(|e| fail(format!("cannot make a temporary folder: {e}")))?;
    let blobs = read_blobs(&top, &entries).map_err(fail)?;
    let root = dir.path().join(root_name(&top));
    write_copy(&root, &entries, &blobs).map_err(fail)?;
    let path = if rel_text.is_empty() {
        root.clone()
    } else {
        root.join(&rel)
    };
    Ok(Checkout {
        dir,
        root,
        path,
        shown: format!(
            "{rev}:{}",
            if rel_text.is_empty() { "." } else { &rel_text }
        ),
    })
}

/// A path as it was at several revisions, copied out of git side by side.
pub struct Copies {
    /// Holds the copies; removed when dropped.
    pub dir: tempfile::TempDir,
    /// For each revision, in the order asked: the copy of the path, or
    /// `None` where that revision does not have it.
    pub paths: Vec<Option<PathBuf>>,
    /// For each revision: the copy of the repository's root, for messages.
    pub roots: Vec<PathBuf>,
}

/// Copies `path` (relative to the current folder) as it was at each of
/// `revs` (commit ids, as `log` gives them): one listing per revision,
/// then every distinct file read once through one `cat-file --batch`.
pub fn checkout_each(revs: &[&str], path: &Path) -> Result<Copies, GitError> {
    let fail = |why: String| GitError(format!("{}: {why}", path.display()));
    let (top, rel) = locate(path).map_err(fail)?;
    if let Some(bad) = revs.iter().find(|r| r.starts_with('-')) {
        return Err(fail(format!("`{bad}` is not a revision")));
    }
    let rel_text = rel_string(&rel);
    let listed: Vec<Vec<(String, String)>> = revs
        .iter()
        .map(|rev| entries_at(&top, rev, &rel_text).map_err(|e| format!("{rev}: {e}")))
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let mut distinct: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (oid, file) in listed.iter().flatten() {
        if !seen.contains_key(oid) {
            seen.insert(oid.clone(), distinct.len());
            distinct.push((oid.clone(), file.clone()));
        }
    }
    let blobs = read_blobs(&top, &distinct).map_err(fail)?;
    let dir =
        tempfile::tempdir().map_err(|e| fail(format!("cannot make a temporary folder: {e}")))?;
    let (mut paths, mut roots) = (Vec::new(), Vec::new());
    for (i, entries) in listed.iter().enumerate() {
        // Each under a folder named as the repository is, as `checkout` does.
        let root = dir.path().join(i.to_string()).join(root_name(&top));
        let bytes: Vec<Vec<u8>> = entries
            .iter()
            .map(|(oid, _)| blobs[seen[oid]].clone())
            .collect();
        write_copy(&root, entries, &bytes).map_err(fail)?;
        paths.push((!entries.is_empty()).then(|| {
            if rel_text.is_empty() {
                root.clone()
            } else {
                root.join(&rel)
            }
        }));
        roots.push(root);
    }
    Ok(Copies { dir, paths, roots })
}

/// The files to copy for `rel` at `rev` (empty when the revision does not
/// have it): the path's own, a template's layout sidecar, and for
/// Terraform every `.tf` file, since local modules may be anywhere in the
/// repository (`source = "../modules/queue"`).
fn entries_at(top: &Path, rev: &str, rel: &str) -> Result<Vec<(String, String)>, String> {
    // The sidecar a template would have is asked for in the same listing.
    let side = sidecar_beside(rel);
    let specs: Vec<&str> = [Some(rel), side.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    let (side_entries, mut entries): (Vec<_>, Vec<_>) = list(top, rev, &specs)?
        .into_iter()
        .partition(|(_, f)| side.as_deref() == Some(f.as_str()));
    if entries.is_empty() {
        return Ok(entries);
    }
    // Only a single file has a sidecar.
    if entries.len() == 1 && entries[0].1 == rel {
        entries.extend(side_entries);
    }
    if entries.iter().any(|(_, f)| is_terraform(f)) && !rel.is_empty() {
        let known: std::collections::HashSet<String> =
            entries.iter().map(|(_, f)| f.clone()).collect();
        let more: Vec<(String, String)> = list(top, rev, &[])?
            .into_iter()
            .filter(|(_, f)| is_terraform(f) && !known.contains(f))
            .collect();
        entries.extend(more);
    }
    Ok(entries)
}

/// The name of the folder a copy of the repository's root goes in: the
/// repository's own, so names taken from folders (a Terraform root's) are
/// the same in the copy as in the working tree.
fn root_name(top: &Path) -> std::ffi::OsString {
    top.file_name()
        .map_or_else(|| "repo".into(), |n| n.to_os_string())
}

/// Writes files (path from the repository's root) under `root`.
fn write_copy(root: &Path, entries: &[(String, String)], blobs: &[Vec<u8>]) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| format!("cannot copy it: {e}"))?;
    for ((_, file), bytes) in entries.iter().zip(blobs) {
        let to = root.join(file);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot copy it: {e}"))?;
        }
        std::fs::write(&to, bytes).map_err(|e| format!("cannot copy it: {e}"))?;
    }
    Ok(())
}

/// A commit that touched a path, for stepping through its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub rev: String,
    pub short: String,
    pub author: String,
    /// `YYYY-MM-DD`, the author's date.
    pub date: String,
    pub title: String,
}

/// At most this many commits are listed, newest first: each of them is
/// read when the history opens.
pub const LOG_LIMIT: usize = 100;

/// What `log` finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// Newest first, at most [`LOG_LIMIT`].
    pub commits: Vec<Commit>,
    /// When more commits touched the path than are listed: the next older
    /// one, the version the oldest listed is drawn against.
    pub older: Option<Commit>,
    /// The working tree differs from `HEAD` there.
    pub dirty: bool,
}

/// The commits that touched `path` (relative to the current folder),
/// newest first, and whether the working tree differs from `HEAD` there.
/// Reads only: no lock is taken and the index is not refreshed.
pub fn log(path: &Path) -> Result<Log, GitError> {
    let fail = |why: String| GitError(format!("{}: {why}", path.display()));
    let (top, rel) = locate(path).map_err(fail)?;
    let rel_text = rel_string(&rel);
    let rel_arg = if rel_text.is_empty() { "." } else { &rel_text };
    // One more than is kept, to know whether there are more.
    let limit = format!("--max-count={}", LOG_LIMIT + 1);
    let out = git(
        &top,
        &[
            "log",
            &limit,
            "--no-show-signature",
            "--date=short",
            "--format=%H%x1f%h%x1f%an%x1f%ad%x1f%s%x1e",
            "--",
            rel_arg,
        ],
    )
    .map_err(|e| fail(format!("cannot read its history: {e}")))?;
    let mut commits = parse_log(&String::from_utf8_lossy(&out));
    let older = (commits.len() > LOG_LIMIT).then(|| commits.remove(LOG_LIMIT));
    commits.truncate(LOG_LIMIT);
    let status = git(
        &top,
        &[
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            rel_arg,
        ],
    )
    .map_err(|e| fail(format!("cannot tell whether it changed: {e}")))?;
    Ok(Log {
        commits,
        older,
        dirty: !status.is_empty(),
    })
}

/// `git log` records: fields split by 0x1f, commits by 0x1e.
fn parse_log(out: &str) -> Vec<Commit> {
    out.split('\u{1e}')
        .filter_map(|rec| {
            let mut f = rec.trim_start_matches('\n').split('\u{1f}');
            let rev = f.next().filter(|r| !r.is_empty())?.to_string();
            Some(Commit {
                rev,
                short: f.next()?.to_string(),
                author: f.next()?.to_string(),
                date: f.next()?.to_string(),
                title: f.next()?.to_string(),
            })
        })
        .collect()
}

/// The repository's root and `path` relative to it.
fn locate(path: &Path) -> Result<(PathBuf, PathBuf), String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let abs = normalize(&cwd.join(path));
    // The nearest folder that exists: the path may be gone from the working tree.
    let mut base = abs.clone();
    let mut rest = Vec::new();
    while !base.is_dir() {
        let Some(name) = base.file_name() else {
            return Err("no folder of it exists".into());
        };
        rest.push(name.to_os_string());
        if !base.pop() {
            return Err("no folder of it exists".into());
        }
    }
    let top = git(&base, &["rev-parse", "--show-toplevel"])
        .map_err(|_| "not in a git repository".to_string())?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches('\n'));
    let top = top.canonicalize().unwrap_or(top);
    let mut full = base.canonicalize().unwrap_or(base);
    full.extend(rest.iter().rev());
    let rel = full
        .strip_prefix(&top)
        .map_err(|_| format!("it is outside the repository at {}", top.display()))?
        .to_path_buf();
    Ok((top, rel))
}

/// `a/./b/../c` as `a/c`, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_terraform(file: &str) -> bool {
    file.ends_with(".tf") || file.ends_with(".tf.json")
}

/// `.NAME.stacksketch.yaml` beside `rel`, the layout sidecar it has if it
/// is a single file.
fn sidecar_beside(rel: &str) -> Option<String> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if name.is_empty() {
        return None;
    }
    let side = format!(".{name}.stacksketch.yaml");
    Some(if dir.is_empty() {
        side
    } else {
        format!("{dir}/{side}")
    })
}

/// The files (object id, path from the root) under the paths `specs` at
/// `rev`, or all of them when `specs` is empty; symbolic links and
/// submodules are left out.
fn list(top: &Path, rev: &str, specs: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", rev];
    if !specs.is_empty() {
        args.push("--");
        args.extend(specs);
    }
    let out = git(top, &args).map_err(|e| format!("cannot list it: {e}"))?;
    let mut files = Vec::new();
    for rec in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let rec = String::from_utf8_lossy(rec);
        let Some((meta, file)) = rec.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (mode, kind, oid) = (parts.next(), parts.next(), parts.next());
        if kind == Some("blob") && mode != Some("120000") {
            if let Some(oid) = oid {
                files.push((oid.to_string(), file.to_string()));
            }
        }
    }
    Ok(files)
}

/// The contents of the blobs, in order, through one `git cat-file --batch`.
fn read_blobs(top: &Path, entries: &[(String, String)]) -> Result<Vec<Vec<u8>>, String> {
    let mut child = base_command(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut input = String::new();
    for (oid, _) in entries {
        input.push_str(oid);
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from another thread: git answers while it reads.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let _ = writer.join();
    parse_batch(&out.stdout, entries.len())
}

/// Splits `cat-file --batch` output: `OID blob SIZE\n` then SIZE bytes and a newline.
fn parse_batch(mut out: &[u8], n: usize) -> Result<Vec<Vec<u8>>, String> {
    let mut blobs = Vec::with_capacity(n);
    for _ in 0..n {
        let end = out
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("git stopped early")?;
        let head = String::from_utf8_lossy(&out[..end]).to_string();
        let size: usize = head
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git could not read an object: {head}"))?;
        let body = out
            .get(end + 1..end + 1 + size)
            .ok_or("git stopped early")?;
        blobs.push(body.to_vec());
        out = out.get(end + 2 + size..).unwrap_or(&[]);
    }
    Ok(blobs)
}

fn base_command(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0");
    c
}

/// Runs git in `dir`; its standard output, or its first error line.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = base_command(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or("git failed")
            .to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_read_as_paths_first() {
        assert_eq!(
            Spec::parse("HEAD~1:template.yaml"),
            Spec::Git {
                rev: "HEAD~1".into(),
                path: "template.yaml".into()
            }
        );
        assert_eq!(
            Spec::parse("main:"),
            Spec::Git {
                rev: "main".into(),
                path: ".".into()
            }
        );
        assert_eq!(
            Spec::parse("no-such-file.yaml"),
            Spec::Path("no-such-file.yaml".into())
        );
    }

    #[test]
    fn batch_output_splits_into_blobs() {
        let out = b"aaa blob 3\nabc\nbbb blob 0\n\n";
        assert_eq!(
            parse_batch(out, 2).unwrap(),
            vec![b"abc".to_vec(), Vec::new()]
        );
        assert!(parse_batch(b"aaa missing\n", 1).is_err());
    }

    #[test]
    fn log_records_split_into_commits() {
        let out = "abc123\u{1f}abc\u{1f}Ana\u{1f}2026-01-02\u{1f}Add a queue\u{1e}\n\
                   def456\u{1f}def\u{1f}Bo\u{1f}2026-01-01\u{1f}First: the API\u{1e}\n";
        let c = parse_log(out);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].title, "Add a queue");
        assert_eq!(c[1].author, "Bo");
        assert_eq!(c[1].title, "First: the API");
        assert!(parse_log("").is_empty());
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
