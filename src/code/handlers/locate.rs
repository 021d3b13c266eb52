//! Where each function's code is, as its template says: SAM `CodeUri` and
//! `Handler` (with `Globals`), `InlineCode`, CloudFormation `Code.ZipFile`
//! or a local `Code` folder, Terraform `filename` through an `archive_file`,
//! and the lambda registry module's `source_path`. Paths come from templates
//! someone else may have written: they are resolved against the template's
//! folder and refused when they leave the folder being read.

use std::path::{Component, Path, PathBuf};

use crate::model::{Service, Sketch, Value};

/// The languages whose handlers are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    Node,
}

impl Language {
    fn of_runtime(runtime: &str) -> Option<Language> {
        if runtime.starts_with("python") {
            Some(Language::Python)
        } else if runtime.starts_with("nodejs") {
            Some(Language::Node)
        } else {
            None
        }
    }

    /// The file extensions a handler module of this language may have.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Language::Python => &["py"],
            Language::Node => &["js", "mjs", "cjs", "ts", "mts", "cts", "tsx"],
        }
    }
}

/// Where a function's code is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A handler file in a code folder, both checked to be inside the root.
    File {
        folder: PathBuf,
        file: PathBuf,
        language: Language,
    },
    /// Code written in the template itself.
    Inline { text: String, language: Language },
}

/// The function's code, or why it cannot be read.
pub type Located = Result<Place, String>;

/// What paths are resolved against: the template's folder (or the
/// Terraform root), inside `root`, which no path may leave.
pub struct Base<'a> {
    pub dir: &'a Path,
    pub root: &'a Path,
}

