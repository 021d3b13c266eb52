//! APIs: SAM's `Api` and `HttpApi`, API Gateway's REST and v2 APIs, and the
//! pieces Terraform and plain CloudFormation write them with (methods,
//! routes, integrations, stages, authorizers).

use serde_json::json;

use super::super::expr;
use super::super::rules::{Custom, Cx, Rule, Rule::*, json_text};
use super::super::to_sam::ToSam;
use super::super::to_tf::ToTf;
use crate::formats::names::snake_case;
use crate::model::{Map, Value};

const REST_COMMON: &[Rule] = &[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("BinaryMediaTypes", "binary_media_types"),
    Rename("ApiKeySourceType", "api_key_source"),
    Rename("MinimumCompressionSize", "minimum_compression_size"),
    Rename("DisableExecuteApiEndpoint", "disable_execute_api_endpoint"),
    Custom(&API),
];

const NOT_TRANSLATED: &[Rule] = &[
    CfnOnly("Cors", "is not translated"),
    CfnOnly("MethodSettings", "is not translated"),
    CfnOnly("DefinitionUri", "is not translated"),
    CfnOnly("GatewayResponses", "is not translated"),
    CfnOnly("Models", "is not translated"),
    CfnOnly("OpenApiVersion", "is SAM's own"),
    CfnOnly("Variables", "belongs on the stage in Terraform"),
    CfnOnly("StageVariables", "belongs on the stage in Terraform"),
    CfnOnly("CacheClusterEnabled", "belongs on the stage in Terraform"),
    CfnOnly("TracingEnabled", "belongs on the stage in Terraform"),
    CfnOnly("FailOnWarnings", "is not translated"),
    CfnOnly("DefaultRouteSettings", "belongs on the stage in Terraform"),
    CfnOnly("RouteSettings", "belongs on the stage in Terraform"),
    TfOnly("policy", "is not translated"),
    TfOnly("put_rest_api_mode", "is Terraform's own"),
];

/// SAM's REST API.
pub const SERVERLESS_API: &[&[Rule]] = &[
    REST_COMMON,
    &[Connection("Auth"), TagMap("Tags", "tags"), Custom(&DOMAIN)],
    NOT_TRANSLATED,
];

/// API Gateway's REST API.
pub const REST_API: &[&[Rule]] = &[REST_COMMON, &[Tags("Tags", "tags")], NOT_TRANSLATED];

const CORS: Rule = Block(
    "CorsConfiguration",
    "cors_configuration",
    &[
        Rename("AllowOrigins", "allow_origins"),
        Rename("AllowMethods", "allow_methods"),
        Rename("AllowHeaders", "allow_headers"),
        Rename("ExposeHeaders", "expose_headers"),
        Rename("MaxAge", "max_age"),
        Rename("AllowCredentials", "allow_credentials"),
    ],
);

/// SAM's HTTP API.
pub const SERVERLESS_HTTP_API: &[&[Rule]] = &[
    &[
        Rename("Name", "name"),
        Rename("Description", "description"),
        Rename("DisableExecuteApiEndpoint", "disable_execute_api_endpoint"),
        Custom(&HTTP),
        Custom(&API),
        Custom(&DOMAIN),
        CORS,
        Connection("Auth"),
        TagMap("Tags", "tags"),
        TfOnly(
            "route_selection_expression",
            "is for WebSocket APIs only in SAM",
        ),
    ],
    NOT_TRANSLATED,
];

/// API Gateway's v2 API (HTTP or WebSocket).
pub const V2_API: &[&[Rule]] = &[
    &[
        Rename("Name", "name"),
        Rename("Description", "description"),
        Rename("ProtocolType", "protocol_type"),
        Rename("RouteSelectionExpression", "route_selection_expression"),
        Rename("ApiKeySelectionExpression", "api_key_selection_expression"),
        Rename("DisableExecuteApiEndpoint", "disable_execute_api_endpoint"),
        Rename("Target", "target"),
        Custom(&API),
        CORS,
        TagMap("Tags", "tags"),
    ],
    NOT_TRANSLATED,
];

