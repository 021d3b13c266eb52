//! Usage assumptions as Infracost writes them (`infracost-usage.yml`):
//! `version: 0.1`, `resource_usage` keyed by resource id (a Terraform address,
//! `[*]` wildcards allowed, or a SAM logical id) and
//! `resource_type_default_usage` keyed by resource type. Nested keys
//! (`standard: {storage_gb: 5}`) become dotted ones (`standard.storage_gb`),
//! the form the sketch keeps its own usage in.

use std::collections::BTreeMap;

use crate::formats::{FormatError, yaml};
use crate::model::{Service, Value};

/// Numeric usage by key.
pub type UsageMap = BTreeMap<String, f64>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsageFile {
    /// Where it was read from, for messages.
    pub name: String,
    pub resource_usage: BTreeMap<String, UsageMap>,
    pub resource_type_default_usage: BTreeMap<String, UsageMap>,
}

impl UsageFile {
    pub fn parse(name: &str, text: &str) -> Result<UsageFile, FormatError> {
        let parsed = yaml::parse(text).map_err(|e| {
            FormatError::new(
                name,
                e.line,
                e.column,
                format!("not valid YAML: {}", e.message),
            )
        })?;
        let Value::Object(top) = parsed.value else {
            return Err(FormatError::new(name, 1, 1, "a usage file is a mapping")
                .hint("start it with `version: 0.1` and `resource_usage:`"));
        };
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(needle))
                .map(|i| i + 1)
                .unwrap_or(1)
        };
        let version = top.get("version").map(|v| match v {
            Value::String(s) => s.trim_start_matches('v').to_string(),
            other => other.to_string(),
        });
        match version.as_deref() {
            Some("0.1") => {}
            Some(v) => {
                return Err(FormatError::new(
                    name,
                    line_of("version"),
                    1,
                    format!("usage file version {v} is not understood; this reads version 0.1"),
                ));
            }
            None => {
                return Err(
                    FormatError::new(name, 1, 1, "a usage file needs `version: 0.1`")
                        .hint("Infracost's usage files start with `version: 0.1`"),
                );
            }
        }
        let mut file = UsageFile {
            name: name.to_string(),
            ..UsageFile::default()
        };
        for (section, out) in [
            ("resource_usage", &mut file.resource_usage),
            (
                "resource_type_default_usage",
                &mut file.resource_type_default_usage,
            ),
        ] {
            match top.get(section) {
                None | Some(Value::Null) => {}
                Some(Value::Object(m)) => {
                    for (id, v) in m {
                        let mut usage = UsageMap::new();
                        flatten("", v, &mut usage);
                        out.insert(id.clone(), usage);
                    }
                }
                Some(_) => {
                    return Err(FormatError::new(
                        name,
                        line_of(section),
                        1,
                        format!("`{section}` must map ids to their usage"),
                    ));
                }
            }
        }
        Ok(file)
    }

    /// The usage the file gives one resource by its id: an exact entry, else a
    /// wildcard entry (`aws_sqs_queue.q[*]` for `aws_sqs_queue.q[0]`).
    pub fn for_id(&self, id: &str) -> Option<&UsageMap> {
        if let Some(u) = self.resource_usage.get(id) {
            return Some(u);
        }
        self.resource_usage
            .iter()
            .find(|(k, _)| wildcard_matches(k, id))
            .map(|(_, u)| u)
    }

    /// The defaults the file gives a resource's type. A SAM resource also
    /// takes the defaults written for the Terraform type of the same kind of
    /// service, so one file of defaults serves both.
    pub fn for_type(&self, service: &Service) -> Option<(&str, &UsageMap)> {
        if let Some((k, u)) = self
            .resource_type_default_usage
            .get_key_value(&service.type_name)
        {
            return Some((k.as_str(), u));
        }
        service.kind.entry().tf_types.iter().find_map(|t| {
            self.resource_type_default_usage
                .get_key_value(*t)
                .map(|(k, u)| (k.as_str(), u))
        })
    }

    /// Ids in `resource_usage` that name nothing in a list of ids.
    pub fn unmatched<'a>(&'a self, ids: &[&str]) -> Vec<&'a str> {
        self.resource_usage
            .keys()
            .filter(|k| {
                !ids.iter()
                    .any(|id| *id == k.as_str() || wildcard_matches(k, id))
            })
            .map(String::as_str)
            .collect()
    }
}

fn wildcard_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix("[*]") {
        Some(base) => id
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']')),
        None => false,
    }
}

/// A usage value as a number: numbers, and strings that hold one.
pub fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut UsageMap) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => {
            if let Some(n) = number(other) {
                out.insert(prefix.to_string(), n);
            }
        }
    }
}

/// The numeric usage a sketch keeps on a service (its keys are already dotted).
pub fn of_service(service: &Service) -> UsageMap {
    let mut out = UsageMap::new();
    for (k, v) in &service.usage {
        flatten(k, v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;

    const FILE: &str = "\
version: 0.1
resource_usage:
  aws_lambda_function.worker:
    monthly_requests: 100000
    request_duration_ms: 350
  aws_sqs_queue.jobs[*]:
    monthly_requests: 2000000
  aws_s3_bucket.uploads:
    standard:
      storage_gb: 5
      monthly_tier_1_requests: 1000
resource_type_default_usage:
  aws_lambda_function:
    request_duration_ms: 200
";

    #[test]
    fn reads_ids_wildcards_types_and_nesting() {
        let f = UsageFile::parse("u.yml", FILE).unwrap();
        assert_eq!(
            f.for_id("aws_lambda_function.worker").unwrap()["monthly_requests"],
            100000.0
        );
        assert_eq!(
            f.for_id("aws_sqs_queue.jobs[1]").unwrap()["monthly_requests"],
            2e6
        );
        assert!(f.for_id("aws_sqs_queue.jobs").is_none());
        assert_eq!(
            f.for_id("aws_s3_bucket.uploads").unwrap()["standard.storage_gb"],
            5.0
        );
        let sam = Service::new("Worker", Kind::Function, "AWS::Serverless::Function");
        let (ty, u) = f.for_type(&sam).unwrap();
        assert_eq!(
            (ty, u["request_duration_ms"]),
            ("aws_lambda_function", 200.0)
        );
        assert_eq!(
            f.unmatched(&["aws_lambda_function.worker", "aws_sqs_queue.jobs[0]"]),
            vec!["aws_s3_bucket.uploads"]
        );
    }

    #[test]
    fn version_is_required_and_checked() {
        assert!(UsageFile::parse("u.yml", "resource_usage: {}\n").is_err());
        let e = UsageFile::parse("u.yml", "version: 0.2\nresource_usage: {}\n").unwrap_err();
        assert!(e.message.contains("0.2"), "{}", e.message);
        assert!(UsageFile::parse("u.yml", "version: \"0.1\"\n").is_ok());
    }
}