/// Where the code of function `s` is.
pub fn locate(sketch: &Sketch, s: &Service, base: &Base) -> Located {
    let props = Value::Object(s.properties.clone());
    let globals = sketch
        .sections
        .get("Globals")
        .and_then(|g| g.get("Function"))
        .cloned()
        .unwrap_or(Value::Null);
    let pick = |key: &str| {
        props
            .get(key)
            .or_else(|| globals.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    match s.type_name.as_str() {
        "AWS::Serverless::Function" => {
            if pick("PackageType").as_deref() == Some("Image") || props.get("ImageUri").is_some() {
                return Err("a container image".into());
            }
            let runtime = pick("Runtime");
            if let Some(code) = props.get("InlineCode").and_then(Value::as_str) {
                return inline(code, runtime.as_deref());
            }
            let uri = match props.get("CodeUri").or_else(|| globals.get("CodeUri")) {
                Some(Value::String(u)) => u.clone(),
                Some(_) => return Err("code in S3".into()),
                None => return Err("no CodeUri".into()),
            };
            let handler = pick("Handler").ok_or("no Handler")?;
            in_folder(base, &uri, &handler, runtime.as_deref())
        }
        "AWS::Lambda::Function" => {
            let runtime = pick("Runtime");
            match props.get("Code") {
                Some(Value::String(dir)) => {
                    let handler = pick("Handler").ok_or("no Handler")?;
                    in_folder(base, dir, &handler, runtime.as_deref())
                }
                Some(code) => match code.get("ZipFile") {
                    Some(Value::String(text)) => inline(text, runtime.as_deref()),
                    Some(_) => Err("inline code built with intrinsic functions".into()),
                    None if code.get("ImageUri").is_some() => Err("a container image".into()),
                    None => Err("code in S3".into()),
                },
                None => Err("no Code".into()),
            }
        }
        "aws_lambda_function" => terraform_function(sketch, s, &props, base),
        _ if is_lambda_module(&props) => lambda_module(sketch, &props, base),
        _ => Err("not a function with code".into()),
    }
}

/// Code written in the template.
fn inline(text: &str, runtime: Option<&str>) -> Located {
    let language = runtime
        .and_then(Language::of_runtime)
        .ok_or_else(|| not_read(runtime))?;
    Ok(Place::Inline {
        text: text.to_string(),
        language,
    })
}

fn not_read(runtime: Option<&str>) -> String {
    match runtime {
        Some(r) => format!("runtime {r} is not read (Python and Node.js are)"),
        None => "no runtime".into(),
    }
}

/// A handler (`app.handler`, `src/handlers/put.handler`) in a code folder.
fn in_folder(base: &Base, folder: &str, handler: &str, runtime: Option<&str>) -> Located {
    let languages: Vec<Language> = match runtime {
        Some(r) => vec![Language::of_runtime(r).ok_or_else(|| not_read(Some(r)))?],
        None => vec![Language::Python, Language::Node],
    };
    if folder.contains("://") {
        return Err(format!("code at {folder}"));
    }
    let dir = resolve(base, folder)?;
    if !dir.is_dir() {
        return Err(format!("the code folder {folder} is not there"));
    }
    let (module, _) = handler
        .rsplit_once('.')
        .ok_or_else(|| format!("the handler {handler} names no module"))?;
    for language in languages {
        let module = match language {
            // Python names a module inside packages with dots.
            Language::Python => module.replace('.', "/"),
            Language::Node => module.to_string(),
        };
        for ext in language.extensions() {
            let rel = format!("{module}.{ext}");
            let Ok(file) = resolve(
                &Base {
                    dir: &dir,
                    root: base.root,
                },
                &rel,
            ) else {
                continue;
            };
            if file.is_file() {
                return Ok(Place::File {
                    folder: dir.clone(),
                    file,
                    language,
                });
            }
        }
    }
    Err(format!("no file for the handler {handler} in {folder}"))
}

/// `aws_lambda_function`: `filename` from an `archive_file`'s `source_dir`
/// or `source_file`.
fn terraform_function(sketch: &Sketch, s: &Service, props: &Value, base: &Base) -> Located {
    if props.get("image_uri").is_some() {
        return Err("a container image".into());
    }
    let runtime = props.get("runtime").and_then(Value::as_str);
    let handler = props
        .get("handler")
        .and_then(Value::as_str)
        .ok_or("no handler")?;
    let Some(filename) = props.get("filename").and_then(Value::as_str) else {
        return Err("code in S3".into());
    };
    let Some(expr) = filename
        .strip_prefix("${")
        .and_then(|f| f.strip_suffix('}'))
        .and_then(|f| f.strip_suffix(".output_path"))
    else {
        return Err(format!("a built archive ({filename})"));
    };
    // Inside a module, the archive is the module's own.
    let prefix =
        s.id.rfind("aws_lambda_function.")
            .map_or("", |i| &s.id[..i]);
    let archive = sketch
        .service(&format!("{prefix}{expr}"))
        .or_else(|| sketch.service(expr))
        .ok_or_else(|| format!("the archive {expr} is not in the folder"))?;
    let a = &archive.properties;
    if let Some(dir) = a.get("source_dir").and_then(Value::as_str) {
        return in_folder(base, &tf_path(sketch, dir)?, handler, runtime);
    }
    if let Some(file) = a.get("source_file").and_then(Value::as_str) {
        let file = tf_path(sketch, file)?;
        let folder = file.rsplit_once('/').map_or(".", |(d, _)| d);
        return in_folder(base, folder, handler, runtime);
    }
    Err(format!("the archive {expr} names no source"))
}

fn is_lambda_module(props: &Value) -> bool {
    props
        .get("source")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("terraform-aws-modules/lambda/aws"))
}

/// The lambda registry module: `source_path`, a path or a list of them.
fn lambda_module(sketch: &Sketch, props: &Value, base: &Base) -> Located {
    let runtime = props.get("runtime").and_then(Value::as_str);
    let handler = props
        .get("handler")
        .and_then(Value::as_str)
        .ok_or("no handler")?;
    let path = match props.get("source_path") {
        Some(Value::String(p)) => p.clone(),
        Some(Value::Array(list)) => list
            .iter()
            .find_map(|p| p.as_str().or_else(|| p.get("path").and_then(Value::as_str)))
            .ok_or("a source_path this does not read")?
            .to_string(),
        Some(Value::Object(o)) => o
            .get("path")
            .and_then(Value::as_str)
            .ok_or("a source_path this does not read")?
            .to_string(),
        _ => return Err("no source_path (a package built elsewhere)".into()),
    };
    let path = tf_path(sketch, &path)?;
    // A path to one file names its folder's handler.
    let folder = if Path::new(&path).extension().is_some() {
        path.rsplit_once('/')
            .map_or(".".to_string(), |(d, _)| d.to_string())
    } else {
        path
    };
    in_folder(base, &folder, handler, runtime)
}

/// A Terraform path without `${path.module}/` (or `path.root`, `path.cwd`),
/// a local value (`local.src`) followed to what it is set to.
fn tf_path(sketch: &Sketch, p: &str) -> Result<String, String> {
    let local = p
        .strip_prefix("${local.")
        .and_then(|l| l.strip_suffix('}'))
        .and_then(|l| sketch.sections.get(&format!("local.{l}")))
        .and_then(Value::as_str);
    let p = local.unwrap_or(p);
    let rest = ["${path.module}", "${path.root}", "${path.cwd}"]
        .iter()
        .find_map(|pre| p.strip_prefix(pre))
        .map_or(p, |r| r.trim_start_matches('/'));
    if rest.contains("${") {
        return Err(format!("a path built at deploy time ({p})"));
    }
    Ok(if rest.is_empty() {
        ".".into()
    } else {
        rest.into()
    })
}

/// `rel` under `base.dir`, refused when it is absolute, leaves `base.root`
/// (by `..` or by a symlink), or names a drive or a URL.
pub fn resolve(base: &Base, rel: &str) -> Result<PathBuf, String> {
    let leaves = || format!("{rel} leaves the folder being read");
    let path = Path::new(rel);
    if rel.contains('\\') || rel.contains('\0') || path.has_root() {
        return Err(leaves());
    }
    let start = base.dir.strip_prefix(base.root).map_err(|_| leaves())?;
    let mut parts: Vec<&std::ffi::OsStr> = start.iter().collect();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop().ok_or_else(leaves)?;
            }
            _ => return Err(leaves()),
        }
    }
    let full: PathBuf = parts.iter().fold(base.root.to_path_buf(), |p, c| p.join(c));
    // What is there must really be inside the root, symlinks followed.
    if let (Ok(real), Ok(root)) = (full.canonicalize(), base.root.canonicalize()) {
        if !real.starts_with(&root) {
            return Err(format!("{rel} leads out of the folder being read"));
        }
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("stack/src")).unwrap();
        let base = Base {
            dir: &root.join("stack"),
            root,
        };
        assert!(resolve(&base, "src").is_ok());
        assert!(resolve(&base, "../stack/src").is_ok());
        assert!(resolve(&base, "../../etc").is_err());
        assert!(resolve(&base, "/etc").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("stack/out")).unwrap();
            assert!(resolve(&base, "out").is_err());
        }
    }

    #[test]
    fn terraform_paths() {
        let s = Sketch::new();
        assert_eq!(tf_path(&s, "${path.module}/src/fn").unwrap(), "src/fn");
        assert_eq!(tf_path(&s, "${path.module}").unwrap(), ".");
        assert!(tf_path(&s, "${var.dir}/x").is_err());
    }
}
