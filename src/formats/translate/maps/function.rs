//! Lambda functions: SAM's `AWS::Serverless::Function`, CloudFormation's
//! `AWS::Lambda::Function` and Terraform's `aws_lambda_function`.

use serde_json::json;

use super::super::rules::{Custom, Cx, Rule, Rule::*};
use super::super::to_sam::ToSam;
use super::super::to_tf::ToTf;
use super::super::{expr, single_interpolation};
use crate::formats::terraform;
use crate::model::{Map, Value};

const COMMON: &[Rule] = &[
    Rename("FunctionName", "function_name"),
    Rename("Handler", "handler"),
    Rename("Runtime", "runtime"),
    Rename("MemorySize", "memory_size"),
    Rename("Timeout", "timeout"),
    Rename("Description", "description"),
    Rename("Architectures", "architectures"),
    Rename(
        "ReservedConcurrentExecutions",
        "reserved_concurrent_executions",
    ),
    Rename("KmsKeyArn", "kms_key_arn"),
    Rename("CodeSigningConfigArn", "code_signing_config_arn"),
    Rename("Layers", "layers"),
    Custom(&ROLE),
    Block(
        "Environment",
        "environment",
        &[Rename("Variables", "variables")],
    ),
    Block(
        "VpcConfig",
        "vpc_config",
        &[
            Rename("SubnetIds", "subnet_ids"),
            Rename("SecurityGroupIds", "security_group_ids"),
            Rename("Ipv6AllowedForDualStack", "ipv6_allowed_for_dual_stack"),
        ],
    ),
    Block(
        "EphemeralStorage",
        "ephemeral_storage",
        &[Rename("Size", "size")],
    ),
    Block("SnapStart", "snap_start", &[Rename("ApplyOn", "apply_on")]),
    Block(
        "LoggingConfig",
        "logging_config",
        &[
            Rename("LogFormat", "log_format"),
            Rename("ApplicationLogLevel", "application_log_level"),
            Rename("SystemLogLevel", "system_log_level"),
            Rename("LogGroup", "log_group"),
        ],
    ),
    Blocks(
        "FileSystemConfigs",
        "file_system_config",
        &[
            Rename("Arn", "arn"),
            Rename("LocalMountPath", "local_mount_path"),
        ],
    ),
    Custom(&CODE),
    CfnOnly(
        "RuntimeManagementConfig",
        "has no Terraform argument of the same meaning",
    ),
];

/// SAM's function.
pub const SERVERLESS: &[&[Rule]] = &[
    COMMON,
    &[
        Connection("Events"),
        Connection("Policies"),
        InBlock("Tracing", "tracing_config", "mode"),
        Custom(&DEAD_LETTER_QUEUE),
        TagMap("Tags", "tags"),
        Custom(&PUBLISH),
        Custom(&EVENT_INVOKE),
        CfnOnly("FunctionUrlConfig", "has no direct Terraform argument"),
        CfnOnly("DeploymentPreference", "has no direct Terraform argument"),
        CfnOnly(
            "ProvisionedConcurrencyConfig",
            "has no direct Terraform argument",
        ),
        CfnOnly("PropagateTags", "is SAM's own"),
    ],
];

/// CloudFormation's function.
pub const LAMBDA: &[&[Rule]] = &[
    COMMON,
    &[
        Block("TracingConfig", "tracing_config", &[Rename("Mode", "mode")]),
        Block(
            "DeadLetterConfig",
            "dead_letter_config",
            &[Rename("TargetArn", "target_arn")],
        ),
        Tags("Tags", "tags"),
    ],
];

/// Its role: named, or the one SAM makes from `Policies`; on the way back
/// SAM makes it again from the function's connections.
const ROLE: Custom = Custom {
    cfn: &[
        "Role",
        "AssumeRolePolicyDocument",
        "PermissionsBoundary",
        "RolePath",
    ],
    tf: &["role"],
    to_tf: |t, cx, p, m| {
        if let Some(v) = p.get("Role") {
            let r = t.value(v);
            t.put(m, "role", r);
        } else if cx.cfn == "AWS::Serverless::Function" {
            let role = t.serverless_role(cx.addr, cx.name, p, "lambda.amazonaws.com", true);
            m.insert("role".into(), expr(&format!("{role}.arn")));
        }
    },
    to_cfn: |_, _, _, _| {},
};

