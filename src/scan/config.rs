//! A repository's deploy configuration: the parameter values SAM deploys
//! with (`samconfig.toml`/`samconfig.yaml` `parameter_overrides`) and the
//! variable values of Terraform roots (`*.tfvars`), by folder.

use std::collections::BTreeMap;

/// Values by folder (relative to the repository, `""` at the top).
#[derive(Clone, Debug, Default)]
pub struct DeployConfig {
    /// SAM parameter overrides, by the folder of the samconfig file.
    pub parameters: BTreeMap<String, BTreeMap<String, String>>,
    /// Terraform variable values, by the folder of the tfvars file.
    pub variables: BTreeMap<String, BTreeMap<String, String>>,
}

impl DeployConfig {
    pub fn read(files: &[(String, String)]) -> DeployConfig {
        let mut c = DeployConfig::default();
        for (rel, text) in files {
            let dir = rel.rfind('/').map_or("", |i| &rel[..i]).to_string();
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if name.ends_with(".tfvars") {
                c.variables.entry(dir).or_default().extend(tfvars(text));
            } else {
                let p = c.parameters.entry(dir).or_default();
                for (k, v) in overrides(text) {
                    // The first environment listed (usually `default`) wins.
                    p.entry(k).or_insert(v);
                }
            }
        }
        c
    }

    /// The value a stack in `dir` deploys a parameter with: from the
    /// nearest samconfig at or above its folder.
    pub fn parameter(&self, dir: &str, name: &str) -> Option<&str> {
        nearest(&self.parameters, dir, name)
    }

    /// The value of a Terraform root's variable from its tfvars.
    pub fn variable(&self, dir: &str, name: &str) -> Option<&str> {
        self.variables
            .get(dir)
            .and_then(|m| m.get(name))
            .map(String::as_str)
    }
}

fn nearest<'a>(
    m: &'a BTreeMap<String, BTreeMap<String, String>>,
    dir: &str,
    name: &str,
) -> Option<&'a str> {
    let mut d = dir.to_string();
    loop {
        if let Some(v) = m.get(&d).and_then(|p| p.get(name)) {
            return Some(v);
        }
        if d.is_empty() {
            return None;
        }
        d = d.rfind('/').map_or(String::new(), |i| d[..i].to_string());
    }
}

/// `parameter_overrides` values in a samconfig file, TOML or YAML: a
/// string of `Key=Value` pairs or a list of them.
fn overrides(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        i += 1;
        let Some(rest) = l.strip_prefix("parameter_overrides") else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches(['=', ':']).trim();
        let mut items: Vec<String> = Vec::new();
        if rest.starts_with('[') {
            let mut buf = rest.to_string();
            while !buf.contains(']') && i < lines.len() {
                buf.push(' ');
                buf.push_str(lines[i].trim());
                i += 1;
            }
            items.extend(quoted_items(&buf));
        } else if rest.is_empty() {
            // A YAML list on the following lines.
            while i < lines.len() && lines[i].trim_start().starts_with('-') {
                items.push(unquote(lines[i].trim_start()[1..].trim()));
                i += 1;
            }
        } else {
            items.push(unquote(rest));
        }
        for item in items {
            for pair in split_pairs(&item) {
                if let Some((k, v)) = pair.split_once('=') {
                    out.push((k.trim().to_string(), unquote(v.trim())));
                }
            }
        }
    }
    out
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].replace("\\\"", "\"");
        }
    }
    s.to_string()
}

fn quoted_items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => {
                out.push(std::mem::take(&mut cur));
                quote = None;
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    out
}

/// `A=1 B="two words"` into its pairs.
fn split_pairs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `name = "value"` lines of a tfvars file (strings, numbers and booleans).
fn tfvars(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with('#') || l.starts_with("//") {
                return None;
            }
            let (k, v) = l.split_once('=')?;
            let k = k.trim();
            if k.is_empty()
                || !k
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return None;
            }
            let v = v.trim();
            if v.starts_with('{') || v.starts_with('[') {
                return None;
            }
            Some((k.to_string(), unquote(v)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samconfig_overrides_in_both_syntaxes() {
        let toml = "version = 0.1\n[default.deploy.parameters]\nstack_name = \"x\"\nparameter_overrides = \"Env=prod UserPoolArnParam=\\\"/shop/auth/arn\\\"\"\n";
        let v = overrides(toml);
        assert_eq!(
            v,
            [
                ("Env".to_string(), "prod".to_string()),
                ("UserPoolArnParam".to_string(), "/shop/auth/arn".to_string())
            ]
        );
        let yaml = "default:\n  deploy:\n    parameters:\n      parameter_overrides:\n        - Env=dev\n        - Url=/a/b\n";
        assert_eq!(overrides(yaml).len(), 2);
        let list = "parameter_overrides = [\"A=1\", \"B=2\"]\n";
        assert_eq!(overrides(list)[1], ("B".into(), "2".into()));
    }

    #[test]
    fn tfvars_and_nearest_config() {
        let c = DeployConfig::read(&[
            (
                "samconfig.toml".into(),
                "parameter_overrides = \"A=top\"\n".into(),
            ),
            (
                "svc/samconfig.toml".into(),
                "parameter_overrides = \"B=svc\"\n".into(),
            ),
            (
                "infra/prod.tfvars".into(),
                "env = \"prod\"\n# x = 1\n".into(),
            ),
        ]);
        assert_eq!(c.parameter("svc/deep", "A"), Some("top"));
        assert_eq!(c.parameter("svc", "B"), Some("svc"));
        assert_eq!(c.parameter("", "B"), None);
        assert_eq!(c.variable("infra", "env"), Some("prod"));
    }
}
