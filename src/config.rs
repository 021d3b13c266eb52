//! The user's settings: where they live (`<config dir>/stacksketch/`), the
//! optional `config.yaml` (theme, key overrides, default export language,
//! region, budget) and the colour themes, built in or the user's own. Nothing
//! here is ever written: the file exists only if the user made it.
//!
//! Themes are neutral data here (colour names and modifiers per role); the
//! terminal UI turns them into styles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cost::DEFAULT_BUDGET_USD;
use crate::formats::yaml;
use crate::model::Dialect;

/// Themes shipped inside the binary, so it stands alone.
pub const BUILTIN_THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.yaml")),
    ("light", include_str!("../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.yaml"),
    ),
    ("monochrome", include_str!("../themes/monochrome.yaml")),
];

/// One key or several, as the config file may say either.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Keys {
    One(String),
    Many(Vec<String>),
}

impl Keys {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Keys::One(k) => vec![k.as_str()],
            Keys::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// `config.yaml`. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A built-in theme name or one under `themes/` in the config folder.
    pub theme: Option<String>,
    /// Action name to the key (or keys) that trigger it; replaces the
    /// action's default keys. An empty list unbinds it.
    pub keys: BTreeMap<String, Keys>,
    /// The language the code pane starts in.
    pub export: Option<Dialect>,
    /// The AWS region prices are looked up for.
    pub region: Option<String>,
    /// Monthly budget in US dollars.
    pub budget: Option<f64>,
    /// Plain ASCII drawing, as `--ascii`.
    pub ascii: Option<bool>,
}

impl Config {
    pub fn budget_usd(&self) -> f64 {
        self.budget.unwrap_or(DEFAULT_BUDGET_USD)
    }
    pub fn language(&self) -> Dialect {
        self.export.unwrap_or_default()
    }

    /// Parses a config file's text; `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<Config, String> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let c: Config = yaml::deserialize(text)
            .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))?;
        if let Some(b) = c.budget {
            if !(b.is_finite() && b >= 0.0) {
                return Err(format!(
                    "{name}: budget must be a number of dollars, 0 or more"
                ));
            }
        }
        Ok(c)
    }

    /// Reads the user's config file if there is one. A missing file is the
    /// default config; a broken one is an error naming its line.
    pub fn load() -> Result<Config, String> {
        match config_file() {
            Some(p) if p.is_file() => Config::load_from(&p),
            _ => Ok(Config::default()),
        }
    }

    pub fn load_from(path: &Path) -> Result<Config, String> {
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read it: {e}"))?;
        Config::parse(&name, &text)
    }
}

/// `<config dir>/stacksketch`, if the platform has a config dir.
pub fn config_folder() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("stacksketch"))
}

/// Where the config file would be. It is never created by the app.
pub fn config_file() -> Option<PathBuf> {
    config_folder().map(|d| d.join("config.yaml"))
}

/// How one role is drawn: colour names (the 16 ANSI names, `reset`, or
/// `#rrggbb`) and modifiers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<String>,
    pub bg: Option<String>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub reversed: bool,
}

/// A theme file: a style per role. Roles a user theme leaves out come from
/// the theme it names in `base` (the dark theme by default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeSpec {
    pub name: String,
    pub base: Option<String>,
    pub styles: BTreeMap<String, StyleSpec>,
}

impl ThemeSpec {
    pub fn parse(name: &str, text: &str) -> Result<ThemeSpec, String> {
        yaml::deserialize(text)
            .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))
    }
}

/// The names of the built-in themes, for messages.
pub fn builtin_theme_names() -> Vec<&'static str> {
    BUILTIN_THEMES.iter().map(|(n, _)| *n).collect()
}

/// Finds a theme by name: a built-in one, or `themes/NAME.yaml` in the
/// config folder. A user theme is completed from its base.
pub fn theme(name: &str) -> Result<ThemeSpec, String> {
    theme_in(name, config_folder().as_deref(), 0)
}

fn theme_in(name: &str, folder: Option<&Path>, depth: usize) -> Result<ThemeSpec, String> {
    if let Some((_, text)) = BUILTIN_THEMES.iter().find(|(n, _)| *n == name) {
        return ThemeSpec::parse(&format!("themes/{name}.yaml"), text);
    }
    let unknown = || {
        format!(
            "unknown theme `{name}`; the themes are {}",
            builtin_theme_names().join(", ")
        )
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let Some(path) = folder
        .filter(|_| valid)
        .map(|f| f.join("themes").join(format!("{name}.yaml")))
        .filter(|p| p.is_file())
    else {
        return Err(unknown());
    };
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("{shown}: cannot read it: {e}"))?;
    let mut spec = ThemeSpec::parse(&shown, &text)?;
    if depth > 4 {
        return Err(format!(
            "{shown}: themes name each other as `base` in a loop"
        ));
    }
    let base_name = spec.base.clone().unwrap_or_else(|| "dark".to_string());
    if base_name != name {
        let base = theme_in(&base_name, folder, depth + 1)?;
        for (role, style) in base.styles {
            spec.styles.entry(role).or_insert(style);
        }
    }
    if spec.name.is_empty() {
        spec.name = name.to_string();
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_is_the_default() {
        assert_eq!(Config::parse("c", "").unwrap(), Config::default());
        assert_eq!(Config::default().budget_usd(), DEFAULT_BUDGET_USD);
    }

    #[test]
    fn a_full_config_reads() {
        let c = Config::parse(
            "c",
            "theme: light\nkeys:\n  quit: [q, ctrl-q]\n  undo: U\nexport: terraform\nregion: eu-west-1\nbudget: 20\n",
        )
        .unwrap();
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.keys["quit"].list(), ["q", "ctrl-q"]);
        assert_eq!(c.keys["undo"].list(), ["U"]);
        assert_eq!(c.language(), Dialect::Terraform);
        assert_eq!(c.budget_usd(), 20.0);
    }

    #[test]
    fn mistakes_name_their_line() {
        let e = Config::parse("config.yaml", "theme: dark\nbudgit: 3\n").unwrap_err();
        assert!(e.starts_with("config.yaml:2:"), "{e}");
        assert!(e.contains("budgit"), "{e}");
        assert!(Config::parse("c", "budget: -1\n").is_err());
    }

    #[test]
    fn builtin_themes_read_and_unknown_ones_are_named() {
        for name in builtin_theme_names() {
            let t = theme(name).unwrap();
            assert!(!t.styles.is_empty(), "{name}");
        }
        let e = theme_in("nope", None, 0).unwrap_err();
        assert!(e.contains("dark, light, high-contrast, monochrome"), "{e}");
    }

    #[test]
    fn a_user_theme_is_completed_from_its_base() {
        let dir = std::env::temp_dir().join(format!("stacksketch-theme-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("themes")).unwrap();
        std::fs::write(
            dir.join("themes/mine.yaml"),
            "base: light\nstyles:\n  selection: {fg: red, reversed: true}\n",
        )
        .unwrap();
        let t = theme_in("mine", Some(&dir), 0).unwrap();
        let light = theme_in("light", None, 0).unwrap();
        assert_eq!(t.styles["selection"].fg.as_deref(), Some("red"));
        assert_eq!(t.styles["base"], light.styles["base"]);
        assert_eq!(t.name, "mine");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