/// An HTTP API is `protocol_type = "HTTP"` in Terraform, and SAM's by its type.
const HTTP: Custom = Custom {
    cfn: &[],
    tf: &["protocol_type"],
    to_tf: |_, _, _, m| {
        if !m.contains_key("protocol_type") {
            m.insert("protocol_type".into(), json!("HTTP"));
        }
    },
    to_cfn: |_, _, _, _| {},
};

/// SAM's custom domain: Terraform's domain name, a mapping of the API's
/// stage onto it for each base path, and the Route 53 alias when a hosted
/// zone is given.
const DOMAIN: Custom = Custom {
    cfn: &["Domain"],
    tf: &[],
    to_tf: domain_to_tf,
    to_cfn: |_, _, _, _| {},
};

fn domain_to_tf(t: &mut ToTf, cx: &Cx, p: &Map, _: &mut Map) {
    let Some(d) = p.get("Domain").and_then(Value::as_object) else {
        if p.contains_key("Domain") {
            t.note(
                "Domain is not translated; left out of".into(),
                cx.s.id.clone(),
            );
        }
        return;
    };
    let v2 = cx.cfn == "AWS::Serverless::HttpApi";
    let endpoint = match d.get("EndpointConfiguration").map(|e| t.value(e)) {
        Some(Value::String(e)) => e,
        Some(_) => {
            t.note(
                "Domain's EndpointConfiguration is not a plain value; left out of".into(),
                cx.s.id.clone(),
            );
            return;
        }
        None => "REGIONAL".to_string(),
    };
    let edge = endpoint.eq_ignore_ascii_case("EDGE");
    let (dn_ty, map_ty) = if v2 {
        (
            "aws_apigatewayv2_domain_name",
            "aws_apigatewayv2_api_mapping",
        )
    } else {
        (
            "aws_api_gateway_domain_name",
            "aws_api_gateway_base_path_mapping",
        )
    };
    let dn = t.free(format!("{dn_ty}.{}", cx.name));
    let mut b = Map::new();
    if let Some(n) = d.get("DomainName") {
        let n = t.value(n);
        b.insert("domain_name".into(), n);
    }
    let cert = d.get("CertificateArn").map(|c| t.value(c));
    let policy = d.get("SecurityPolicy").map(|c| t.value(c));
    if v2 {
        let mut c = Map::new();
        if let Some(cert) = cert {
            c.insert("certificate_arn".into(), cert);
        }
        c.insert("endpoint_type".into(), json!(endpoint));
        c.insert(
            "security_policy".into(),
            policy.unwrap_or_else(|| json!("TLS_1_2")),
        );
        b.insert("domain_name_configuration".into(), json!([c]));
    } else {
        if let Some(cert) = cert {
            let key = if edge {
                "certificate_arn"
            } else {
                "regional_certificate_arn"
            };
            b.insert(key.into(), cert);
        }
        b.insert(
            "endpoint_configuration".into(),
            json!([{ "types": [endpoint] }]),
        );
        if let Some(p) = policy {
            b.insert("security_policy".into(), p);
        }
    }
    for k in d.keys() {
        if !matches!(
            k.as_str(),
            "DomainName"
                | "CertificateArn"
                | "EndpointConfiguration"
                | "SecurityPolicy"
                | "BasePath"
                | "Route53"
        ) {
            t.note(
                format!("Domain's {k} is not translated; left out of"),
                cx.s.id.clone(),
            );
        }
    }
    t.extra
        .push((cx.addr.to_string(), dn.clone(), dn_ty.into(), b));
    let mut after = dn.clone();
    // One mapping per base path; none given maps the whole domain.
    let paths: Vec<Value> = match d.get("BasePath") {
        Some(Value::Array(a)) => a.iter().map(|x| t.value(x)).collect(),
        Some(v) => vec![t.value(v)],
        None => vec![Value::Null],
    };
    let many = paths.len() > 1;
    for (i, path) in paths.into_iter().enumerate() {
        // (the domain's attribute, the stage's argument and attribute)
        let (domain_attr, stage_arg, stage) = if v2 {
            (
                "id",
                "stage",
                format!("aws_apigatewayv2_stage.{}.id", cx.name),
            )
        } else {
            (
                "domain_name",
                "stage_name",
                format!("aws_api_gateway_stage.{}.stage_name", cx.name),
            )
        };
        let mut m = Map::new();
        m.insert("api_id".into(), expr(&format!("{}.id", cx.addr)));
        m.insert("domain_name".into(), expr(&format!("{dn}.{domain_attr}")));
        m.insert(stage_arg.into(), expr(&stage));
        let path = match path {
            Value::String(s) => Value::String(s.trim_start_matches('/').to_string()),
            v => v,
        };
        if !path.is_null() && path != json!("") {
            m.insert(
                if v2 { "api_mapping_key" } else { "base_path" }.into(),
                path,
            );
        }
        let name = if many {
            format!("{}_{}", cx.name, i + 1)
        } else {
            cx.name.to_string()
        };
        let id = t.free(format!("{map_ty}.{name}"));
        t.extra.push((after, id.clone(), map_ty.into(), m));
        after = id;
    }
    if let Some(r) = d.get("Route53").and_then(Value::as_object) {
        let zone = match (r.get("HostedZoneId"), r.get("HostedZoneName")) {
            (Some(z), _) => Some(t.value(z)),
            (None, Some(_)) => {
                t.note(
                    "Route53 by HostedZoneName is not translated (give HostedZoneId); left out of"
                        .into(),
                    cx.s.id.clone(),
                );
                None
            }
            _ => None,
        };
        if let Some(zone) = zone {
            let (target, target_zone) = if v2 {
                (
                    format!("{dn}.domain_name_configuration[0].target_domain_name"),
                    format!("{dn}.domain_name_configuration[0].hosted_zone_id"),
                )
            } else if edge {
                (
                    format!("{dn}.cloudfront_domain_name"),
                    format!("{dn}.cloudfront_zone_id"),
                )
            } else {
                (
                    format!("{dn}.regional_domain_name"),
                    format!("{dn}.regional_zone_id"),
                )
            };
            let mut rec = Map::new();
            rec.insert("zone_id".into(), zone);
            rec.insert("name".into(), expr(&format!("{dn}.domain_name")));
            rec.insert("type".into(), json!("A"));
            rec.insert(
                "alias".into(),
                json!([{
                    "name": expr(&target),
                    "zone_id": expr(&target_zone),
                    "evaluate_target_health": r.get("EvaluateTargetHealth").cloned().unwrap_or(json!(false)),
                }]),
            );
            let id = t.free(format!("aws_route53_record.{}", cx.name));
            t.extra.push((after, id, "aws_route53_record".into(), rec));
        }
    }
}