const DEAD_LETTER_QUEUE: Custom = Custom {
    cfn: &["DeadLetterQueue"],
    tf: &["dead_letter_config"],
    to_tf: |t, _, p, m| {
        if let Some(v) = p.get("DeadLetterQueue").and_then(|d| d.get("TargetArn")) {
            let r = t.value(v);
            m.insert("dead_letter_config".into(), json!([{"target_arn": r}]));
        }
    },
    to_cfn: |t, _, p, m| {
        let Some(target) = p
            .get("dead_letter_config")
            .and_then(|d| d.get(0).or(Some(d)))
            .and_then(|d| d.get("target_arn"))
        else {
            return;
        };
        let topic = target
            .as_str()
            .is_some_and(|s| s.contains("aws_sns_topic."));
        let v = t.value(target);
        m.insert(
            "DeadLetterQueue".into(),
            json!({"Type": if topic { "SNS" } else { "SQS" }, "TargetArn": v}),
        );
    },
};

/// The code: a folder to zip, an S3 object, an image, inline code.
const CODE: Custom = Custom {
    cfn: &[
        "CodeUri",
        "InlineCode",
        "Code",
        "ImageUri",
        "ImageConfig",
        "PackageType",
    ],
    tf: &[
        "filename",
        "source_code_hash",
        "s3_bucket",
        "s3_key",
        "s3_object_version",
        "image_uri",
        "package_type",
        "image_config",
    ],
    to_tf: code_to_tf,
    to_cfn: code_to_cfn,
};

fn code_to_tf(t: &mut ToTf, cx: &Cx, p: &Map, m: &mut Map) {
    let get = |k: &str| p.get(k);
    let image = get("ImageUri").or_else(|| get("Code").and_then(|c| c.get("ImageUri")));
    if let Some(img) = image {
        m.insert("package_type".into(), json!("Image"));
        let r = t.value(img);
        m.insert("image_uri".into(), r);
        if let Some(cfg) = get("ImageConfig") {
            let r = t.snake_value(cfg);
            m.insert("image_config".into(), json!([r]));
        }
    } else if let Some(code) = get("CodeUri") {
        match code {
            Value::String(dir) => {
                let dir = dir.trim_end_matches('/').trim_start_matches("./");
                t.archive(
                    cx.addr,
                    cx.name,
                    json!({"source_dir": format!("${{path.module}}/{dir}")}),
                    m,
                );
            }
            Value::Object(o) if o.contains_key("Bucket") => {
                let b = t.value(&o["Bucket"]);
                m.insert("s3_bucket".into(), b);
                if let Some(k) = o.get("Key") {
                    let k = t.value(k);
                    m.insert("s3_key".into(), k);
                }
            }
            other => {
                let r = t.value(other);
                if let Value::String(s) = &r {
                    m.insert("filename".into(), Value::String(s.clone()));
                }
            }
        }
    } else if let Some(code) =
        get("InlineCode").or_else(|| get("Code").and_then(|c| c.get("ZipFile")))
    {
        let content = t.value(code);
        let runtime = get("Runtime").and_then(Value::as_str).unwrap_or("python");
        let file = if runtime.starts_with("nodejs") {
            "index.js"
        } else {
            "index.py"
        };
        t.archive(
            cx.addr,
            cx.name,
            json!({"source": [{"content": content, "filename": file}]}),
            m,
        );
    } else if let Some(c) = get("Code") {
        if let Some(b) = c.get("S3Bucket") {
            let b = t.value(b);
            m.insert("s3_bucket".into(), b);
        }
        if let Some(k) = c.get("S3Key") {
            let k = t.value(k);
            m.insert("s3_key".into(), k);
        }
    }
    if get("PackageType").and_then(Value::as_str) == Some("Image") {
        m.insert("package_type".into(), json!("Image"));
    }
}

