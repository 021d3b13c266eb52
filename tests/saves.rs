//! Writing outputs from the command line: read-only files are replaced only
//! with `--force`, and an output that is a symlink writes the file it points to.
#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::PathBuf;

use assert_cmd::Command;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/queue-pipeline/template.yaml")
}

fn apply(out: &std::path::Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("stacksketch")
        .unwrap()
        .arg("apply")
        .arg(example())
        .args(["-c", "add queue Extra", "-o"])
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn a_read_only_output_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    std::fs::write(&out, "mine\n").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    let refused = apply(&out, &[]).failure().code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("read-only") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine\n");
    apply(&out, &["--force"]).success();
    assert!(std::fs::read_to_string(&out).unwrap().contains("Extra:"));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[test]
fn an_output_through_a_symlink_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.yaml");
    std::fs::write(&real, "old\n").unwrap();
    let link = dir.path().join("link.yaml");
    symlink(&real, &link).unwrap();
    apply(&link, &["--force"]).success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().contains("Extra:"));
}