/// The API's definition, endpoint, stage and authorizers.
const API: Custom = Custom {
    cfn: &[
        "DefinitionBody",
        "Body",
        "EndpointConfiguration",
        "StageName",
        "AccessLogSetting",
        "AccessLogSettings",
    ],
    tf: &["body", "endpoint_configuration"],
    to_tf: api_to_tf,
    to_cfn: api_to_cfn,
};

fn api_to_tf(t: &mut ToTf, cx: &Cx, p: &Map, m: &mut Map) {
    let v2 = cx.cfn.contains("Http") || cx.cfn.contains("V2");
    if v2 && !m.contains_key("protocol_type") {
        m.insert("protocol_type".into(), json!("HTTP"));
    }
    if let Some(b) = p.get("DefinitionBody").or_else(|| p.get("Body")) {
        let r = t.json_doc(b);
        m.insert("body".into(), r);
    }
    if let Some(e) = p.get("EndpointConfiguration") {
        let types = match e {
            Value::String(_) => json!([t.value(e)]),
            _ => e
                .get("Types")
                .or_else(|| e.get("Type"))
                .map(|x| t.value(x))
                .map(|x| if x.is_array() { x } else { json!([x]) })
                .unwrap_or(json!(["REGIONAL"])),
        };
        let mut c = Map::new();
        c.insert("types".into(), types);
        // A private API's VPC endpoints.
        if let Some(ids) = e.get("VpcEndpointIds") {
            let ids = t.value(ids);
            c.insert("vpc_endpoint_ids".into(), ids);
        }
        m.insert("endpoint_configuration".into(), json!([c]));
    }
    if let Some(Value::Object(auths)) = p.get("Auth").and_then(|a| a.get("Authorizers")) {
        let sam_v2 = cx.cfn == "AWS::Serverless::HttpApi";
        for (an, a) in auths {
            t.authorizer(cx.addr, cx.name, an, a, sam_v2);
        }
    }
    let mut stage = Map::new();
    if let Some(n) = p.get("StageName") {
        let n = t.value(n);
        stage.insert(if v2 { "name" } else { "stage_name" }.into(), n);
    }
    if let Some(l) = p
        .get("AccessLogSetting")
        .or_else(|| p.get("AccessLogSettings"))
    {
        let l = t.snake_value(l);
        stage.insert("access_log_settings".into(), json!([l]));
    }
    if !stage.is_empty() {
        t.stages.insert(cx.s.id.clone(), stage);
    }
}