fn code_to_cfn(t: &mut ToSam, cx: &Cx, p: &Map, m: &mut Map) {
    if let Some(img) = p.get("image_uri") {
        m.insert("PackageType".into(), json!("Image"));
        let v = t.value(img);
        m.insert("ImageUri".into(), v);
        if let Some(Value::Object(c)) = p.get("image_config").and_then(|c| c.get(0).or(Some(c))) {
            let mut o = Map::new();
            for (tk, ck) in [
                ("command", "Command"),
                ("entry_point", "EntryPoint"),
                ("working_directory", "WorkingDirectory"),
            ] {
                if let Some(v) = c.get(tk) {
                    o.insert(ck.into(), t.value(v));
                }
            }
            m.insert("ImageConfig".into(), Value::Object(o));
        }
    } else if let Some(b) = p.get("s3_bucket") {
        let bucket = t.value(b);
        let key = p.get("s3_key").map(|k| t.value(k)).unwrap_or(json!(""));
        m.insert("CodeUri".into(), json!({"Bucket": bucket, "Key": key}));
    } else {
        let dir = archive_dir(t, cx, p.get("filename"));
        m.insert(
            "CodeUri".into(),
            json!(dir.unwrap_or_else(|| format!("src/{}/", cx.s.short_name()))),
        );
    }
}

/// The folder an archive data source zips, when `filename` names one.
pub fn archive_dir(t: &ToSam, cx: &Cx, filename: Option<&Value>) -> Option<String> {
    filename
        .and_then(Value::as_str)
        .and_then(single_interpolation)
        .and_then(|e| e.strip_suffix(".output_path"))
        .and_then(|d| {
            t.src
                .service(&format!("{}{d}", terraform::scope_of(&cx.s.id)))
        })
        .and_then(|d| {
            d.properties
                .get("source_dir")
                .or_else(|| d.properties.get("source_file"))
        })
        .and_then(Value::as_str)
        .map(|d| {
            d.replace("${path.module}/", "")
                .replace("${path.module}", ".")
        })
}

const PUBLISH: Custom = Custom {
    cfn: &[
        "AutoPublishAlias",
        "AutoPublishCodeSha256",
        "VersionDescription",
    ],
    tf: &["publish"],
    to_tf: |t, cx, p, m| {
        if let Some(alias) = p.get("AutoPublishAlias") {
            // SAM publishes a version on each deployment and points the
            // alias at it: Terraform's `publish` and an alias on `.version`.
            m.insert("publish".into(), json!(true));
            let mut b = Map::new();
            let name = t.value(alias);
            b.insert("name".into(), name);
            b.insert(
                "function_name".into(),
                expr(&format!("{}.function_name", cx.addr)),
            );
            b.insert(
                "function_version".into(),
                expr(&format!("{}.version", cx.addr)),
            );
            let id = t.free(format!("aws_lambda_alias.{}", cx.name));
            t.extra
                .push((cx.addr.to_string(), id, "aws_lambda_alias".into(), b));
        }
    },
    to_cfn: |t, cx, p, _| {
        if p.get("publish").is_some_and(|v| v != &json!(false)) {
            t.note(
                "publish has no SAM counterpart without an alias name (AutoPublishAlias); left out of"
                    .into(),
                cx.s.id.clone(),
            );
        }
    },
};

const EVENT_INVOKE: Custom = Custom {
    cfn: &["EventInvokeConfig"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        if let Some(c) = p.get("EventInvokeConfig") {
            t.event_invoke_config(cx.s, cx.addr, cx.name, c);
        }
    },
    to_cfn: |_, _, _, _| {},
};

pub const ALIAS: &[&[Rule]] = &[&[
    Rename("FunctionName", "function_name"),
    Rename("FunctionVersion", "function_version"),
    Rename("Name", "name"),
    Rename("Description", "description"),
]];