fn api_to_cfn(t: &mut ToSam, cx: &Cx, p: &Map, m: &mut Map) {
    let sam = cx.cfn.starts_with("AWS::Serverless::");
    if let Some(b) = p.get("body") {
        let v = match t.value(b) {
            Value::String(s) => serde_json::from_str::<Value>(&s)
                .ok()
                .filter(Value::is_object)
                .map(|o| t.value(&o))
                .unwrap_or(Value::String(s)),
            v => v,
        };
        if v.is_object() {
            m.insert(if sam { "DefinitionBody" } else { "Body" }.into(), v);
        } else {
            t.left_out(cx, "body");
        }
    }
    if let Some(types) = p
        .get("endpoint_configuration")
        .and_then(|e| e.get(0).or(Some(e)))
        .and_then(|e| e.get("types"))
    {
        let types = t.value(types);
        let first = types.get(0).cloned().unwrap_or(types.clone());
        let mut e = if sam {
            json!({ "Type": first })
        } else {
            json!({ "Types": if types.is_array() { types } else { json!([types]) } })
        };
        if let Some(ids) = p
            .get("endpoint_configuration")
            .and_then(|e| e.get(0).or(Some(e)))
            .and_then(|e| e.get("vpc_endpoint_ids"))
        {
            e["VpcEndpointIds"] = t.value(ids);
        }
        m.insert("EndpointConfiguration".into(), e);
    }
    // SAM writes a stage's access logs on the API.
    // SAM writes a stage's access logs on the API.
    if sam {
        let http = cx.cfn == "AWS::Serverless::HttpApi";
        let cfn_key = if http {
            "AccessLogSettings"
        } else {
            "AccessLogSetting"
        };
        let logs = stage_of(t, cx, http).and_then(|s| s.properties.get("access_log_settings"));
        if let Some(l) = logs.and_then(|l| l.get(0).or(Some(l))) {
            let mut o = Map::new();
            if let Some(v) = l.get("destination_arn") {
                o.insert("DestinationArn".into(), t.value(v));
            }
            // The format is text (a JSON line, often `jsonencode(...)`).
            if let Some(f) = l.get("format").map(|v| t.value(v)).and_then(json_text) {
                o.insert("Format".into(), f);
            }
            if o.contains_key("DestinationArn") {
                m.insert(cfn_key.into(), Value::Object(o));
            }
        }
    }
    if cx.cfn == "AWS::Serverless::Api" {
        // SAM needs a stage; the one Terraform deploys, if there is one.
        let stage = stage_of(t, cx, false).and_then(|s| s.properties.get("stage_name"));
        let stage = match stage {
            Some(v) => t.value(v),
            None => json!("Prod"),
        };
        m.insert("StageName".into(), stage);
    }
}

/// The Terraform stage of the API being translated (a v2 stage for an
/// HTTP API).
fn stage_of<'a>(t: &ToSam<'a>, cx: &Cx, http: bool) -> Option<&'a crate::model::Service> {
    let (stage_ty, key) = if http {
        ("aws_apigatewayv2_stage", "api_id")
    } else {
        ("aws_api_gateway_stage", "rest_api_id")
    };
    let me = format!("{}.id", cx.s.id);
    t.src
        .services()
        .filter(|s| s.type_name == stage_ty)
        .find(|s| {
            s.properties
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|r| r.contains(&me))
        })
}

/// API Gateway's method; its integration is a resource of its own in Terraform.
pub const METHOD: &[&[Rule]] = &[&[
    Rename("RestApiId", "rest_api_id"),
    Rename("ResourceId", "resource_id"),
    Rename("HttpMethod", "http_method"),
    Rename("AuthorizationType", "authorization"),
    Rename("AuthorizerId", "authorizer_id"),
    Rename("ApiKeyRequired", "api_key_required"),
    Rename("RequestParameters", "request_parameters"),
    Custom(&INTEGRATION),
    CfnOnly(
        "MethodResponses",
        "is aws_api_gateway_method_response in Terraform and is not translated",
    ),
]];

const INTEGRATION: Custom = Custom {
    cfn: &["Integration"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        let Some(i) = p.get("Integration") else {
            return;
        };
        let mut b = Map::new();
        for k in ["RestApiId", "ResourceId", "HttpMethod"] {
            if let Some(v) = p.get(k) {
                b.insert(snake_case(k), t.value(v));
            }
        }
        for (ck, tk) in [
            ("Type", "type"),
            ("IntegrationHttpMethod", "integration_http_method"),
            ("Uri", "uri"),
            ("Credentials", "credentials"),
            ("RequestTemplates", "request_templates"),
            ("RequestParameters", "request_parameters"),
            ("PassthroughBehavior", "passthrough_behavior"),
            ("ConnectionType", "connection_type"),
            ("ConnectionId", "connection_id"),
            ("TimeoutInMillis", "timeout_milliseconds"),
            ("ContentHandling", "content_handling"),
            ("CacheKeyParameters", "cache_key_parameters"),
        ] {
            if let Some(x) = i.get(ck) {
                let x = t.value(x);
                b.insert(tk.into(), x);
            }
        }
        t.add_resource(cx.addr, "aws_api_gateway_integration", cx.name, b);
    },
    to_cfn: |_, _, _, _| {},
};

pub const RESOURCE: &[&[Rule]] = &[&[
    Rename("RestApiId", "rest_api_id"),
    Rename("ParentId", "parent_id"),
    Rename("PathPart", "path_part"),
]];

pub const DEPLOYMENT: &[&[Rule]] = &[&[
    Rename("RestApiId", "rest_api_id"),
    Rename("Description", "description"),
    CfnOnly("StageName", "belongs on aws_api_gateway_stage in Terraform"),
]];

pub const STAGE: &[&[Rule]] = &[&[
    Rename("RestApiId", "rest_api_id"),
    Rename("DeploymentId", "deployment_id"),
    Rename("StageName", "stage_name"),
    Rename("Description", "description"),
    Rename("TracingEnabled", "xray_tracing_enabled"),
    Rename("Variables", "variables"),
    Tags("Tags", "tags"),
]];

pub const AUTHORIZER: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("RestApiId", "rest_api_id"),
    Rename("Type", "type"),
    Rename("AuthorizerUri", "authorizer_uri"),
    Rename("ProviderARNs", "provider_arns"),
    Rename("IdentitySource", "identity_source"),
    Rename("AuthorizerCredentials", "authorizer_credentials"),
]];

pub const V2_INTEGRATION: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("IntegrationType", "integration_type"),
    Rename("IntegrationUri", "integration_uri"),
    Rename("IntegrationMethod", "integration_method"),
    Rename("IntegrationSubtype", "integration_subtype"),
    Rename("PayloadFormatVersion", "payload_format_version"),
    Rename("CredentialsArn", "credentials_arn"),
    Rename("RequestParameters", "request_parameters"),
    Rename("RequestTemplates", "request_templates"),
    Rename(
        "TemplateSelectionExpression",
        "template_selection_expression",
    ),
    Rename("ConnectionType", "connection_type"),
    Rename("Description", "description"),
    Rename("TimeoutInMillis", "timeout_milliseconds"),
]];

pub const V2_ROUTE: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("RouteKey", "route_key"),
    Rename("Target", "target"),
    Rename("AuthorizationType", "authorization_type"),
    Rename("AuthorizerId", "authorizer_id"),
    Rename("OperationName", "operation_name"),
    Rename(
        "RouteResponseSelectionExpression",
        "route_response_selection_expression",
    ),
]];

pub const V2_STAGE: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("StageName", "name"),
    Rename("AutoDeploy", "auto_deploy"),
    Rename("DeploymentId", "deployment_id"),
]];

pub const V2_AUTHORIZER: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("Name", "name"),
    Rename("AuthorizerType", "authorizer_type"),
    Rename("AuthorizerUri", "authorizer_uri"),
    Rename("IdentitySource", "identity_sources"),
    Rename(
        "AuthorizerPayloadFormatVersion",
        "authorizer_payload_format_version",
    ),
    Rename("EnableSimpleResponses", "enable_simple_responses"),
    Block(
        "JwtConfiguration",
        "jwt_configuration",
        &[Rename("Audience", "audience"), Rename("Issuer", "issuer")],
    ),
]];

pub const V2_DEPLOYMENT: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("Description", "description"),
]];

pub const V2_INTEGRATION_RESPONSE: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("IntegrationId", "integration_id"),
    Rename("IntegrationResponseKey", "integration_response_key"),
    Rename(
        "TemplateSelectionExpression",
        "template_selection_expression",
    ),
    Rename("ResponseTemplates", "response_templates"),
    Rename("ContentHandlingStrategy", "content_handling_strategy"),
]];

pub const V2_ROUTE_RESPONSE: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("RouteId", "route_id"),
    Rename("RouteResponseKey", "route_response_key"),
    Rename("ModelSelectionExpression", "model_selection_expression"),
    Rename("ResponseModels", "response_models"),
]];

/// API Gateway's custom domain (REST).
pub const DOMAIN_NAME: &[&[Rule]] = &[&[
    Rename("DomainName", "domain_name"),
    Rename("CertificateArn", "certificate_arn"),
    Rename("RegionalCertificateArn", "regional_certificate_arn"),
    Rename("SecurityPolicy", "security_policy"),
    Block(
        "EndpointConfiguration",
        "endpoint_configuration",
        &[Rename("Types", "types")],
    ),
    Block(
        "MutualTlsAuthentication",
        "mutual_tls_authentication",
        &[
            Rename("TruststoreUri", "truststore_uri"),
            Rename("TruststoreVersion", "truststore_version"),
        ],
    ),
    Rename(
        "OwnershipVerificationCertificateArn",
        "ownership_verification_certificate_arn",
    ),
    Tags("Tags", "tags"),
]];

/// API Gateway's custom domain (HTTP and WebSocket).
pub const V2_DOMAIN_NAME: &[&[Rule]] = &[&[
    Rename("DomainName", "domain_name"),
    Blocks(
        "DomainNameConfigurations",
        "domain_name_configuration",
        &[
            Rename("CertificateArn", "certificate_arn"),
            Rename("EndpointType", "endpoint_type"),
            Rename("SecurityPolicy", "security_policy"),
            Rename(
                "OwnershipVerificationCertificateArn",
                "ownership_verification_certificate_arn",
            ),
        ],
    ),
    Block(
        "MutualTlsAuthentication",
        "mutual_tls_authentication",
        &[
            Rename("TruststoreUri", "truststore_uri"),
            Rename("TruststoreVersion", "truststore_version"),
        ],
    ),
    TagMap("Tags", "tags"),
]];

/// A REST API's stage mapped onto a custom domain.
pub const BASE_PATH_MAPPING: &[&[Rule]] = &[&[
    Rename("RestApiId", "api_id"),
    Rename("DomainName", "domain_name"),
    Rename("Stage", "stage_name"),
    Rename("BasePath", "base_path"),
]];

/// An HTTP or WebSocket API's stage mapped onto a custom domain.
pub const API_MAPPING: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("DomainName", "domain_name"),
    Rename("Stage", "stage"),
    Rename("ApiMappingKey", "api_mapping_key"),
]];
