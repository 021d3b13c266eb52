//! One sketch, two languages. A sketch read from SAM/CloudFormation is
//! rewritten in Terraform's words before Terraform export, and one read from
//! Terraform in CloudFormation's words before SAM export: ids follow each
//! language's conventions (`OrderQueue` ↔ `aws_sqs_queue.order_queue`),
//! resource types and properties are translated for the main kinds of
//! service, references become the other language's references, and the
//! connections that one language writes as glue are left for the exporter
//! to write idiomatically. What has no equivalent is reported and stays in
//! the sketch it came from.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::json;

use crate::catalog::Kind;
use crate::formats::names::{pascal_case, snake_case};
use crate::formats::refs;
use crate::formats::terraform::{self, EVENT_TARGET, JSONENCODE};
use crate::model::Dialect;
use crate::model::{Connection, ConnectionKind, Map, Origin, Service, Sketch, Value};

// ============================================================ shared helpers

fn expr(e: &str) -> Value {
    Value::String(format!("${{{e}}}"))
}

/// A literal string as a Terraform template.
fn literal(s: &str) -> String {
    if s.contains("${") || s.contains("%{") {
        s.replace("${", "$${").replace("%{", "%%{")
    } else {
        s.to_string()
    }
}

fn quote(s: &str) -> String {
    terraform::quote_template(s)
}

/// A neutral Terraform value as an operand inside an expression.
fn operand(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match single_interpolation(s) {
            Some(e) => e.to_string(),
            None => quote(s),
        },
        Value::Array(a) => format!("[{}]", a.iter().map(operand).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => {
            if let (1, Some(inner)) = (m.len(), m.get(JSONENCODE)) {
                return format!("jsonencode({})", operand(inner));
            }
            if m.is_empty() {
                return "{}".into();
            }
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{} = {}", quote(k), operand(x)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

fn single_interpolation(s: &str) -> Option<&str> {
    if !s.starts_with("${") || !s.ends_with('}') {
        return None;
    }
    // Balanced braces and no second interpolation at the top level.
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 && i != b.len() - 1 {
                        return None;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    (depth == 0).then(|| s[2..s.len() - 1].trim())
}

/// Groups warnings of one kind: `what: a, b, c`.
#[derive(Default)]
struct Notes {
    lines: Vec<String>,
    grouped: BTreeMap<String, BTreeSet<String>>,
}

impl Notes {
    fn line(&mut self, s: String) {
        if !self.lines.contains(&s) {
            self.lines.push(s);
        }
    }
    fn group(&mut self, what: String, item: String) {
        self.grouped.entry(what).or_default().insert(item);
    }
    fn into_vec(self) -> Vec<String> {
        let mut v = self.lines;
        for (what, items) in self.grouped {
            let list: Vec<String> = items.into_iter().collect();
            let shown = if list.len() > 12 {
                format!("{} and {} more", list[..12].join(", "), list.len() - 12)
            } else {
                list.join(", ")
            };
            v.push(format!("{what}: {shown}"));
        }
        v
    }
}

// ============================================================ SAM → Terraform

/// Whether a sketch speaks CloudFormation and must be translated before
/// Terraform export.
pub fn needs_terraform(s: &Sketch) -> bool {
    s.dialect() == Some(Dialect::Sam)
}

/// Whether a sketch speaks Terraform and must be translated before SAM export.
pub fn needs_sam(s: &Sketch) -> bool {
    s.dialect() == Some(Dialect::Terraform)
}

/// The Terraform type for a CloudFormation type; `None` when it is written
/// some other way (a connector, a module).
/// CloudFormation types with a known Terraform type, for going back.
const KNOWN_CFN: &[&str] = &[
    "AWS::Serverless::Function",
    "AWS::Lambda::Function",
    "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::Api",
    "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::SimpleTable",
    "AWS::DynamoDB::Table",
    "AWS::Serverless::LayerVersion",
    "AWS::Lambda::LayerVersion",
    "AWS::Serverless::Connector",
    "AWS::Serverless::Application",
    "AWS::CloudFormation::Stack",
    "AWS::Serverless::GraphQLApi",
    "AWS::AppSync::GraphQLApi",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::InstanceProfile",
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Version",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::Events::EventBusPolicy",
    "AWS::Events::Rule",
    "AWS::Events::Connection",
    "AWS::Scheduler::Schedule",
    "AWS::Scheduler::ScheduleGroup",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Authorizer",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Deployment",
    "AWS::ApiGatewayV2::IntegrationResponse",
    "AWS::ApiGatewayV2::RouteResponse",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::CloudWatch::CompositeAlarm",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::EIP",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::Logs::MetricFilter",
    "AWS::KMS::Alias",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition",
    "AWS::ECR::Repository",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::Route53::RecordSet",
    "AWS::Route53::HostedZone",
    "AWS::CertificateManager::Certificate",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    "AWS::WAFv2::WebACL",
    "AWS::SES::ConfigurationSet",
    "AWS::SES::EmailIdentity",
    "AWS::Kinesis::StreamConsumer",
    "AWS::Events::Archive",
    "AWS::Events::ApiDestination",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::Athena::WorkGroup",
    "AWS::CodeDeploy::Application",
    "AWS::AppSync::DataSource",
    "AWS::AppSync::Resolver",
    "AWS::AppSync::GraphQLSchema",
];

/// The CloudFormation type a Terraform type came from, if known.
fn cfn_for_tf(tf: &str) -> Option<&'static str> {
    KNOWN_CFN
        .iter()
        .copied()
        .filter(|c| !c.starts_with("AWS::Serverless::"))
        .find(|c| tf_type(c, Kind::from_cfn_type(c)).as_deref() == Some(tf))
}

fn tf_type(cfn: &str, kind: Kind) -> Option<String> {
    let t = match cfn {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => "aws_lambda_function",
        "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => {
            "aws_sfn_state_machine"
        }
        "AWS::Serverless::Api" | "AWS::ApiGateway::RestApi" => "aws_api_gateway_rest_api",
        "AWS::Serverless::HttpApi" | "AWS::ApiGatewayV2::Api" => "aws_apigatewayv2_api",
        "AWS::Serverless::SimpleTable" | "AWS::DynamoDB::Table" => "aws_dynamodb_table",
        "AWS::Serverless::LayerVersion" | "AWS::Lambda::LayerVersion" => "aws_lambda_layer_version",
        "AWS::Serverless::Connector" => return None,
        "AWS::Serverless::Application" | "AWS::CloudFormation::Stack" => "module",
        "AWS::Serverless::GraphQLApi" | "AWS::AppSync::GraphQLApi" => "aws_appsync_graphql_api",
        "AWS::IAM::Role" => "aws_iam_role",
        "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => "aws_iam_role_policy",
        "AWS::IAM::ManagedPolicy" => "aws_iam_policy",
        "AWS::IAM::InstanceProfile" => "aws_iam_instance_profile",
        "AWS::Lambda::Permission" => "aws_lambda_permission",
        "AWS::Lambda::EventSourceMapping" => "aws_lambda_event_source_mapping",
        "AWS::Lambda::Alias" => "aws_lambda_alias",
        "AWS::Lambda::Version" => "aws_lambda_function_version_placeholder",
        "AWS::SNS::Subscription" => "aws_sns_topic_subscription",
        "AWS::SQS::QueuePolicy" => "aws_sqs_queue_policy",
        "AWS::SNS::TopicPolicy" => "aws_sns_topic_policy",
        "AWS::S3::BucketPolicy" => "aws_s3_bucket_policy",
        "AWS::Events::EventBusPolicy" => "aws_cloudwatch_event_bus_policy",
        "AWS::Events::Rule" => "aws_cloudwatch_event_rule",
        "AWS::Events::Connection" => "aws_cloudwatch_event_connection",
        "AWS::Scheduler::Schedule" => "aws_scheduler_schedule",
        "AWS::Scheduler::ScheduleGroup" => "aws_scheduler_schedule_group",
        "AWS::ApiGateway::Method" => "aws_api_gateway_method",
        "AWS::ApiGateway::Resource" => "aws_api_gateway_resource",
        "AWS::ApiGateway::Deployment" => "aws_api_gateway_deployment",
        "AWS::ApiGateway::Stage" => "aws_api_gateway_stage",
        "AWS::ApiGateway::Authorizer" => "aws_api_gateway_authorizer",
        "AWS::ApiGatewayV2::Route" => "aws_apigatewayv2_route",
        "AWS::ApiGatewayV2::Integration" => "aws_apigatewayv2_integration",
        "AWS::ApiGatewayV2::Authorizer" => "aws_apigatewayv2_authorizer",
        "AWS::ApiGatewayV2::Stage" => "aws_apigatewayv2_stage",
        "AWS::ApiGatewayV2::Deployment" => "aws_apigatewayv2_deployment",
        "AWS::ApiGatewayV2::IntegrationResponse" => "aws_apigatewayv2_integration_response",
        "AWS::ApiGatewayV2::RouteResponse" => "aws_apigatewayv2_route_response",
        "AWS::RDS::DBInstance" => "aws_db_instance",
        "AWS::RDS::DBCluster" => "aws_rds_cluster",
        "AWS::Cognito::UserPoolClient" => "aws_cognito_user_pool_client",
        "AWS::Cognito::UserPoolDomain" => "aws_cognito_user_pool_domain",
        "AWS::CloudWatch::CompositeAlarm" => "aws_cloudwatch_composite_alarm",
        "AWS::EC2::RouteTable" => "aws_route_table",
        "AWS::EC2::Route" => "aws_route",
        "AWS::EC2::SubnetRouteTableAssociation" => "aws_route_table_association",
        "AWS::EC2::InternetGateway" => "aws_internet_gateway",
        "AWS::EC2::VPCGatewayAttachment" => "aws_internet_gateway_attachment",
        "AWS::EC2::EIP" => "aws_eip",
        "AWS::EC2::VPCEndpoint" => "aws_vpc_endpoint",
        "AWS::EC2::SecurityGroupIngress" => "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroupEgress" => "aws_vpc_security_group_egress_rule",
        "AWS::Logs::MetricFilter" => "aws_cloudwatch_log_metric_filter",
        "AWS::KMS::Alias" => "aws_kms_alias",
        "AWS::SecretsManager::RotationSchedule" => "aws_secretsmanager_secret_rotation",
        "AWS::ECS::Cluster" => "aws_ecs_cluster",
        "AWS::ECS::TaskDefinition" => "aws_ecs_task_definition",
        "AWS::ECR::Repository" => "aws_ecr_repository",
        "AWS::ElasticLoadBalancingV2::TargetGroup" => "aws_lb_target_group",
        "AWS::ElasticLoadBalancingV2::Listener" => "aws_lb_listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule" => "aws_lb_listener_rule",
        "AWS::Route53::RecordSet" => "aws_route53_record",
        "AWS::Route53::HostedZone" => "aws_route53_zone",
        "AWS::CertificateManager::Certificate" => "aws_acm_certificate",
        "AWS::CloudFront::OriginAccessControl" => "aws_cloudfront_origin_access_control",
        "AWS::CloudFront::CloudFrontOriginAccessIdentity" => {
            "aws_cloudfront_origin_access_identity"
        }
        "AWS::WAFv2::WebACL" => "aws_wafv2_web_acl",
        "AWS::SES::ConfigurationSet" => "aws_ses_configuration_set",
        "AWS::SES::EmailIdentity" => "aws_sesv2_email_identity",
        "AWS::Kinesis::StreamConsumer" => "aws_kinesis_stream_consumer",
        "AWS::Events::Archive" => "aws_cloudwatch_event_archive",
        "AWS::Events::ApiDestination" => "aws_cloudwatch_event_api_destination",
        "AWS::Glue::Database" => "aws_glue_catalog_database",
        "AWS::Glue::Table" => "aws_glue_catalog_table",
        "AWS::Athena::WorkGroup" => "aws_athena_workgroup",
        "AWS::CodeDeploy::Application" => "aws_codedeploy_app",
        "AWS::AppSync::DataSource" => "aws_appsync_datasource",
        "AWS::AppSync::Resolver" => "aws_appsync_resolver",
        "AWS::AppSync::GraphQLSchema" => "aws_appsync_graphql_schema_placeholder",
        _ => {
            if let Some(t) = kind.entry().tf_types.first().filter(|_| !kind.is_generic()) {
                // The kind's own type when the CloudFormation type is its first.
                if kind.entry().cfn_types.first() == Some(&cfn) {
                    return Some((*t).to_string());
                }
                if let Some(i) = kind.entry().cfn_types.iter().position(|c| *c == cfn) {
                    if let Some(t2) = kind.entry().tf_types.get(i) {
                        return Some((*t2).to_string());
                    }
                }
                return Some((*t).to_string());
            }
            return Some(awscc_type(cfn));
        }
    };
    Some(t.to_string())
}

/// The Cloud Control provider's name for a CloudFormation type.
fn awscc_type(cfn: &str) -> String {
    let parts: Vec<&str> = cfn.split("::").collect();
    let svc = parts.get(1).copied().unwrap_or("custom");
    let res = parts.get(2).copied().unwrap_or("resource");
    format!(
        "awscc_{}_{}",
        snake_case(svc).replace('_', ""),
        snake_case(res)
    )
}

/// The attribute a CloudFormation `Ref` returns, in Terraform.
fn ref_attr(cfn: &str, tf: &str) -> &'static str {
    if tf.starts_with("awscc_") {
        return "id";
    }
    match cfn {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => "function_name",
        "AWS::SQS::Queue" => "url",
        "AWS::SNS::Topic"
        | "AWS::Serverless::StateMachine"
        | "AWS::StepFunctions::StateMachine"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::SecretsManager::Secret"
        | "AWS::Serverless::LayerVersion"
        | "AWS::Lambda::LayerVersion"
        | "AWS::Events::EventBusPolicy" => "arn",
        "AWS::S3::Bucket" => "bucket",
        "AWS::DynamoDB::Table"
        | "AWS::Serverless::SimpleTable"
        | "AWS::Kinesis::Stream"
        | "AWS::Events::EventBus"
        | "AWS::Events::Rule"
        | "AWS::Logs::LogGroup"
        | "AWS::IAM::Role"
        | "AWS::SSM::Parameter"
        | "AWS::KinesisFirehose::DeliveryStream"
        | "AWS::Scheduler::Schedule" => "name",
        "AWS::KMS::Key" => "key_id",
        "AWS::CloudWatch::Alarm" => "alarm_name",
        _ => "id",
    }
}

/// The Terraform attribute for a `Fn::GetAtt` attribute.
fn getatt_attr(cfn: &str, tf: &str, attr: &str) -> String {
    if tf.starts_with("awscc_") {
        return snake_case(&attr.replace('.', "_"));
    }
    match (cfn, attr) {
        (_, "Arn") => "arn".into(),
        (_, "StreamArn") => "stream_arn".into(),
        ("AWS::SQS::Queue", "QueueName") => "name".into(),
        ("AWS::SQS::Queue", "QueueUrl") => "url".into(),
        ("AWS::SNS::Topic", "TopicName") => "name".into(),
        (_, "Name") => "name".into(),
        (_, "RootResourceId") => "root_resource_id".into(),
        (_, "ApiEndpoint") => "api_endpoint".into(),
        ("AWS::S3::Bucket", "DomainName") => "bucket_domain_name".into(),
        ("AWS::S3::Bucket", "RegionalDomainName") => "bucket_regional_domain_name".into(),
        ("AWS::S3::Bucket", "WebsiteURL") => "website_endpoint".into(),
        ("AWS::Cognito::UserPool", "ProviderURL") => "endpoint".into(),
        ("AWS::Cognito::UserPool", "ProviderName") => "endpoint".into(),
        ("AWS::Cognito::UserPool", "UserPoolId") => "id".into(),
        ("AWS::EC2::SecurityGroup", "GroupId") => "id".into(),
        ("AWS::RDS::DBCluster" | "AWS::RDS::DBInstance", "Endpoint.Address") => "endpoint".into(),
        ("AWS::RDS::DBCluster" | "AWS::RDS::DBInstance", "Endpoint.Port") => "port".into(),
        ("AWS::CloudFront::Distribution", "DomainName") => "domain_name".into(),
        ("AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi", "ApiId") => "id".into(),
        ("AWS::Lambda::Url", "FunctionUrl") => "function_url".into(),
        _ => snake_case(&attr.replace('.', "_")),
    }
}

struct ToTf<'a> {
    src: &'a Sketch,
    /// Logical id to Terraform address.
    ids: HashMap<String, String>,
    cfn_types: HashMap<String, String>,
    tf_types: HashMap<String, String>,
    /// Resources under a condition: referenced as `addr[0]`.
    counted: HashSet<String>,
    params: HashMap<String, String>,
    conditions: HashMap<String, String>,
    mappings: HashMap<String, String>,
    /// Data sources and variables the references need.
    data: BTreeSet<(String, String)>,
    extra_vars: BTreeMap<String, Map>,
    notes: Notes,
    taken: HashSet<String>,
    /// Extra resources made from properties (topic subscriptions, rule
    /// targets, bucket settings): (after id, address, type, body).
    extra: Vec<(String, String, String, Map)>,
    /// Stage settings of APIs (the Terraform exporter makes the stage).
    stages: HashMap<String, Map>,
    /// Target settings of SAM's schedule and rule events (the Terraform
    /// exporter makes the target).
    event_targets: HashMap<String, Map>,
}

/// Translates a SAM/CloudFormation sketch into Terraform's words.
pub fn to_terraform(src: &Sketch, warnings: &mut Vec<String>) -> Sketch {
    let mut t = ToTf {
        src,
        ids: HashMap::new(),
        cfn_types: HashMap::new(),
        tf_types: HashMap::new(),
        counted: HashSet::new(),
        params: HashMap::new(),
        conditions: HashMap::new(),
        mappings: HashMap::new(),
        data: BTreeSet::new(),
        extra_vars: BTreeMap::new(),
        notes: Notes::default(),
        taken: HashSet::new(),
        extra: Vec::new(),
        stages: HashMap::new(),
        event_targets: HashMap::new(),
    };
    let out = t.run();
    warnings.extend(t.notes.into_vec());
    out
}

/// The address and Terraform type each service of a SAM sketch is written
/// under; services written some other way (connectors) have none.
fn terraform_names(src: &Sketch) -> Vec<(&Service, String, String)> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in src.services() {
        let Some(mut ty) = tf_type(&s.type_name, s.kind) else {
            continue;
        };
        // SAM's IoT rule event: an IoT rule that triggers its function.
        if s.implicit && s.type_name == "AWS::IoT::TopicRule" {
            ty = "aws_iot_topic_rule".into();
        }
        let base = if ty == "module" {
            format!("module.{}", snake_case(&s.id))
        } else {
            format!("{ty}.{}", snake_case(&s.id))
        };
        let mut addr = base.clone();
        let mut n = 2;
        while taken.contains(&addr) {
            addr = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(addr.clone());
        out.push((s, addr, ty));
    }
    out
}

/// Each service's id to the address its translation to Terraform has, so
/// what is shown of the translation can be matched with the sketch.
pub fn terraform_ids(src: &Sketch) -> HashMap<String, String> {
    terraform_names(src)
        .into_iter()
        .map(|(s, addr, _)| (s.id.clone(), addr))
        .collect()
}

impl ToTf<'_> {
    fn free(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }

    fn run(&mut self) -> Sketch {
        let src = self.src;
        // Names first, so references can be written in any order.
        if let Some(Value::Object(ps)) = src.sections.get("Parameters") {
            for k in ps.keys() {
                self.params
                    .insert(k.clone(), format!("var.{}", snake_case(k)));
            }
        }
        if let Some(Value::Object(cs)) = src.sections.get("Conditions") {
            for k in cs.keys() {
                self.conditions
                    .insert(k.clone(), format!("local.{}", snake_case(k)));
            }
        }
        if let Some(Value::Object(ms)) = src.sections.get("Mappings") {
            for k in ms.keys() {
                self.mappings
                    .insert(k.clone(), format!("local.{}", snake_case(k)));
            }
        }
        for (s, addr, ty) in terraform_names(src) {
            self.taken.insert(addr.clone());
            self.ids.insert(s.id.clone(), addr);
            self.cfn_types.insert(s.id.clone(), s.type_name.clone());
            self.tf_types.insert(s.id.clone(), ty);
            if s.attributes.contains_key("Condition") {
                self.counted.insert(s.id.clone());
            }
        }
        let mut out = Sketch::new();
        out.name = src.name.clone();
        out.notes = src.notes.clone();
        out.groups = src.groups.clone();
        let globals = src
            .sections
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for s in src.services() {
            let Some(addr) = self.ids.get(&s.id).cloned() else {
                self.notes.group(
                    "SAM connectors are written as IAM statements of their source".into(),
                    s.id.clone(),
                );
                continue;
            };
            let ty = self.tf_types[&s.id].clone();
            let mut props = s.properties.clone();
            if s.type_name == "AWS::Serverless::Function" {
                merge_globals(&mut props, &globals);
            }
            let body = self.properties(s, &addr, &ty, &props);
            let mut svc = Service::new(
                addr.clone(),
                s.kind,
                if ty == "module" {
                    "module".to_string()
                } else {
                    ty.clone()
                },
            );
            svc.properties = body;
            svc.attributes = self.attributes(s);
            if s.implicit && s.kind.word() == "api" {
                self.stages.entry(s.id.clone()).or_insert_with(|| {
                    json!({"stage_name": "Prod"})
                        .as_object()
                        .cloned()
                        .unwrap_or_default()
                });
            }
            if let Some(stage) = self.stages.remove(&s.id) {
                svc.attributes.insert("stage".into(), Value::Object(stage));
            }
            if let Some(t) = self.event_targets.remove(&s.id) {
                svc.attributes.insert(EVENT_TARGET.into(), Value::Object(t));
            }
            svc.label = s.label.clone();
            svc.group = s.group.clone();
            svc.position = s.position;
            svc.usage = s.usage.clone();
            svc.multiplicity = s.multiplicity.clone().or_else(|| {
                s.attributes
                    .contains_key("Condition")
                    .then(|| "×0..1".to_string())
            });
            if ty == "aws_cloudwatch_event_rule"
                && svc.properties.contains_key("schedule_expression")
                && !svc.properties.contains_key("event_pattern")
            {
                svc.kind = Kind::parse("schedule").expect("catalog word");
            }
            let _ = out.add_service(svc);
        }
        for (after, addr, ty, body) in std::mem::take(&mut self.extra) {
            let mut svc = Service::new(addr.clone(), Kind::from_tf_type(&ty), ty);
            svc.properties = body;
            let at = out.index_of(&after).map_or(out.len(), |i| i + 1);
            let _ = out.insert_service(at, svc);
        }
        for (ty, name) in self.data.clone() {
            let id = format!("data.{ty}.{name}");
            if !out.contains(&id) {
                let _ = out.add_service(Service::new(id, Kind::generic(), ty));
            }
        }
        // Connections: what SAM writes as events, policies, connectors and
        // authorizers is left for the Terraform exporter to write; what a
        // translated property or resource already says keeps an origin.
        for (a, b, c) in src.connections() {
            let (Some(ta), Some(tb)) = (self.ids.get(a), self.ids.get(b)) else {
                continue;
            };
            let mut nc = Connection::new(c.kind);
            nc.label = c.label.clone();
            nc.multiplier = c.multiplier;
            if c.kind == ConnectionKind::Route {
                // Every route the events give, not only the first.
                let routes = self.routes(c);
                if !routes.is_empty() {
                    nc.label = Some(routes.join(", "));
                }
            }
            let sam_only = c.origins.is_empty() || c.origins.iter().any(|o| self.sam_only(o));
            if sam_only && self.in_event_pattern(a, b, c) {
                // The translated rule's pattern says it already.
                nc.origins.push(Origin {
                    resource: tb.clone(),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            } else if !sam_only {
                let o = &c.origins[0];
                nc.origins.push(Origin {
                    resource: self
                        .ids
                        .get(&o.resource)
                        .cloned()
                        .unwrap_or_else(|| ta.clone()),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            }
            let _ = out.connect(ta, tb, nc);
        }
        self.sections(&mut out);
        out
    }

    /// `METHOD /path` of each API event behind a route.
    fn routes(&self, c: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for o in &c.origins {
            let Some(name) = o.pointer.strip_prefix("/Properties/Events/") else {
                continue;
            };
            let Some(ev) = self
                .src
                .service(&o.resource)
                .and_then(|s| s.properties.get("Events"))
                .and_then(|e| e.get(name.replace("~1", "/").replace("~0", "~")))
            else {
                continue;
            };
            let p = ev.get("Properties");
            let path = p.and_then(|p| p.get("Path")).and_then(Value::as_str);
            let method = p
                .and_then(|p| p.get("Method"))
                .and_then(Value::as_str)
                .unwrap_or("ANY");
            let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
            let r = match (ty, path) {
                (_, Some(path)) => format!("{} {path}", method.to_uppercase()),
                ("HttpApi", None) => "$default".to_string(),
                _ => continue,
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// Whether a trigger comes from a resource a SAM rule event's pattern
    /// names, which the rule translated keeps in its `event_pattern`.
    fn in_event_pattern(&self, from: &str, rule: &str, c: &Connection) -> bool {
        c.kind == ConnectionKind::Trigger
            && self.src.service(rule).is_some_and(|r| {
                r.implicit
                    && r.properties
                        .get("Pattern")
                        .is_some_and(|p| refs::cfn_targets(p).iter().any(|t| t == from))
            })
    }

    /// Whether an origin is something only SAM writes (an event, a policy
    /// template, a connector, an API's auth), so Terraform must write the
    /// connection its own way.
    fn sam_only(&self, o: &Origin) -> bool {
        let p = o.pointer.as_str();
        if let Some(rest) = p.strip_prefix("/Properties/Policies") {
            // Inline statements are translated; policy templates are not.
            let item = self.src.service(&o.resource).and_then(|s| {
                let pol = s.properties.get("Policies")?;
                match rest.strip_prefix('/') {
                    Some(i) => pol.get(i.split('/').next()?.parse::<usize>().ok()?),
                    None => Some(pol),
                }
            });
            return item.is_none_or(|i| i.get("Statement").is_none());
        }
        p.starts_with("/Properties/Events")
            || p.starts_with("/Connectors")
            || self
                .cfn_types
                .get(&o.resource)
                .is_some_and(|t| t == "AWS::Serverless::Connector")
            || self.src.service(&o.resource).is_some_and(|s| s.implicit)
    }

    fn reference(&mut self, id: &str) -> Option<String> {
        let addr = self.ids.get(id)?.clone();
        if self.counted.contains(id) {
            Some(format!("{addr}[0]"))
        } else {
            Some(addr)
        }
    }

    fn pseudo(&mut self, name: &str) -> Option<String> {
        let (ty, attr) = match name {
            "AWS::Region" => ("aws_region", "name"),
            "AWS::AccountId" => ("aws_caller_identity", "account_id"),
            "AWS::Partition" => ("aws_partition", "partition"),
            "AWS::URLSuffix" => ("aws_partition", "dns_suffix"),
            "AWS::StackName" | "AWS::StackId" => {
                self.stack_var();
                return Some("var.stack_name".into());
            }
            "AWS::NotificationARNs" => return Some("[]".into()),
            _ => return None,
        };
        let name = if ty == "aws_availability_zones" {
            "available"
        } else {
            "current"
        };
        self.data.insert((ty.to_string(), name.to_string()));
        Some(format!("data.{ty}.{name}.{attr}"))
    }

    fn stack_var(&mut self) {
        if !self.params.values().any(|v| v == "var.stack_name") {
            let mut m = Map::new();
            m.insert(
                "description".into(),
                json!("Name prefix for what this configuration creates"),
            );
            m.insert("type".into(), expr("string"));
            m.insert(
                "default".into(),
                json!(self.src.name.clone().unwrap_or_else(|| "app".into())),
            );
            self.extra_vars.insert("stack_name".into(), m);
        }
    }

    /// A name that is neither a resource nor a parameter: a variable.
    fn unknown(&mut self, name: &str) -> String {
        let v = snake_case(name);
        self.notes.group(
            "names no resource or parameter of the template; written as variables".into(),
            name.to_string(),
        );
        self.extra_vars.entry(v.clone()).or_insert_with(|| {
            let mut m = Map::new();
            m.insert("type".into(), expr("string"));
            m
        });
        format!("var.{v}")
    }

    /// The Terraform expression for `Ref: name`.
    fn ref_expr(&mut self, name: &str) -> Option<String> {
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(p) = self.pseudo(name) {
            return Some(p);
        }
        if let Some(v) = self.params.get(name) {
            return Some(v.clone());
        }
        if let Some(r) = self.reference(name) {
            let attr = ref_attr(&self.cfn_types[name], &self.tf_types[name]);
            return Some(if self.tf_types[name] == "module" {
                r
            } else {
                format!("{r}.{attr}")
            });
        }
        Some(self.unknown(name))
    }

    fn getatt_expr(&mut self, name: &str, attr: &str) -> String {
        match self.reference(name) {
            Some(r) if self.tf_types[name] == "module" => {
                let out = attr.strip_prefix("Outputs.").unwrap_or(attr);
                format!("{r}.{}", snake_case(out))
            }
            Some(r) => {
                let a = getatt_attr(&self.cfn_types[name], &self.tf_types[name], attr);
                format!("{r}.{a}")
            }
            None => self.unknown(&format!("{name}{}", attr.replace('.', ""))),
        }
    }

    /// `Fn::Sub` text with `${Name}` made Terraform interpolations.
    fn sub(&mut self, s: &str, vars: &Map) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&literal(&rest[..i]));
            rest = &rest[i + 2..];
            let Some(end) = rest.find('}') else {
                out.push_str("$${");
                break;
            };
            let inner = rest[..end].trim();
            rest = &rest[end + 1..];
            if let Some(lit) = inner.strip_prefix('!') {
                out.push_str(&format!("$${{{lit}}}"));
                continue;
            }
            let e = if let Some(v) = vars.get(inner) {
                let tv = self.value(v);
                match &tv {
                    // A literal goes in as text.
                    Value::String(t) if !t.contains("${") && !t.contains("%{") => {
                        out.push_str(t);
                        continue;
                    }
                    Value::String(t) if single_interpolation(t).is_some() => {
                        single_interpolation(t).unwrap_or("null").to_string()
                    }
                    _ => operand(&tv),
                }
            } else {
                match inner.split_once('.') {
                    Some((n, a)) if !n.starts_with("AWS::") => self.getatt_expr(n, a),
                    _ => self.ref_expr(inner).unwrap_or_else(|| "\"\"".into()),
                }
            };
            out.push_str(&format!("${{{e}}}"));
        }
        out.push_str(&literal(rest));
        out
    }

    fn cond_expr(&mut self, v: &Value) -> String {
        let e = self.cond_expr_inner(v);
        if e.trim().is_empty() {
            "false".into()
        } else {
            e
        }
    }

    fn cond_expr_inner(&mut self, v: &Value) -> String {
        match v {
            Value::Object(m) if m.len() == 1 => {
                let (k, inner) = m.iter().next().expect("one");
                let list = inner.as_array().cloned().unwrap_or_default();
                match k.as_str() {
                    "Condition" => inner
                        .as_str()
                        .and_then(|c| self.conditions.get(c).cloned())
                        .unwrap_or_else(|| "false".into()),
                    "Fn::Equals" if list.len() == 2 => {
                        let a = operand(&self.value(&list[0]));
                        let b = operand(&self.value(&list[1]));
                        format!("{a} == {b}")
                    }
                    "Fn::Not" if !list.is_empty() => format!("!({})", self.cond_expr(&list[0])),
                    "Fn::And" | "Fn::Or" => {
                        let op = if k == "Fn::And" { " && " } else { " || " };
                        let parts: Vec<String> = list
                            .iter()
                            .map(|x| format!("({})", self.cond_expr(x)))
                            .collect();
                        parts.join(op)
                    }
                    _ => operand(&self.value(v)),
                }
            }
            other => operand(&self.value(other)),
        }
    }

    /// A CloudFormation value as a neutral Terraform value.
    fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(literal(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) if m.len() == 1 => {
                let (k, inner) = m.iter().next().expect("one");
                let list = inner.as_array().cloned().unwrap_or_default();
                match k.as_str() {
                    "Ref" => match inner.as_str().and_then(|n| self.ref_expr(n)) {
                        Some(e) => expr(&e),
                        None => Value::Null,
                    },
                    "Fn::GetAtt" => {
                        let (n, a) = match inner {
                            Value::String(s) => match s.split_once('.') {
                                Some((n, a)) => (n.to_string(), a.to_string()),
                                None => (s.clone(), "Arn".into()),
                            },
                            Value::Array(a) => (
                                a.first().and_then(Value::as_str).unwrap_or("").to_string(),
                                a.get(1)
                                    .and_then(Value::as_str)
                                    .unwrap_or("Arn")
                                    .to_string(),
                            ),
                            _ => return Value::Null,
                        };
                        expr(&self.getatt_expr(&n, &a))
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match inner {
                            Value::String(s) => (s.clone(), Map::new()),
                            Value::Array(a) => (
                                a.first().and_then(Value::as_str).unwrap_or("").to_string(),
                                a.get(1)
                                    .and_then(Value::as_object)
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            _ => return Value::Null,
                        };
                        Value::String(self.sub(&text, &vars))
                    }
                    "Fn::Join" if list.len() == 2 => {
                        let sep = list[0].as_str().unwrap_or("").to_string();
                        let items = self.value(&list[1]);
                        expr(&format!(
                            "join({}, {})",
                            quote(&literal(&sep)),
                            operand(&items)
                        ))
                    }
                    "Fn::If" if list.len() == 3 => {
                        let c = list[0]
                            .as_str()
                            .and_then(|c| self.conditions.get(c).cloned())
                            .unwrap_or_else(|| "false".into());
                        let a = self.value(&list[1]);
                        let b = self.value(&list[2]);
                        expr(&format!("{c} ? {} : {}", operand(&a), operand(&b)))
                    }
                    "Fn::Select" if list.len() == 2 => {
                        let i = self.value(&list[0]);
                        let l = self.value(&list[1]);
                        expr(&format!("element({}, {})", operand(&l), operand(&i)))
                    }
                    "Fn::Split" if list.len() == 2 => {
                        let sep = list[0].as_str().unwrap_or(",").to_string();
                        let s = self.value(&list[1]);
                        expr(&format!(
                            "split({}, {})",
                            quote(&literal(&sep)),
                            operand(&s)
                        ))
                    }
                    "Fn::GetAZs" => {
                        self.data
                            .insert(("aws_availability_zones".into(), "available".into()));
                        expr("data.aws_availability_zones.available.names")
                    }
                    "Fn::Base64" => {
                        let x = self.value(inner);
                        expr(&format!("base64encode({})", operand(&x)))
                    }
                    "Fn::FindInMap" if list.len() == 3 => {
                        let m = list[0]
                            .as_str()
                            .and_then(|n| self.mappings.get(n).cloned())
                            .unwrap_or_else(|| "local.mappings".into());
                        let k1 = self.value(&list[1]);
                        let k2 = self.value(&list[2]);
                        expr(&format!("{m}[{}][{}]", operand(&k1), operand(&k2)))
                    }
                    "Fn::ImportValue" => {
                        let name = match inner {
                            Value::String(s) => s.clone(),
                            _ => "imported_value".into(),
                        };
                        self.notes.group(
                            "Fn::ImportValue has no Terraform equivalent; written as variables"
                                .into(),
                            name.clone(),
                        );
                        let v = format!("import_{}", snake_case(&name));
                        self.extra_vars.entry(v.clone()).or_insert_with(|| {
                            let mut m = Map::new();
                            m.insert("type".into(), expr("string"));
                            m
                        });
                        expr(&format!("var.{v}"))
                    }
                    "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                        expr(&self.cond_expr(v))
                    }
                    "Fn::Cidr" if list.len() == 3 => {
                        let ip = self.value(&list[0]);
                        let n = self.value(&list[1]);
                        let bits = self.value(&list[2]);
                        self.notes.group(
                            "Fn::Cidr is written with cidrsubnet; check the subnet sizes".into(),
                            "Fn::Cidr".into(),
                        );
                        expr(&format!(
                            "[for i in range({}) : cidrsubnet({}, {}, i)]",
                            operand(&n),
                            operand(&ip),
                            operand(&bits)
                        ))
                    }
                    "Fn::ToJsonString" => {
                        let x = self.value(inner);
                        json!({ JSONENCODE: x })
                    }
                    "Fn::Length" => {
                        let x = self.value(inner);
                        expr(&format!("length({})", operand(&x)))
                    }
                    k if k.starts_with("Fn::") => {
                        self.notes.group(
                            "intrinsic functions with no Terraform equivalent were left out".into(),
                            k.to_string(),
                        );
                        Value::Null
                    }
                    _ => {
                        let mut out = Map::new();
                        out.insert(k.clone(), self.value(inner));
                        Value::Object(out)
                    }
                }
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let tv = self.value(x);
                    if !tv.is_null() || x.is_null() {
                        out.insert(k.clone(), tv);
                    }
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// A value whose object keys become snake_case at every level (for
    /// nested settings such as `VpcConfig`).
    fn snake_value(&mut self, v: &Value) -> Value {
        match v {
            Value::Object(m)
                if m.len() == 1
                    && m.keys()
                        .next()
                        .is_some_and(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                self.value(v)
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let tv = self.snake_value(x);
                    if !tv.is_null() {
                        out.insert(snake_case(k), tv);
                    }
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.snake_value(x)).collect()),
            other => self.value(other),
        }
    }

    fn json_doc(&mut self, v: &Value) -> Value {
        let x = match v {
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(parsed) => self.value(&parsed),
                Err(_) => return Value::String(literal(s)),
            },
            other => self.value(other),
        };
        if let Value::String(_) = x {
            return x;
        }
        json!({ JSONENCODE: x })
    }

    fn tags(&mut self, v: &Value) -> Value {
        match v {
            Value::Array(a) => {
                let mut m = Map::new();
                for t in a {
                    if let (Some(k), Some(val)) =
                        (t.get("Key").and_then(Value::as_str), t.get("Value"))
                    {
                        m.insert(k.to_string(), self.value(val));
                    }
                }
                Value::Object(m)
            }
            other => self.value(other),
        }
    }

    fn attributes(&mut self, s: &Service) -> Map {
        let mut m = Map::new();
        for (k, v) in &s.attributes {
            match k.as_str() {
                "Condition" => {
                    let c = v
                        .as_str()
                        .and_then(|c| self.conditions.get(c).cloned())
                        .unwrap_or_else(|| "false".into());
                    m.insert("count".into(), expr(&format!("{c} ? 1 : 0")));
                }
                "DependsOn" => {
                    let list: Vec<String> = match v {
                        Value::String(x) => vec![x.clone()],
                        Value::Array(a) => a
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                        _ => vec![],
                    };
                    let deps: Vec<Value> = list
                        .iter()
                        .filter_map(|d| self.ids.get(d).cloned())
                        .map(|d| expr(&d))
                        .collect();
                    if !deps.is_empty() {
                        m.insert("depends_on".into(), Value::Array(deps));
                    }
                }
                "DeletionPolicy" | "UpdateReplacePolicy" => {
                    if v.as_str() == Some("Retain") {
                        m.insert("lifecycle".into(), json!([{"prevent_destroy": true}]));
                    }
                }
                "Metadata" | "Connectors" | "UpdatePolicy" | "CreationPolicy" | "IgnoreGlobals" => {
                    if k != "Connectors" {
                        self.notes.group(
                            format!("{k} has no Terraform equivalent; left out of"),
                            s.id.clone(),
                        );
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// Puts `v` under `key` unless it is null.
    fn put(&mut self, m: &mut Map, key: &str, v: Value) {
        if !v.is_null() {
            m.insert(key.to_string(), v);
        }
    }

    fn properties(&mut self, s: &Service, addr: &str, ty: &str, p: &Map) -> Map {
        let mut m = Map::new();
        let cfn = s.type_name.as_str();
        let mut rest: Vec<&String> = Vec::new();
        // Simple renames first.
        let simple = simple_renames(cfn);
        for (k, v) in p {
            if let Some((_, tk)) = simple.iter().find(|(c, _)| *c == k) {
                let tv = self.value(v);
                self.put(&mut m, tk, tv);
            } else {
                rest.push(k);
            }
        }
        let get = |k: &str| p.get(k);
        let name = addr.rsplit('.').next().unwrap_or(addr).to_string();
        let mut handled: HashSet<&str> = HashSet::new();
        macro_rules! take {
            ($($k:literal),*) => { $( handled.insert($k); )* };
        }
        // SAM's events, policies, connectors and API auth are connections,
        // written by the exporter.
        if matches!(
            cfn,
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine"
        ) {
            take!("Events", "Policies");
        }
        if matches!(cfn, "AWS::Serverless::Api" | "AWS::Serverless::HttpApi") {
            take!("Auth");
        }
        take!("Connectors");
        if s.implicit && matches!(cfn, "AWS::Events::Rule" | "AWS::Scheduler::Schedule") {
            self.event_properties(s, p, &mut m, &mut handled);
        }
        match cfn {
            "AWS::Serverless::Function" | "AWS::Lambda::Function" => {
                take!(
                    "Tracing",
                    "Environment",
                    "VpcConfig",
                    "CodeUri",
                    "InlineCode",
                    "Code",
                    "ImageUri",
                    "DeadLetterQueue",
                    "DeadLetterConfig",
                    "EphemeralStorage",
                    "Tags",
                    "LoggingConfig",
                    "SnapStart",
                    "TracingConfig",
                    "AutoPublishAlias",
                    "FunctionUrlConfig",
                    "DeploymentPreference",
                    "ProvisionedConcurrencyConfig",
                    "ImageConfig",
                    "AssumeRolePolicyDocument",
                    "PermissionsBoundary",
                    "PackageType",
                    "RuntimeManagementConfig",
                    "Layers",
                    "Role",
                    "EventInvokeConfig",
                    "AutoPublishCodeSha256",
                    "VersionDescription",
                    "PropagateTags",
                    "RolePath",
                    "CodeSigningConfigArn",
                    "FileSystemConfigs"
                );
                if let Some(v) = get("Role") {
                    let r = self.value(v);
                    self.put(&mut m, "role", r);
                } else if cfn == "AWS::Serverless::Function" {
                    let role = self.serverless_role(addr, &name, p, "lambda.amazonaws.com", true);
                    m.insert("role".into(), expr(&format!("{role}.arn")));
                }
                if let Some(v) = get("Layers") {
                    let r = self.value(v);
                    self.put(&mut m, "layers", r);
                }
                if let Some(v) =
                    get("Tracing").or_else(|| get("TracingConfig").and_then(|t| t.get("Mode")))
                {
                    let r = self.value(v);
                    m.insert("tracing_config".into(), json!([{"mode": r}]));
                }
                if let Some(vars) = get("Environment").and_then(|e| e.get("Variables")) {
                    let r = self.value(vars);
                    m.insert("environment".into(), json!([{"variables": r}]));
                }
                if let Some(v) = get("VpcConfig") {
                    let mut c = Map::new();
                    if let Some(x) = v.get("SubnetIds") {
                        c.insert("subnet_ids".into(), self.value(x));
                    }
                    if let Some(x) = v.get("SecurityGroupIds") {
                        c.insert("security_group_ids".into(), self.value(x));
                    }
                    m.insert("vpc_config".into(), json!([c]));
                }
                if let Some(v) = get("DeadLetterQueue")
                    .and_then(|d| d.get("TargetArn"))
                    .or_else(|| get("DeadLetterConfig").and_then(|d| d.get("TargetArn")))
                {
                    let r = self.value(v);
                    m.insert("dead_letter_config".into(), json!([{"target_arn": r}]));
                }
                if let Some(v) = get("EphemeralStorage").and_then(|e| e.get("Size")) {
                    let r = self.value(v);
                    m.insert("ephemeral_storage".into(), json!([{"size": r}]));
                }
                if let Some(v) = get("SnapStart").and_then(|e| e.get("ApplyOn")) {
                    let r = self.value(v);
                    m.insert("snap_start".into(), json!([{"apply_on": r}]));
                }
                if let Some(v) = get("LoggingConfig") {
                    let r = self.snake_value(v);
                    m.insert("logging_config".into(), json!([r]));
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
                // Code: a folder to zip, an S3 object, an image, inline code.
                let image = get("ImageUri").or_else(|| get("Code").and_then(|c| c.get("ImageUri")));
                if let Some(img) = image {
                    m.insert("package_type".into(), json!("Image"));
                    let r = self.value(img);
                    m.insert("image_uri".into(), r);
                    if let Some(cfg) = get("ImageConfig") {
                        let r = self.snake_value(cfg);
                        m.insert("image_config".into(), json!([r]));
                    }
                } else if let Some(code) = get("CodeUri") {
                    match code {
                        Value::String(dir) => {
                            let dir = dir.trim_end_matches('/').trim_start_matches("./");
                            self.archive(
                                addr,
                                &name,
                                json!({"source_dir": format!("${{path.module}}/{dir}")}),
                                &mut m,
                            );
                        }
                        Value::Object(o) if o.contains_key("Bucket") => {
                            let b = self.value(&o["Bucket"]);
                            m.insert("s3_bucket".into(), b);
                            if let Some(k) = o.get("Key") {
                                let k = self.value(k);
                                m.insert("s3_key".into(), k);
                            }
                        }
                        other => {
                            let r = self.value(other);
                            if let Value::String(s) = &r {
                                m.insert("filename".into(), Value::String(s.clone()));
                            }
                        }
                    }
                } else if let Some(code) =
                    get("InlineCode").or_else(|| get("Code").and_then(|c| c.get("ZipFile")))
                {
                    let content = self.value(code);
                    let runtime = get("Runtime").and_then(Value::as_str).unwrap_or("python");
                    let file = if runtime.starts_with("nodejs") {
                        "index.js"
                    } else {
                        "index.py"
                    };
                    self.archive(
                        addr,
                        &name,
                        json!({"source": [{"content": content, "filename": file}]}),
                        &mut m,
                    );
                } else if let Some(c) = get("Code") {
                    if let Some(b) = c.get("S3Bucket") {
                        let b = self.value(b);
                        m.insert("s3_bucket".into(), b);
                    }
                    if let Some(k) = c.get("S3Key") {
                        let k = self.value(k);
                        m.insert("s3_key".into(), k);
                    }
                }
                if get("PackageType").and_then(Value::as_str) == Some("Image") {
                    m.insert("package_type".into(), json!("Image"));
                }
                if get("AutoPublishAlias").is_some() {
                    m.insert("publish".into(), json!(true));
                }
                if let Some(c) = get("EventInvokeConfig") {
                    self.event_invoke_config(s, addr, &name, c);
                }
                for k in [
                    "AutoPublishAlias",
                    "FunctionUrlConfig",
                    "DeploymentPreference",
                    "ProvisionedConcurrencyConfig",
                ] {
                    if p.contains_key(k) {
                        self.notes.group(
                            format!("{k} has no direct Terraform argument; left out of"),
                            s.id.clone(),
                        );
                    }
                }
            }
            "AWS::SQS::Queue" => {
                take!("RedrivePolicy", "Tags", "RedriveAllowPolicy");
                if let Some(v) = get("RedrivePolicy") {
                    let r = self.json_doc(v);
                    m.insert("redrive_policy".into(), r);
                }
                if let Some(v) = get("RedriveAllowPolicy") {
                    let r = self.json_doc(v);
                    m.insert("redrive_allow_policy".into(), r);
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::SNS::Topic" => {
                take!("Subscription", "Tags");
                if let Some(Value::Array(subs)) = get("Subscription") {
                    for sub in subs {
                        let mut b = Map::new();
                        b.insert("topic_arn".into(), expr(&format!("{addr}.arn")));
                        if let Some(pr) = sub.get("Protocol") {
                            b.insert("protocol".into(), self.value(pr));
                        }
                        if let Some(e) = sub.get("Endpoint") {
                            b.insert("endpoint".into(), self.value(e));
                        }
                        let id = self.free(format!("aws_sns_topic_subscription.{name}"));
                        self.extra.push((
                            addr.to_string(),
                            id,
                            "aws_sns_topic_subscription".into(),
                            b,
                        ));
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => {
                take!(
                    "KeySchema",
                    "AttributeDefinitions",
                    "ProvisionedThroughput",
                    "StreamSpecification",
                    "TimeToLiveSpecification",
                    "GlobalSecondaryIndexes",
                    "LocalSecondaryIndexes",
                    "PointInTimeRecoverySpecification",
                    "SSESpecification",
                    "Tags",
                    "PrimaryKey"
                );
                if let Some(Value::Array(ks)) = get("KeySchema") {
                    for k in ks {
                        let n = k
                            .get("AttributeName")
                            .map(|x| self.value(x))
                            .unwrap_or(Value::Null);
                        match k.get("KeyType").and_then(Value::as_str) {
                            Some("HASH") => {
                                m.insert("hash_key".into(), n);
                            }
                            Some("RANGE") => {
                                m.insert("range_key".into(), n);
                            }
                            _ => {}
                        }
                    }
                }
                if let Some(pk) = get("PrimaryKey") {
                    let n = pk.get("Name").map(|x| self.value(x)).unwrap_or(json!("id"));
                    let t = match pk.get("Type").and_then(Value::as_str) {
                        Some("Number") => "N",
                        Some("Binary") => "B",
                        _ => "S",
                    };
                    m.insert("hash_key".into(), n.clone());
                    m.insert("attribute".into(), json!([{"name": n, "type": t}]));
                }
                if let Some(Value::Array(ads)) = get("AttributeDefinitions") {
                    let list: Vec<Value> = ads
                        .iter()
                        .map(|a| {
                            json!({
                                "name": a.get("AttributeName").map(|x| self.value(x)).unwrap_or(Value::Null),
                                "type": a.get("AttributeType").map(|x| self.value(x)).unwrap_or(json!("S")),
                            })
                        })
                        .collect();
                    if !list.is_empty() {
                        m.insert("attribute".into(), Value::Array(list));
                    }
                }
                match get("ProvisionedThroughput") {
                    Some(pt) => {
                        if let Some(r) = pt.get("ReadCapacityUnits") {
                            let r = self.value(r);
                            m.insert("read_capacity".into(), r);
                        }
                        if let Some(w) = pt.get("WriteCapacityUnits") {
                            let w = self.value(w);
                            m.insert("write_capacity".into(), w);
                        }
                        if !m.contains_key("billing_mode") {
                            m.insert("billing_mode".into(), json!("PROVISIONED"));
                        }
                    }
                    None => {
                        if !m.contains_key("billing_mode") {
                            m.insert("billing_mode".into(), json!("PAY_PER_REQUEST"));
                        }
                    }
                }
                if let Some(st) = get("StreamSpecification").and_then(|x| x.get("StreamViewType")) {
                    m.insert("stream_enabled".into(), json!(true));
                    let r = self.value(st);
                    m.insert("stream_view_type".into(), r);
                }
                if let Some(t) = get("TimeToLiveSpecification") {
                    let r = self.snake_value(t);
                    m.insert("ttl".into(), json!([r]));
                }
                if let Some(v) = get("PointInTimeRecoverySpecification")
                    .and_then(|x| x.get("PointInTimeRecoveryEnabled"))
                {
                    let r = self.value(v);
                    m.insert("point_in_time_recovery".into(), json!([{"enabled": r}]));
                }
                if let Some(sse) = get("SSESpecification") {
                    let mut b = Map::new();
                    if let Some(v) = sse.get("SSEEnabled") {
                        b.insert("enabled".into(), self.value(v));
                    }
                    if let Some(v) = sse.get("KMSMasterKeyId") {
                        b.insert("kms_key_arn".into(), self.value(v));
                    }
                    m.insert("server_side_encryption".into(), json!([b]));
                }
                for (key, block) in [
                    ("GlobalSecondaryIndexes", "global_secondary_index"),
                    ("LocalSecondaryIndexes", "local_secondary_index"),
                ] {
                    if let Some(Value::Array(ix)) = get(key) {
                        let mut list = Vec::new();
                        for i in ix {
                            let mut b = Map::new();
                            if let Some(n) = i.get("IndexName") {
                                b.insert("name".into(), self.value(n));
                            }
                            if let Some(Value::Array(ks)) = i.get("KeySchema") {
                                for k in ks {
                                    let n = k
                                        .get("AttributeName")
                                        .map(|x| self.value(x))
                                        .unwrap_or(Value::Null);
                                    match k.get("KeyType").and_then(Value::as_str) {
                                        Some("HASH") => {
                                            b.insert("hash_key".into(), n);
                                        }
                                        Some("RANGE") => {
                                            b.insert("range_key".into(), n);
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            if let Some(pt) =
                                i.get("Projection").and_then(|x| x.get("ProjectionType"))
                            {
                                b.insert("projection_type".into(), self.value(pt));
                            }
                            if let Some(nk) =
                                i.get("Projection").and_then(|x| x.get("NonKeyAttributes"))
                            {
                                b.insert("non_key_attributes".into(), self.value(nk));
                            }
                            list.push(Value::Object(b));
                        }
                        m.insert(block.into(), Value::Array(list));
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::S3::Bucket" => {
                take!(
                    "VersioningConfiguration",
                    "BucketEncryption",
                    "PublicAccessBlockConfiguration",
                    "NotificationConfiguration",
                    "Tags",
                    "CorsConfiguration",
                    "WebsiteConfiguration",
                    "LifecycleConfiguration",
                    "OwnershipControls"
                );
                let bucket_ref = expr(&format!("{addr}.id"));
                let sub = |t: &mut Self, ty: &str, body: Map| {
                    let id = t.free(format!("{ty}.{name}"));
                    t.extra.push((addr.to_string(), id, ty.to_string(), body));
                };
                if let Some(st) = get("VersioningConfiguration").and_then(|v| v.get("Status")) {
                    let st = self.value(st);
                    let mut b = Map::new();
                    b.insert("bucket".into(), bucket_ref.clone());
                    b.insert("versioning_configuration".into(), json!([{"status": st}]));
                    sub(self, "aws_s3_bucket_versioning", b);
                }
                if let Some(Value::Array(rules)) =
                    get("BucketEncryption").and_then(|e| e.get("ServerSideEncryptionConfiguration"))
                {
                    let mut list = Vec::new();
                    for r in rules {
                        if let Some(d) = r.get("ServerSideEncryptionByDefault") {
                            let d = self.snake_value(d);
                            list.push(json!({"apply_server_side_encryption_by_default": [d]}));
                        }
                    }
                    let mut b = Map::new();
                    b.insert("bucket".into(), bucket_ref.clone());
                    b.insert("rule".into(), Value::Array(list));
                    sub(
                        self,
                        "aws_s3_bucket_server_side_encryption_configuration",
                        b,
                    );
                }
                if let Some(v) = get("PublicAccessBlockConfiguration") {
                    let mut b = Map::new();
                    b.insert("bucket".into(), bucket_ref.clone());
                    if let Value::Object(o) = self.snake_value(v) {
                        for (k, x) in o {
                            b.insert(k, x);
                        }
                    }
                    sub(self, "aws_s3_bucket_public_access_block", b);
                }
                if let Some(n) = get("NotificationConfiguration") {
                    let mut b = Map::new();
                    b.insert("bucket".into(), bucket_ref.clone());
                    for (list, key, tf_list, tf_key) in [
                        (
                            "LambdaConfigurations",
                            "Function",
                            "lambda_function",
                            "lambda_function_arn",
                        ),
                        ("QueueConfigurations", "Queue", "queue", "queue_arn"),
                        ("TopicConfigurations", "Topic", "topic", "topic_arn"),
                    ] {
                        if let Some(Value::Array(items)) = n.get(list) {
                            let mut out = Vec::new();
                            for it in items {
                                let mut c = Map::new();
                                if let Some(t) = it.get(key) {
                                    c.insert(tf_key.into(), self.value(t));
                                }
                                if let Some(e) = it.get("Event") {
                                    let e = self.value(e);
                                    c.insert("events".into(), json!([e]));
                                }
                                out.push(Value::Object(c));
                            }
                            b.insert(tf_list.into(), Value::Array(out));
                        }
                    }
                    if n.get("EventBridgeConfiguration").is_some() {
                        b.insert("eventbridge".into(), json!(true));
                    }
                    sub(self, "aws_s3_bucket_notification", b);
                }
                for k in [
                    "CorsConfiguration",
                    "WebsiteConfiguration",
                    "LifecycleConfiguration",
                    "OwnershipControls",
                ] {
                    if p.contains_key(k) {
                        self.notes.group(
                            format!(
                                "S3 {k} is a separate resource in Terraform and was left out of"
                            ),
                            s.id.clone(),
                        );
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => {
                take!(
                    "Definition",
                    "DefinitionUri",
                    "DefinitionString",
                    "DefinitionSubstitutions",
                    "Logging",
                    "LoggingConfiguration",
                    "Tracing",
                    "TracingConfiguration",
                    "Role",
                    "RoleArn",
                    "Tags",
                    "DefinitionS3Location"
                );
                let subs = get("DefinitionSubstitutions")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let mut sub_vals: Map = Map::new();
                for (k, v) in &subs {
                    sub_vals.insert(k.clone(), self.value(v));
                }
                if let Some(r) = get("Role").or_else(|| get("RoleArn")) {
                    let r = self.value(r);
                    m.insert("role_arn".into(), r);
                } else if cfn == "AWS::Serverless::StateMachine" {
                    let role = self.serverless_role(addr, &name, p, "states.amazonaws.com", false);
                    m.insert("role_arn".into(), expr(&format!("{role}.arn")));
                }
                if let Some(d) = get("Definition") {
                    let v = self.value(d);
                    let v = substitute(v, &sub_vals);
                    m.insert("definition".into(), json!({ JSONENCODE: v }));
                } else if let Some(Value::String(uri)) = get("DefinitionUri") {
                    let vars = operand(&Value::Object(sub_vals));
                    m.insert(
                        "definition".into(),
                        expr(&format!(
                            "templatefile(\"${{path.module}}/{}\", {vars})",
                            uri.trim_start_matches("./")
                        )),
                    );
                } else if let Some(ds) = get("DefinitionString") {
                    let v = self.value(ds);
                    let v = substitute(v, &sub_vals);
                    m.insert("definition".into(), v);
                } else {
                    self.notes.group("state machine definitions in S3 are not read; a placeholder is written for".into(), s.id.clone());
                }
                if let Some(l) = get("Logging").or_else(|| get("LoggingConfiguration")) {
                    let mut c = Map::new();
                    if let Some(x) = l.get("Level") {
                        c.insert("level".into(), self.value(x));
                    }
                    if let Some(x) = l.get("IncludeExecutionData") {
                        c.insert("include_execution_data".into(), self.value(x));
                    }
                    if let Some(d) = l
                        .get("Destinations")
                        .and_then(|d| d.get(0))
                        .and_then(|d| d.get("CloudWatchLogsLogGroup"))
                        .and_then(|d| d.get("LogGroupArn"))
                    {
                        let a = self.value(d);
                        let dest = match a.as_str().and_then(single_interpolation) {
                            Some(e) => Value::String(format!("${{{e}}}:*")),
                            None => a,
                        };
                        c.insert("log_destination".into(), dest);
                    }
                    m.insert("logging_configuration".into(), json!([c]));
                }
                if let Some(e) = get("Tracing")
                    .or_else(|| get("TracingConfiguration"))
                    .and_then(|t| t.get("Enabled"))
                {
                    let e = self.value(e);
                    m.insert("tracing_configuration".into(), json!([{"enabled": e}]));
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::Events::Rule" => {
                take!("EventPattern", "Targets", "Tags");
                if let Some(v) = get("EventPattern") {
                    let r = self.json_doc(v);
                    m.insert("event_pattern".into(), r);
                }
                let bus = m.get("event_bus_name").cloned();
                if let Some(Value::Array(ts)) = get("Targets") {
                    for t in ts {
                        let mut b = Map::new();
                        b.insert("rule".into(), expr(&format!("{addr}.name")));
                        if let Some(bus) = &bus {
                            b.insert("event_bus_name".into(), bus.clone());
                        }
                        for (ck, tk) in [
                            ("Id", "target_id"),
                            ("Arn", "arn"),
                            ("RoleArn", "role_arn"),
                            ("Input", "input"),
                            ("InputPath", "input_path"),
                        ] {
                            if let Some(x) = t.get(ck) {
                                let x = self.value(x);
                                if !x.is_null() {
                                    b.insert(tk.into(), x);
                                }
                            }
                        }
                        for (ck, tk) in [
                            ("DeadLetterConfig", "dead_letter_config"),
                            ("RetryPolicy", "retry_policy"),
                            ("HttpParameters", "http_target"),
                            ("SqsParameters", "sqs_target"),
                            ("KinesisParameters", "kinesis_target"),
                            ("EcsParameters", "ecs_target"),
                            ("BatchParameters", "batch_target"),
                            ("InputTransformer", "input_transformer"),
                        ] {
                            if let Some(x) = t.get(ck) {
                                let mut x = self.snake_value(x);
                                if let Some(o) = x.as_object_mut() {
                                    if let Some(p) = o.shift_remove("input_paths_map") {
                                        o.insert("input_paths".into(), p);
                                    }
                                }
                                b.insert(tk.into(), json!([x]));
                            }
                        }
                        let tn = t
                            .get("Id")
                            .and_then(Value::as_str)
                            .map(snake_case)
                            .unwrap_or_else(|| "target".into());
                        let id = self.free(format!("aws_cloudwatch_event_target.{name}_{tn}"));
                        self.extra.push((
                            addr.to_string(),
                            id,
                            "aws_cloudwatch_event_target".into(),
                            b,
                        ));
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::Scheduler::Schedule" => {
                take!("FlexibleTimeWindow", "Target");
                let ftw = get("FlexibleTimeWindow")
                    .map(|v| self.snake_value(v))
                    .unwrap_or(json!({"mode": "OFF"}));
                m.insert("flexible_time_window".into(), json!([ftw]));
                if let Some(t) = get("Target") {
                    let mut b = Map::new();
                    for (ck, tk) in [("Arn", "arn"), ("RoleArn", "role_arn"), ("Input", "input")] {
                        if let Some(x) = t.get(ck) {
                            let x = self.value(x);
                            b.insert(tk.into(), x);
                        }
                    }
                    m.insert("target".into(), json!([b]));
                }
            }
            "AWS::IAM::Role" => {
                take!(
                    "AssumeRolePolicyDocument",
                    "Policies",
                    "ManagedPolicyArns",
                    "Tags"
                );
                if let Some(d) = get("AssumeRolePolicyDocument") {
                    let r = self.json_doc(d);
                    m.insert("assume_role_policy".into(), r);
                }
                if let Some(Value::Array(ps)) = get("Policies") {
                    let mut list = Vec::new();
                    for pol in ps {
                        let mut b = Map::new();
                        if let Some(n) = pol.get("PolicyName") {
                            b.insert("name".into(), self.value(n));
                        }
                        if let Some(d) = pol.get("PolicyDocument") {
                            b.insert("policy".into(), self.json_doc(d));
                        }
                        list.push(Value::Object(b));
                    }
                    m.insert("inline_policy".into(), Value::Array(list));
                }
                if let Some(v) = get("ManagedPolicyArns") {
                    let r = self.value(v);
                    m.insert("managed_policy_arns".into(), r);
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" | "AWS::IAM::ManagedPolicy" => {
                take!("PolicyDocument", "Roles", "RoleName", "Users", "Groups");
                if let Some(d) = get("PolicyDocument") {
                    let r = self.json_doc(d);
                    m.insert("policy".into(), r);
                }
                let roles: Vec<Value> = match get("Roles").or_else(|| get("RoleName")) {
                    Some(Value::Array(a)) => a.iter().map(|x| self.value(x)).collect(),
                    Some(v) => vec![self.value(v)],
                    None => vec![],
                };
                if ty == "aws_iam_role_policy" {
                    if let Some(r) = roles.first() {
                        m.insert("role".into(), r.clone());
                    }
                    if roles.len() > 1 {
                        self.notes.group(
                            "policies for several roles are written for the first role only".into(),
                            s.id.clone(),
                        );
                    }
                } else {
                    for (i, r) in roles.iter().enumerate() {
                        let mut b = Map::new();
                        b.insert("role".into(), r.clone());
                        b.insert("policy_arn".into(), expr(&format!("{addr}.arn")));
                        let id = self.free(format!("aws_iam_role_policy_attachment.{name}_{i}"));
                        self.extra.push((
                            addr.to_string(),
                            id,
                            "aws_iam_role_policy_attachment".into(),
                            b,
                        ));
                    }
                }
            }
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" | "AWS::S3::BucketPolicy" => {
                take!("PolicyDocument", "Queues", "Topics", "Bucket");
                if let Some(d) = get("PolicyDocument") {
                    let r = self.json_doc(d);
                    m.insert("policy".into(), r);
                }
                let (key, list) = match cfn {
                    "AWS::SQS::QueuePolicy" => ("queue_url", get("Queues")),
                    "AWS::SNS::TopicPolicy" => ("arn", get("Topics")),
                    _ => ("bucket", get("Bucket")),
                };
                let first = match list {
                    Some(Value::Array(a)) => a.first().map(|x| self.value(x)),
                    Some(v) => Some(self.value(v)),
                    None => None,
                };
                if let Some(f) = first {
                    m.insert(key.into(), f);
                }
            }
            "AWS::ApiGateway::Method" => {
                take!("Integration", "MethodResponses", "RequestParameters");
                if let Some(i) = get("Integration") {
                    let mut b = Map::new();
                    for k in ["RestApiId", "ResourceId", "HttpMethod"] {
                        if let Some(v) = get(k) {
                            b.insert(snake_case(k), self.value(v));
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
                            let x = self.value(x);
                            b.insert(tk.into(), x);
                        }
                    }
                    let id = self.free(format!("aws_api_gateway_integration.{name}"));
                    self.extra.push((
                        addr.to_string(),
                        id,
                        "aws_api_gateway_integration".into(),
                        b,
                    ));
                }
            }
            "AWS::Serverless::Api"
            | "AWS::ApiGateway::RestApi"
            | "AWS::Serverless::HttpApi"
            | "AWS::ApiGatewayV2::Api" => {
                take!(
                    "DefinitionBody",
                    "Body",
                    "StageName",
                    "Cors",
                    "CorsConfiguration",
                    "EndpointConfiguration",
                    "Tags",
                    "MethodSettings",
                    "AccessLogSetting",
                    "AccessLogSettings",
                    "TracingEnabled",
                    "Domain",
                    "DefinitionUri",
                    "GatewayResponses",
                    "Models",
                    "OpenApiVersion",
                    "Variables",
                    "CacheClusterEnabled",
                    "FailOnWarnings",
                    "DisableExecuteApiEndpoint",
                    "StageVariables",
                    "DefaultRouteSettings",
                    "RouteSettings"
                );
                if cfn.contains("Http") || cfn.contains("V2") {
                    if !m.contains_key("protocol_type") {
                        m.insert("protocol_type".into(), json!("HTTP"));
                    }
                    if let Some(c) = get("CorsConfiguration") {
                        if c.is_object() {
                            let r = self.snake_value(c);
                            m.insert("cors_configuration".into(), json!([r]));
                        }
                    }
                }
                if let Some(b) = get("DefinitionBody").or_else(|| get("Body")) {
                    let r = self.json_doc(b);
                    m.insert("body".into(), r);
                }
                if let Some(e) = get("EndpointConfiguration") {
                    let types = match e {
                        Value::String(_) => json!([self.value(e)]),
                        _ => e
                            .get("Types")
                            .or_else(|| e.get("Type"))
                            .map(|x| self.value(x))
                            .map(|x| if x.is_array() { x } else { json!([x]) })
                            .unwrap_or(json!(["REGIONAL"])),
                    };
                    m.insert("endpoint_configuration".into(), json!([{"types": types}]));
                }
                if let Some(Value::Object(auths)) = get("Auth").and_then(|a| a.get("Authorizers")) {
                    let v2 = cfn == "AWS::Serverless::HttpApi";
                    for (an, a) in auths {
                        self.authorizer(addr, &name, an, a, v2);
                    }
                }
                let mut stage = Map::new();
                if let Some(n) = get("StageName") {
                    let n = self.value(n);
                    stage.insert(
                        if cfn.contains("Http") || cfn.contains("V2") {
                            "name"
                        } else {
                            "stage_name"
                        }
                        .into(),
                        n,
                    );
                }
                if let Some(l) = get("AccessLogSetting").or_else(|| get("AccessLogSettings")) {
                    let l = self.snake_value(l);
                    stage.insert("access_log_settings".into(), json!([l]));
                }
                if !stage.is_empty() {
                    self.stages.insert(s.id.clone(), stage);
                }
                for k in [
                    "Cors",
                    "MethodSettings",
                    "Domain",
                    "DefinitionUri",
                    "GatewayResponses",
                    "Models",
                ] {
                    if p.contains_key(k) {
                        self.notes.group(
                            format!("API {k} is not translated; left out of"),
                            s.id.clone(),
                        );
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::Serverless::Application" | "AWS::CloudFormation::Stack" => {
                take!(
                    "Location",
                    "TemplateURL",
                    "Parameters",
                    "Tags",
                    "NotificationARNs",
                    "TimeoutInMinutes"
                );
                let source = match get("Location").or_else(|| get("TemplateURL")) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Object(o)) => o
                        .get("ApplicationId")
                        .and_then(Value::as_str)
                        .unwrap_or("app")
                        .to_string(),
                    _ => "./modules/app".to_string(),
                };
                self.notes.group("nested applications and stacks become module calls; point their source at a Terraform module".into(), s.id.clone());
                m.insert(
                    "source".into(),
                    json!(format!(
                        "./modules/{}",
                        snake_case(
                            source
                                .rsplit(['/', ':'])
                                .next()
                                .unwrap_or("app")
                                .trim_end_matches(".yaml")
                                .trim_end_matches(".yml")
                                .trim_end_matches(".json")
                        )
                    )),
                );
                if let Some(Value::Object(ps)) = get("Parameters") {
                    for (k, v) in ps {
                        let r = self.value(v);
                        m.insert(snake_case(k), r);
                    }
                }
            }
            "AWS::CloudWatch::Alarm" => {
                take!("Dimensions");
                if let Some(Value::Array(ds)) = get("Dimensions") {
                    let mut dm = Map::new();
                    for d in ds {
                        if let (Some(n), Some(v)) =
                            (d.get("Name").and_then(Value::as_str), d.get("Value"))
                        {
                            dm.insert(n.to_string(), self.value(v));
                        }
                    }
                    m.insert("dimensions".into(), Value::Object(dm));
                }
            }
            "AWS::Lambda::EventSourceMapping" => {
                take!("FilterCriteria");
                if let Some(Value::Array(fs)) = get("FilterCriteria").and_then(|f| f.get("Filters"))
                {
                    let list: Vec<Value> = fs
                        .iter()
                        .map(|f| {
                            let pat = f
                                .get("Pattern")
                                .map(|x| self.json_doc(x))
                                .unwrap_or(Value::Null);
                            json!({"pattern": pat})
                        })
                        .collect();
                    m.insert("filter_criteria".into(), json!([{"filter": list}]));
                }
            }
            "AWS::SNS::Subscription" => {
                take!("FilterPolicy");
                if let Some(fp) = get("FilterPolicy") {
                    let r = self.json_doc(fp);
                    m.insert("filter_policy".into(), r);
                }
            }
            "AWS::EC2::SecurityGroup" => {
                take!("SecurityGroupIngress", "SecurityGroupEgress", "Tags");
                for (ck, tk) in [
                    ("SecurityGroupIngress", "ingress"),
                    ("SecurityGroupEgress", "egress"),
                ] {
                    if let Some(Value::Array(rules)) = get(ck) {
                        let list: Vec<Value> = rules
                            .iter()
                            .map(|r| {
                                let mut b = Map::new();
                                for (a, t) in [
                                    ("FromPort", "from_port"),
                                    ("ToPort", "to_port"),
                                    ("IpProtocol", "protocol"),
                                    ("Description", "description"),
                                ] {
                                    if let Some(x) = r.get(a) {
                                        b.insert(t.into(), self.value(x));
                                    }
                                }
                                if let Some(x) = r.get("CidrIp") {
                                    let x = self.value(x);
                                    b.insert("cidr_blocks".into(), json!([x]));
                                }
                                if let Some(x) = r
                                    .get("SourceSecurityGroupId")
                                    .or_else(|| r.get("DestinationSecurityGroupId"))
                                {
                                    let x = self.value(x);
                                    b.insert("security_groups".into(), json!([x]));
                                }
                                Value::Object(b)
                            })
                            .collect();
                        m.insert(tk.into(), Value::Array(list));
                    }
                }
                if let Some(v) = get("Tags") {
                    let r = self.tags(v);
                    m.insert("tags".into(), r);
                }
            }
            "AWS::ApiGatewayV2::Authorizer" => {
                take!("JwtConfiguration");
                if let Some(j) = get("JwtConfiguration") {
                    let r = self.snake_value(j);
                    m.insert("jwt_configuration".into(), json!([r]));
                }
            }
            _ => {}
        }
        if ty == "aws_iot_topic_rule" {
            for (ck, tk) in [("Sql", "sql"), ("AwsIotSqlVersion", "sql_version")] {
                if let Some(v) = p.get(ck) {
                    let v = self.value(v);
                    m.insert(tk.into(), v);
                }
                handled.insert(ck);
            }
            m.insert("name".into(), json!(name.clone()));
        }
        // Everything else by name.
        let aws = ty.starts_with("aws_");
        for k in rest {
            if handled.contains(k.as_str()) || m.contains_key(&snake_case(k)) {
                continue;
            }
            let v = &p[k];
            let key = if k == "Tags" {
                "tags".to_string()
            } else {
                snake_case(k)
            };
            let tv = if k == "Tags" {
                self.tags(v)
            } else if aws {
                self.value(v)
            } else {
                self.snake_value(v)
            };
            if tv.is_null() {
                continue;
            }
            if aws && !ty.ends_with("_placeholder") {
                self.notes.group(
                    format!("{cfn}: properties carried over by name only (check them against the AWS provider)"),
                    k.clone(),
                );
            }
            m.insert(key, tv);
        }
        if ty.starts_with("awscc_") {
            self.notes.group(
                "no AWS-provider type is known here; written for the awscc (Cloud Control) provider".into(),
                cfn.to_string(),
            );
        }
        m
    }

    /// SAM's `EventInvokeConfig` of a function: retries and where the
    /// results of asynchronous calls go, as Terraform's resource of its own.
    fn event_invoke_config(&mut self, s: &Service, addr: &str, name: &str, c: &Value) {
        let mut b = Map::new();
        b.insert(
            "function_name".into(),
            expr(&format!("{addr}.function_name")),
        );
        for (ck, tk) in [
            ("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds"),
            ("MaximumRetryAttempts", "maximum_retry_attempts"),
        ] {
            if let Some(v) = c.get(ck) {
                let v = self.value(v);
                self.put(&mut b, tk, v);
            }
        }
        let mut dest = Map::new();
        for (ck, tk) in [("OnSuccess", "on_success"), ("OnFailure", "on_failure")] {
            let Some(d) = c.get("DestinationConfig").and_then(|d| d.get(ck)) else {
                continue;
            };
            match d.get("Destination") {
                Some(v) => {
                    let v = self.value(v);
                    dest.insert(tk.into(), json!([{ "destination": v }]));
                }
                None => self.notes.group(
                    "destinations SAM makes itself are not written; add one and connect it to"
                        .into(),
                    s.id.clone(),
                ),
            }
        }
        if !dest.is_empty() {
            b.insert("destination_config".into(), json!([dest]));
        }
        let id = self.free(format!("aws_lambda_function_event_invoke_config.{name}"));
        self.extra.push((
            addr.to_string(),
            id,
            "aws_lambda_function_event_invoke_config".into(),
            b,
        ));
    }

    /// A SAM schedule or rule event, made its own rule or schedule: what
    /// picks the events goes on it, how they are delivered on the target the
    /// exporter writes. The dead-letter queue is a connection of its own.
    fn event_properties<'p>(
        &mut self,
        s: &Service,
        p: &'p Map,
        m: &mut Map,
        handled: &mut HashSet<&'p str>,
    ) {
        let scheduler = s.type_name == "AWS::Scheduler::Schedule";
        let mut target = Map::new();
        for (k, v) in p {
            let k = k.as_str();
            match k {
                "Pattern" => {
                    let r = self.json_doc(v);
                    m.insert("event_pattern".into(), r);
                }
                "Schedule" => {
                    let r = self.value(v);
                    m.insert("schedule_expression".into(), r);
                }
                "RuleName" => {
                    let r = self.value(v);
                    m.insert("name".into(), r);
                }
                "Enabled" => {
                    let r = match self.value(v) {
                        Value::Bool(b) => json!(if b { "ENABLED" } else { "DISABLED" }),
                        Value::String(b) if b == "true" || b == "false" => {
                            json!(if b == "true" { "ENABLED" } else { "DISABLED" })
                        }
                        other => expr(&format!("{} ? \"ENABLED\" : \"DISABLED\"", operand(&other))),
                    };
                    m.insert("state".into(), r);
                }
                "DeadLetterConfig" => {
                    if v.get("Arn").is_none() {
                        self.notes.group(
                            "dead-letter queues SAM makes itself are not written; add one and connect it to"
                                .into(),
                            s.id.clone(),
                        );
                    }
                }
                "Target" => {
                    if let Some(id) = v.get("Id") {
                        let r = self.value(id);
                        target.insert("target_id".into(), r);
                    }
                }
                "Input" | "InputPath" | "RoleArn" => {
                    let r = self.value(v);
                    target.insert(snake_case(k), r);
                }
                "RetryPolicy" | "InputTransformer" => {
                    let mut r = self.snake_value(v);
                    if let Some(o) = r.as_object_mut() {
                        if let Some(x) = o.shift_remove("input_paths_map") {
                            o.insert("input_paths".into(), x);
                        }
                    }
                    target.insert(snake_case(k), json!([r]));
                }
                "OmitName" | "PermissionsBoundary" => {
                    self.notes.group(
                        format!("{k} of a schedule event has no Terraform argument; left out of"),
                        s.id.clone(),
                    );
                }
                _ => continue,
            }
            handled.insert(k);
        }
        if scheduler {
            // A schedule's target is a block of the schedule itself.
            target.shift_remove("target_id");
            target.shift_remove("input_path");
        }
        if !target.is_empty() {
            self.event_targets.insert(s.id.clone(), target);
        }
    }

    /// An authorizer of a SAM API as its own resource (with the permission
    /// a Lambda authorizer needs).
    fn authorizer(&mut self, api: &str, api_name: &str, name: &str, a: &Value, v2: bool) {
        let mut b = Map::new();
        b.insert("name".into(), json!(name));
        b.insert(
            if v2 { "api_id" } else { "rest_api_id" }.into(),
            expr(&format!("{api}.id")),
        );
        let function = a.get("FunctionArn").map(|f| self.value(f));
        if let Some(f) = &function {
            let invoke = match f.as_str().and_then(single_interpolation) {
                Some(e) if e.ends_with(".arn") && e.starts_with("aws_lambda_function.") => {
                    expr(&format!("{}.invoke_arn", e.trim_end_matches(".arn")))
                }
                _ => f.clone(),
            };
            b.insert("authorizer_uri".into(), invoke);
            if v2 {
                b.insert("authorizer_type".into(), json!("REQUEST"));
                b.insert("authorizer_payload_format_version".into(), json!("2.0"));
                b.insert(
                    "identity_sources".into(),
                    json!(["$request.header.Authorization"]),
                );
            } else {
                let ty = a
                    .get("FunctionPayloadType")
                    .and_then(Value::as_str)
                    .unwrap_or("TOKEN");
                b.insert("type".into(), json!(ty));
            }
            if let Some(fname) = f
                .as_str()
                .and_then(single_interpolation)
                .and_then(|e| e.strip_suffix(".arn"))
                .filter(|e| e.starts_with("aws_lambda_function."))
            {
                let mut p = Map::new();
                p.insert(
                    "statement_id".into(),
                    json!(format!("Allow{}", pascal_case(name))),
                );
                p.insert("action".into(), json!("lambda:InvokeFunction"));
                p.insert(
                    "function_name".into(),
                    expr(&format!("{fname}.function_name")),
                );
                p.insert("principal".into(), json!("apigateway.amazonaws.com"));
                p.insert(
                    "source_arn".into(),
                    json!(format!("${{{api}.execution_arn}}/authorizers/*")),
                );
                let id = self.free(format!(
                    "aws_lambda_permission.{api_name}_{}",
                    snake_case(name)
                ));
                self.extra
                    .push((api.to_string(), id, "aws_lambda_permission".into(), p));
            }
        } else if let Some(j) = a.get("JwtConfiguration") {
            b.insert("authorizer_type".into(), json!("JWT"));
            let mut jc = Map::new();
            for (k, tk) in [
                ("issuer", "issuer"),
                ("Issuer", "issuer"),
                ("audience", "audience"),
                ("Audience", "audience"),
            ] {
                if let Some(v) = j.get(k) {
                    jc.insert(tk.into(), self.value(v));
                }
            }
            b.insert("jwt_configuration".into(), json!([jc]));
            let src = a
                .get("IdentitySource")
                .map(|x| self.value(x))
                .unwrap_or(json!("$request.header.Authorization"));
            b.insert(
                "identity_sources".into(),
                if src.is_array() { src } else { json!([src]) },
            );
        } else if let Some(pools) = a.get("UserPoolArn") {
            let pools = self.value(pools);
            b.insert("type".into(), json!("COGNITO_USER_POOLS"));
            b.insert(
                "provider_arns".into(),
                if pools.is_array() {
                    pools
                } else {
                    json!([pools])
                },
            );
        } else {
            self.notes.group(
                "API authorizers of this form are not translated".into(),
                name.to_string(),
            );
            return;
        }
        let ty = if v2 {
            "aws_apigatewayv2_authorizer"
        } else {
            "aws_api_gateway_authorizer"
        };
        let id = self.free(format!("{ty}.{api_name}_{}", snake_case(name)));
        self.extra.push((api.to_string(), id, ty.to_string(), b));
    }

    /// The role SAM would make for a function or state machine: managed
    /// policies named in `Policies` attached, inline statements in a role
    /// policy. Policy templates are left to the connections they draw.
    fn serverless_role(
        &mut self,
        addr: &str,
        name: &str,
        p: &Map,
        principal: &str,
        logs: bool,
    ) -> String {
        let role = self.free(format!("aws_iam_role.{name}"));
        let mut body = Map::new();
        body.insert(
            "name".into(),
            json!(format!("{}-role", name.replace('_', "-"))),
        );
        let assume = match p.get("AssumeRolePolicyDocument") {
            Some(d) => self.json_doc(d),
            None => json!({JSONENCODE: {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}],
            }}),
        };
        body.insert("assume_role_policy".into(), assume);
        if let Some(b) = p.get("PermissionsBoundary") {
            let b = self.value(b);
            body.insert("permissions_boundary".into(), b);
        }
        self.extra
            .push((addr.to_string(), role.clone(), "aws_iam_role".into(), body));
        let items: Vec<Value> = match p.get("Policies") {
            Some(Value::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => vec![],
        };
        let mut managed: Vec<Value> = Vec::new();
        if logs {
            managed.push(json!(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            ));
        }
        let mut statements = Vec::new();
        for item in &items {
            match item {
                Value::String(n) if n != "AWSLambdaBasicExecutionRole" => {
                    let arn = if n.starts_with("arn:") {
                        json!(n)
                    } else {
                        json!(format!("arn:aws:iam::aws:policy/{n}"))
                    };
                    if !managed.contains(&arn) {
                        managed.push(arn);
                    }
                }
                Value::Object(o)
                    if o.contains_key("Ref") || o.keys().any(|k| k.starts_with("Fn::")) =>
                {
                    managed.push(self.value(item));
                }
                Value::Object(o) if o.contains_key("Statement") => match &o["Statement"] {
                    Value::Array(a) => statements.extend(a.iter().map(|x| self.value(x))),
                    other => statements.push(self.value(other)),
                },
                _ => {}
            }
        }
        for (i, arn) in managed.into_iter().enumerate() {
            let mut b = Map::new();
            b.insert("role".into(), expr(&format!("{role}.name")));
            b.insert("policy_arn".into(), arn);
            let suffix = if i == 0 && logs {
                "logs".to_string()
            } else {
                format!("policy_{i}")
            };
            let id = self.free(format!("aws_iam_role_policy_attachment.{name}_{suffix}"));
            self.extra.push((
                addr.to_string(),
                id,
                "aws_iam_role_policy_attachment".into(),
                b,
            ));
        }
        if !statements.is_empty() {
            let mut b = Map::new();
            b.insert(
                "name".into(),
                json!(format!("{}-inline", name.replace('_', "-"))),
            );
            b.insert("role".into(), expr(&format!("{role}.id")));
            b.insert(
                "policy".into(),
                json!({JSONENCODE: {"Version": "2012-10-17", "Statement": statements}}),
            );
            let id = self.free(format!("aws_iam_role_policy.{name}_inline"));
            self.extra
                .push((addr.to_string(), id, "aws_iam_role_policy".into(), b));
        }
        role
    }

    fn archive(&mut self, addr: &str, name: &str, source: Value, m: &mut Map) {
        let id = format!("data.archive_file.{name}");
        let mut body = Map::new();
        body.insert("type".into(), json!("zip"));
        if let Value::Object(o) = source {
            for (k, v) in o {
                body.insert(k, v);
            }
        }
        body.insert(
            "output_path".into(),
            json!(format!("${{path.module}}/build/{name}.zip")),
        );
        let id = self.free(id);
        self.extra
            .push((addr.to_string(), id.clone(), "archive_file".into(), body));
        m.insert("filename".into(), expr(&format!("{id}.output_path")));
        m.insert(
            "source_code_hash".into(),
            expr(&format!("{id}.output_base64sha256")),
        );
    }

    fn sections(&mut self, out: &mut Sketch) {
        let src = self.src;
        if let Some(Value::Object(ps)) = src.sections.get("Parameters") {
            for (k, p) in ps {
                let mut m = Map::new();
                let cfn_t = p.get("Type").and_then(Value::as_str).unwrap_or("String");
                let list = cfn_t.starts_with("List<") || cfn_t == "CommaDelimitedList";
                let ty = if list {
                    if cfn_t.contains("Number") {
                        "list(number)"
                    } else {
                        "list(string)"
                    }
                } else if cfn_t == "Number" {
                    "number"
                } else {
                    "string"
                };
                if let Some(d) = p.get("Description") {
                    m.insert("description".into(), self.value(d));
                }
                m.insert("type".into(), expr(ty));
                if let Some(d) = p.get("Default") {
                    let dv = match (list, d) {
                        (true, Value::String(s)) => {
                            json!(s.split(',').map(|x| literal(x.trim())).collect::<Vec<_>>())
                        }
                        _ => self.value(d),
                    };
                    m.insert("default".into(), dv);
                }
                if p.get("NoEcho")
                    .is_some_and(|n| n == &json!(true) || n == &json!("true"))
                {
                    m.insert("sensitive".into(), json!(true));
                }
                if let Some(Value::Array(allowed)) = p.get("AllowedValues") {
                    if !list {
                        let vals = Value::Array(allowed.iter().map(|x| self.value(x)).collect());
                        let name = snake_case(k);
                        m.insert("validation".into(), json!([{
                            "condition": format!("${{contains({}, var.{name})}}", operand(&vals)),
                            "error_message": format!("{name} must be one of the allowed values."),
                        }]));
                    }
                }
                if cfn_t.starts_with("AWS::SSM::Parameter::Value") {
                    self.notes.group("SSM parameter types become plain variables; read the parameter with a data source if needed".into(), k.clone());
                }
                out.sections
                    .insert(format!("variable.{}", snake_case(k)), Value::Object(m));
            }
        }
        for (k, m) in std::mem::take(&mut self.extra_vars) {
            out.sections
                .entry(format!("variable.{k}"))
                .or_insert(Value::Object(m));
        }
        if let Some(Value::Object(cs)) = src.sections.get("Conditions") {
            for (k, c) in cs {
                let e = self.cond_expr(c);
                out.sections
                    .insert(format!("local.{}", snake_case(k)), expr(&e));
            }
        }
        if let Some(Value::Object(ms)) = src.sections.get("Mappings") {
            for (k, m) in ms {
                let v = self.value(m);
                out.sections.insert(format!("local.{}", snake_case(k)), v);
            }
        }
        if let Some(Value::Object(os)) = src.sections.get("Outputs") {
            for (k, o) in os {
                let mut m = Map::new();
                if let Some(d) = o.get("Description") {
                    m.insert("description".into(), self.value(d));
                }
                let v = o.get("Value").map(|v| self.value(v)).unwrap_or(Value::Null);
                let v = match o
                    .get("Condition")
                    .and_then(Value::as_str)
                    .and_then(|c| self.conditions.get(c).cloned())
                {
                    Some(c) => expr(&format!("{c} ? {} : null", operand(&v))),
                    None => v,
                };
                m.insert("value".into(), v);
                if o.get("Export").is_some() {
                    self.notes.group(
                        "output exports have no Terraform equivalent; left out of".into(),
                        k.clone(),
                    );
                }
                out.sections
                    .insert(format!("output.{}", snake_case(k)), Value::Object(m));
            }
        }
        // Variables made while writing the sections.
        for (k, m) in std::mem::take(&mut self.extra_vars) {
            out.sections
                .entry(format!("variable.{k}"))
                .or_insert(Value::Object(m));
        }
        for (ty, name) in self.data.clone() {
            let id = format!("data.{ty}.{name}");
            if !out.contains(&id) {
                let _ = out.add_service(Service::new(id, Kind::generic(), ty));
            }
        }
        for k in [
            "Transform",
            "Globals",
            "Metadata",
            "Rules",
            "Description",
            "AWSTemplateFormatVersion",
        ] {
            if src.sections.contains_key(k)
                && !matches!(k, "AWSTemplateFormatVersion" | "Transform" | "Description")
            {
                self.notes.line(format!(
                    "the template's {k} section has no Terraform equivalent{}",
                    if k == "Globals" {
                        " beyond the function settings merged into each function"
                    } else {
                        "; it is kept in the sketch only"
                    }
                ));
            }
        }
    }
}

/// `${Name}` placeholders of a definition, replaced by their substitutions.
fn substitute(v: Value, subs: &Map) -> Value {
    if subs.is_empty() {
        return v;
    }
    match v {
        Value::String(s) => {
            let mut out = s.clone();
            for (k, val) in subs {
                // A literal `${Name}` arrives escaped as `$${Name}`.
                let pat = format!("$${{{k}}}");
                if out.contains(&pat) {
                    let rep = match val.as_str().and_then(single_interpolation) {
                        Some(e) => format!("${{{e}}}"),
                        None => match val {
                            Value::String(x) => x.clone(),
                            other => format!("${{{}}}", operand(other)),
                        },
                    };
                    out = out.replace(&pat, &rep);
                }
            }
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|x| substitute(x, subs)).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, substitute(x, subs)))
                .collect(),
        ),
        other => other,
    }
}

fn merge_globals(props: &mut Map, globals: &Map) {
    for (k, g) in globals {
        match (props.get_mut(k), g) {
            (None, _) => {
                props.insert(k.clone(), g.clone());
            }
            (Some(Value::Object(mine)), Value::Object(theirs)) => {
                for (kk, gv) in theirs {
                    match (mine.get_mut(kk), gv) {
                        (None, _) => {
                            mine.insert(kk.clone(), gv.clone());
                        }
                        (Some(Value::Object(m2)), Value::Object(t2)) => {
                            for (k3, v3) in t2 {
                                m2.entry(k3.clone()).or_insert_with(|| v3.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// CloudFormation property to Terraform argument, where it is only a rename.
fn simple_renames(cfn: &str) -> &'static [(&'static str, &'static str)] {
    match cfn {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => &[
            ("FunctionName", "function_name"),
            ("Handler", "handler"),
            ("Runtime", "runtime"),
            ("MemorySize", "memory_size"),
            ("Timeout", "timeout"),
            ("Description", "description"),
            ("Architectures", "architectures"),
            (
                "ReservedConcurrentExecutions",
                "reserved_concurrent_executions",
            ),
            ("KmsKeyArn", "kms_key_arn"),
        ],
        "AWS::SQS::Queue" => &[
            ("QueueName", "name"),
            ("VisibilityTimeout", "visibility_timeout_seconds"),
            ("MessageRetentionPeriod", "message_retention_seconds"),
            ("DelaySeconds", "delay_seconds"),
            ("MaximumMessageSize", "max_message_size"),
            ("ReceiveMessageWaitTimeSeconds", "receive_wait_time_seconds"),
            ("FifoQueue", "fifo_queue"),
            ("ContentBasedDeduplication", "content_based_deduplication"),
            ("KmsMasterKeyId", "kms_master_key_id"),
            ("SqsManagedSseEnabled", "sqs_managed_sse_enabled"),
            ("DeduplicationScope", "deduplication_scope"),
            ("FifoThroughputLimit", "fifo_throughput_limit"),
        ],
        "AWS::SNS::Topic" => &[
            ("TopicName", "name"),
            ("DisplayName", "display_name"),
            ("FifoTopic", "fifo_topic"),
            ("KmsMasterKeyId", "kms_master_key_id"),
            ("ContentBasedDeduplication", "content_based_deduplication"),
        ],
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => &[
            ("TableName", "name"),
            ("BillingMode", "billing_mode"),
            ("TableClass", "table_class"),
            ("DeletionProtectionEnabled", "deletion_protection_enabled"),
        ],
        "AWS::S3::Bucket" => &[("BucketName", "bucket")],
        "AWS::Kinesis::Stream" => &[
            ("Name", "name"),
            ("ShardCount", "shard_count"),
            ("RetentionPeriodHours", "retention_period"),
        ],
        "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => &[
            ("Name", "name"),
            ("StateMachineName", "name"),
            ("Type", "type"),
            ("StateMachineType", "type"),
        ],
        "AWS::Events::EventBus" => &[("Name", "name"), ("Description", "description")],
        "AWS::Events::Rule" => &[
            ("Name", "name"),
            ("Description", "description"),
            ("EventBusName", "event_bus_name"),
            ("ScheduleExpression", "schedule_expression"),
            ("State", "state"),
            ("RoleArn", "role_arn"),
        ],
        "AWS::Scheduler::Schedule" => &[
            ("Name", "name"),
            ("Description", "description"),
            ("ScheduleExpression", "schedule_expression"),
            ("ScheduleExpressionTimezone", "schedule_expression_timezone"),
            ("State", "state"),
            ("GroupName", "group_name"),
        ],
        "AWS::Serverless::Api" | "AWS::ApiGateway::RestApi" => &[
            ("Name", "name"),
            ("Description", "description"),
            ("BinaryMediaTypes", "binary_media_types"),
            ("ApiKeySourceType", "api_key_source"),
        ],
        "AWS::Serverless::HttpApi" | "AWS::ApiGatewayV2::Api" => &[
            ("Name", "name"),
            ("Description", "description"),
            ("ProtocolType", "protocol_type"),
            ("RouteSelectionExpression", "route_selection_expression"),
            ("Target", "target"),
        ],
        "AWS::Logs::LogGroup" => &[
            ("LogGroupName", "name"),
            ("RetentionInDays", "retention_in_days"),
            ("KmsKeyId", "kms_key_id"),
        ],
        "AWS::CloudWatch::Alarm" => &[
            ("AlarmName", "alarm_name"),
            ("AlarmDescription", "alarm_description"),
            ("MetricName", "metric_name"),
            ("Namespace", "namespace"),
            ("Statistic", "statistic"),
            ("ExtendedStatistic", "extended_statistic"),
            ("Period", "period"),
            ("EvaluationPeriods", "evaluation_periods"),
            ("DatapointsToAlarm", "datapoints_to_alarm"),
            ("Threshold", "threshold"),
            ("ComparisonOperator", "comparison_operator"),
            ("AlarmActions", "alarm_actions"),
            ("OKActions", "ok_actions"),
            ("InsufficientDataActions", "insufficient_data_actions"),
            ("TreatMissingData", "treat_missing_data"),
            ("Unit", "unit"),
            ("ActionsEnabled", "actions_enabled"),
        ],
        "AWS::SecretsManager::Secret" => &[
            ("Name", "name"),
            ("Description", "description"),
            ("KmsKeyId", "kms_key_id"),
        ],
        "AWS::SSM::Parameter" => &[
            ("Name", "name"),
            ("Type", "type"),
            ("Value", "value"),
            ("Description", "description"),
            ("Tier", "tier"),
        ],
        "AWS::KMS::Key" => &[
            ("Description", "description"),
            ("EnableKeyRotation", "enable_key_rotation"),
            ("KeyUsage", "key_usage"),
            ("PendingWindowInDays", "deletion_window_in_days"),
        ],
        "AWS::Cognito::UserPool" => &[("UserPoolName", "name")],
        "AWS::Lambda::Permission" => &[
            ("Action", "action"),
            ("FunctionName", "function_name"),
            ("Principal", "principal"),
            ("SourceArn", "source_arn"),
            ("SourceAccount", "source_account"),
        ],
        "AWS::Lambda::EventSourceMapping" => &[
            ("EventSourceArn", "event_source_arn"),
            ("FunctionName", "function_name"),
            ("BatchSize", "batch_size"),
            ("StartingPosition", "starting_position"),
            ("Enabled", "enabled"),
            (
                "MaximumBatchingWindowInSeconds",
                "maximum_batching_window_in_seconds",
            ),
            ("FunctionResponseTypes", "function_response_types"),
            ("MaximumRetryAttempts", "maximum_retry_attempts"),
            ("ParallelizationFactor", "parallelization_factor"),
            (
                "BisectBatchOnFunctionError",
                "bisect_batch_on_function_error",
            ),
        ],
        "AWS::SNS::Subscription" => &[
            ("TopicArn", "topic_arn"),
            ("Protocol", "protocol"),
            ("Endpoint", "endpoint"),
            ("RawMessageDelivery", "raw_message_delivery"),
            ("Region", "region"),
        ],
        "AWS::IAM::Role" => &[
            ("RoleName", "name"),
            ("Path", "path"),
            ("Description", "description"),
            ("MaxSessionDuration", "max_session_duration"),
            ("PermissionsBoundary", "permissions_boundary"),
        ],
        "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => &[("PolicyName", "name")],
        "AWS::IAM::ManagedPolicy" => &[
            ("ManagedPolicyName", "name"),
            ("Description", "description"),
            ("Path", "path"),
        ],
        "AWS::ApiGateway::Method" => &[
            ("RestApiId", "rest_api_id"),
            ("ResourceId", "resource_id"),
            ("HttpMethod", "http_method"),
            ("AuthorizationType", "authorization"),
            ("AuthorizerId", "authorizer_id"),
            ("ApiKeyRequired", "api_key_required"),
        ],
        "AWS::ApiGateway::Resource" => &[
            ("RestApiId", "rest_api_id"),
            ("ParentId", "parent_id"),
            ("PathPart", "path_part"),
        ],
        "AWS::ApiGateway::Deployment" => {
            &[("RestApiId", "rest_api_id"), ("Description", "description")]
        }
        "AWS::ApiGateway::Stage" => &[
            ("RestApiId", "rest_api_id"),
            ("DeploymentId", "deployment_id"),
            ("StageName", "stage_name"),
        ],
        "AWS::ApiGateway::Authorizer" => &[
            ("Name", "name"),
            ("RestApiId", "rest_api_id"),
            ("Type", "type"),
            ("AuthorizerUri", "authorizer_uri"),
            ("ProviderARNs", "provider_arns"),
            ("IdentitySource", "identity_source"),
            ("AuthorizerCredentials", "authorizer_credentials"),
        ],
        "AWS::ApiGatewayV2::Integration" => &[
            ("ApiId", "api_id"),
            ("IntegrationType", "integration_type"),
            ("IntegrationUri", "integration_uri"),
            ("IntegrationMethod", "integration_method"),
            ("IntegrationSubtype", "integration_subtype"),
            ("PayloadFormatVersion", "payload_format_version"),
            ("CredentialsArn", "credentials_arn"),
            ("RequestParameters", "request_parameters"),
            ("RequestTemplates", "request_templates"),
            (
                "TemplateSelectionExpression",
                "template_selection_expression",
            ),
            ("ConnectionType", "connection_type"),
            ("Description", "description"),
            ("TimeoutInMillis", "timeout_milliseconds"),
        ],
        "AWS::ApiGatewayV2::Route" => &[
            ("ApiId", "api_id"),
            ("RouteKey", "route_key"),
            ("Target", "target"),
            ("AuthorizationType", "authorization_type"),
            ("AuthorizerId", "authorizer_id"),
            ("OperationName", "operation_name"),
            (
                "RouteResponseSelectionExpression",
                "route_response_selection_expression",
            ),
        ],
        "AWS::ApiGatewayV2::Stage" => &[
            ("ApiId", "api_id"),
            ("StageName", "name"),
            ("AutoDeploy", "auto_deploy"),
            ("DeploymentId", "deployment_id"),
        ],
        "AWS::ApiGatewayV2::Authorizer" => &[
            ("ApiId", "api_id"),
            ("Name", "name"),
            ("AuthorizerType", "authorizer_type"),
            ("AuthorizerUri", "authorizer_uri"),
            ("IdentitySource", "identity_sources"),
            (
                "AuthorizerPayloadFormatVersion",
                "authorizer_payload_format_version",
            ),
            ("EnableSimpleResponses", "enable_simple_responses"),
        ],
        "AWS::ApiGatewayV2::Deployment" => &[("ApiId", "api_id")],
        "AWS::Pipes::Pipe" => &[
            ("Name", "name"),
            ("RoleArn", "role_arn"),
            ("Source", "source"),
            ("Target", "target"),
            ("Enrichment", "enrichment"),
            ("Description", "description"),
            ("DesiredState", "desired_state"),
        ],
        "AWS::EC2::VPC" => &[
            ("CidrBlock", "cidr_block"),
            ("EnableDnsHostnames", "enable_dns_hostnames"),
            ("EnableDnsSupport", "enable_dns_support"),
            ("InstanceTenancy", "instance_tenancy"),
        ],
        "AWS::EC2::Subnet" => &[
            ("VpcId", "vpc_id"),
            ("CidrBlock", "cidr_block"),
            ("AvailabilityZone", "availability_zone"),
            ("MapPublicIpOnLaunch", "map_public_ip_on_launch"),
        ],
        "AWS::EC2::SecurityGroup" => &[
            ("GroupDescription", "description"),
            ("GroupName", "name"),
            ("VpcId", "vpc_id"),
        ],
        "AWS::KinesisFirehose::DeliveryStream" => &[("DeliveryStreamName", "name")],
        "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => &[
            ("LayerName", "layer_name"),
            ("Description", "description"),
            ("CompatibleRuntimes", "compatible_runtimes"),
            ("CompatibleArchitectures", "compatible_architectures"),
            ("LicenseInfo", "license_info"),
        ],
        _ => &[],
    }
}

// ============================================================ Terraform → SAM

/// What a Terraform attribute of a resource means in CloudFormation.
fn cfn_reference(cfn_type: &str, logical: &str, attr: Option<&str>) -> Value {
    let getatt = |a: &str| json!({"Fn::GetAtt": [logical, a]});
    let r = json!({ "Ref": logical });
    let Some(attr) = attr else { return r };
    match (cfn_type, attr) {
        ("AWS::Serverless::Function" | "AWS::Lambda::Function", "function_name") => r,
        ("AWS::Serverless::Function" | "AWS::Lambda::Function", "invoke_arn") => {
            json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{logical}.Arn}}/invocations")})
        }
        ("AWS::SQS::Queue", "url" | "id") => r,
        ("AWS::SQS::Queue", "name") => getatt("QueueName"),
        ("AWS::SNS::Topic", "arn" | "id") => r,
        ("AWS::SNS::Topic", "name") => getatt("TopicName"),
        ("AWS::S3::Bucket", "bucket" | "id") => r,
        ("AWS::S3::Bucket", "bucket_regional_domain_name") => getatt("RegionalDomainName"),
        ("AWS::S3::Bucket", "bucket_domain_name") => getatt("DomainName"),
        ("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable", "name" | "id") => r,
        ("AWS::DynamoDB::Table", "stream_arn") => getatt("StreamArn"),
        ("AWS::Kinesis::Stream", "name" | "id") => r,
        ("AWS::Serverless::StateMachine", "arn" | "id") => r,
        ("AWS::Serverless::StateMachine", "name") => getatt("Name"),
        ("AWS::Events::EventBus", "name" | "id") => r,
        ("AWS::Logs::LogGroup", "name" | "id") => r,
        ("AWS::Serverless::Api", "id") => r,
        ("AWS::Serverless::Api", "root_resource_id") => getatt("RootResourceId"),
        ("AWS::Serverless::HttpApi", "id") => r,
        ("AWS::Serverless::HttpApi", "api_endpoint") => getatt("ApiEndpoint"),
        ("AWS::SecretsManager::Secret", "arn" | "id") => r,
        ("AWS::SSM::Parameter", "name" | "id") => r,
        ("AWS::KMS::Key", "key_id" | "id") => r,
        ("AWS::Cognito::UserPool", "id") => r,
        (_, "arn") => getatt("Arn"),
        (_, "id") => r,
        (_, a) => getatt(&pascal_case(a)),
    }
}

struct ToSam<'a> {
    src: &'a Sketch,
    ids: HashMap<String, String>,
    types: HashMap<String, String>,
    notes: Notes,
    params: BTreeMap<String, Value>,
}

/// Translates a Terraform sketch into CloudFormation's words. Glue folds
/// into connections that the SAM exporter writes as events and policies.
pub fn to_sam(src: &Sketch, warnings: &mut Vec<String>) -> Sketch {
    let mut t = ToSam {
        src,
        ids: HashMap::new(),
        types: HashMap::new(),
        notes: Notes::default(),
        params: BTreeMap::new(),
    };
    let out = t.run();
    warnings.extend(t.notes.into_vec());
    out
}

/// The CloudFormation type a Terraform resource becomes, if it stays a resource.
fn cfn_type_of(s: &Service) -> Option<String> {
    if s.kind.is_glue() || terraform::is_data(&s.id) {
        return None;
    }
    if s.type_name == "module" {
        return Some("AWS::Serverless::Application".into());
    }
    if let Some(rest) = s.type_name.strip_prefix("awscc_") {
        // awscc_ec2_subnet_route_table_association → AWS::EC2::SubnetRouteTableAssociation
        let (svc, res) = rest.split_once('_').unwrap_or((rest, "resource"));
        return Some(format!("AWS::{}::{}", svc.to_uppercase(), pascal_case(res)));
    }
    match s.kind.word() {
        "schedule" if s.type_name == "aws_cloudwatch_event_rule" => {
            Some("AWS::Events::Rule".into())
        }
        "generic" => cfn_for_tf(&s.type_name).map(str::to_string),
        _ => s.kind.entry().cfn_types.first().map(|t| (*t).to_string()),
    }
}

/// The logical id and CloudFormation type each service of a Terraform
/// sketch is written under; glue and data sources have none.
fn sam_names(src: &Sketch) -> Vec<(&Service, String, String)> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in src.services() {
        let Some(ty) = cfn_type_of(s) else {
            continue;
        };
        let scope = terraform::scope_of(&s.id)
            .replace("module.", "")
            .replace('.', "_");
        let short = s.short_name().to_string();
        let mut id = pascal_case(&format!("{scope}{short}"));
        let base = id.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        taken.insert(id.clone());
        out.push((s, id, ty));
    }
    out
}

/// Each service's id to the logical id its translation to SAM has.
pub fn sam_ids(src: &Sketch) -> HashMap<String, String> {
    sam_names(src)
        .into_iter()
        .map(|(s, id, _)| (s.id.clone(), id))
        .collect()
}

impl ToSam<'_> {
    fn run(&mut self) -> Sketch {
        let src = self.src;
        for s in src.services() {
            if cfn_type_of(s).is_none()
                && s.kind.is_generic()
                && !terraform::is_data(&s.id)
                && s.owner.is_none()
            {
                self.notes.group(
                    "resources with no CloudFormation type are kept in the sketch only".into(),
                    s.id.clone(),
                );
            }
        }
        for (s, id, ty) in sam_names(src) {
            self.ids.insert(s.id.clone(), id);
            self.types.insert(s.id.clone(), ty);
        }
        let mut out = Sketch::new();
        out.name = src.name.clone();
        out.notes = src.notes.clone();
        for s in src.services() {
            let (Some(id), Some(ty)) =
                (self.ids.get(&s.id).cloned(), self.types.get(&s.id).cloned())
            else {
                continue;
            };
            let mut svc = Service::new(id, s.kind, ty.clone());
            svc.properties = self.properties(s, &ty);
            svc.label = s.label.clone().filter(|_| s.type_name != "module");
            svc.position = s.position;
            svc.usage = s.usage.clone();
            svc.multiplicity = s.multiplicity.clone();
            if s.attributes.contains_key("count") || s.attributes.contains_key("for_each") {
                self.notes.group("count and for_each have no CloudFormation equivalent; one resource is written for".into(), s.id.clone());
            }
            let _ = out.add_service(svc);
        }
        // Connections come from glue and references in Terraform; SAM writes
        // them its own way, so they go over without origins, except those a
        // translated property already carries.
        for (a, b, c) in src.connections() {
            let (Some(sa), Some(sb)) = (self.ids.get(a), self.ids.get(b)) else {
                continue;
            };
            let mut nc = Connection::new(c.kind);
            nc.label = c.label.clone();
            nc.multiplier = c.multiplier;
            let carried = c.kind == ConnectionKind::Ref
                || c.origins.iter().all(|o| {
                    o.resource == a
                        && !o.pointer.starts_with("/Properties/environment")
                        && !o.pointer.is_empty()
                        && self.src.service(a).is_some_and(|s| !s.kind.is_glue())
                });
            if carried && !c.origins.is_empty() {
                nc.origins.push(Origin {
                    resource: sa.clone(),
                    pointer: "/translated".into(),
                    fixed: false,
                });
            }
            let _ = out.connect(sa, sb, nc);
        }
        // Variables become parameters, outputs become outputs.
        let mut params = Map::new();
        let mut outputs = Map::new();
        for (k, v) in &src.sections {
            if !terraform::scope_of(k).is_empty() {
                continue;
            }
            if let Some(name) = k.strip_prefix("variable.") {
                let mut p = Map::new();
                let ty = v
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(single_interpolation)
                    .unwrap_or("string");
                p.insert(
                    "Type".into(),
                    json!(if ty.starts_with("number") {
                        "Number"
                    } else if ty.starts_with("list") {
                        "CommaDelimitedList"
                    } else {
                        "String"
                    }),
                );
                if let Some(d) = v.get("default") {
                    let dv = match d {
                        Value::Array(a) => json!(
                            a.iter()
                                .map(|x| match x {
                                    Value::String(s) => s.clone(),
                                    o => o.to_string(),
                                })
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                        Value::Bool(b) => json!(b.to_string()),
                        other => self.value(other),
                    };
                    p.insert("Default".into(), dv);
                }
                if let Some(d) = v.get("description") {
                    p.insert("Description".into(), d.clone());
                }
                params.insert(pascal_case(name), Value::Object(p));
            } else if let Some(name) = k.strip_prefix("output.") {
                let val = v.get("value").map(|x| self.value(x)).unwrap_or(Value::Null);
                let mut o = Map::new();
                if let Some(d) = v.get("description") {
                    o.insert("Description".into(), d.clone());
                }
                o.insert("Value".into(), val);
                outputs.insert(pascal_case(name), Value::Object(o));
            }
        }
        for (k, v) in std::mem::take(&mut self.params) {
            params.entry(k).or_insert(v);
        }
        if !params.is_empty() {
            out.sections
                .insert("Parameters".into(), Value::Object(params));
        }
        if !outputs.is_empty() {
            out.sections
                .insert("Outputs".into(), Value::Object(outputs));
        }
        out
    }

    /// A Terraform expression as a CloudFormation value.
    fn expression(&mut self, e: &str) -> Value {
        let e = e.trim();
        let parts: Vec<&str> = e.split('.').collect();
        let simple = e
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '*'));
        if simple && parts.len() >= 2 {
            let clean = |p: &str| p.split('[').next().unwrap_or(p).to_string();
            match parts[0] {
                "var" => {
                    let name = pascal_case(parts[1]);
                    self.params
                        .entry(name.clone())
                        .or_insert_with(|| json!({"Type": "String"}));
                    return json!({"Ref": name});
                }
                "local" => {
                    if let Some(v) = self
                        .src
                        .sections
                        .get(&format!("local.{}", parts[1]))
                        .cloned()
                    {
                        return self.value(&v);
                    }
                }
                "data" if parts.len() >= 4 => match (parts[1], parts[3]) {
                    ("aws_region", _) => return json!({"Ref": "AWS::Region"}),
                    ("aws_caller_identity", _) => return json!({"Ref": "AWS::AccountId"}),
                    ("aws_partition", "dns_suffix") => return json!({"Ref": "AWS::URLSuffix"}),
                    ("aws_partition", _) => return json!({"Ref": "AWS::Partition"}),
                    _ => {}
                },
                _ => {
                    let id = format!("{}.{}", parts[0], clean(parts[1]));
                    if let (Some(l), Some(t)) =
                        (self.ids.get(&id).cloned(), self.types.get(&id).cloned())
                    {
                        return cfn_reference(
                            &t,
                            &l,
                            parts.get(2).map(|a| a.split('[').next().unwrap_or(a)),
                        );
                    }
                }
            }
        }
        let name = pascal_case(&e.replace(['.', '[', ']', '*', '"', '(', ')', ' ', ','], "_"));
        let name: String = name.chars().take(60).collect();
        self.notes.group(
            "Terraform expressions with no CloudFormation form became parameters".into(),
            e.chars().take(60).collect(),
        );
        self.params
            .entry(name.clone())
            .or_insert_with(|| json!({"Type": "String"}));
        json!({"Ref": name})
    }

    /// A neutral Terraform value as a CloudFormation value.
    fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => {
                if let Some(e) = single_interpolation(s) {
                    return self.expression(e);
                }
                if !s.contains("${") {
                    return Value::String(s.replace("$${", "${").replace("%%{", "%{"));
                }
                // A template: Fn::Sub with a variable per interpolation.
                let mut text = String::new();
                let mut vars = Map::new();
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${") {
                    if i > 0 && rest[..i].ends_with('$') {
                        text.push_str(&rest[..i - 1]);
                        text.push_str("${!");
                        rest = &rest[i + 2..];
                        continue;
                    }
                    text.push_str(&rest[..i]);
                    let after = &rest[i..];
                    let close = after.find('}').unwrap_or(after.len() - 1);
                    let e = &after[2..close];
                    let val = self.expression(e);
                    let name = format!("V{}", vars.len() + 1);
                    match &val {
                        Value::Object(m) if m.contains_key("Ref") => {
                            let r = m["Ref"].as_str().unwrap_or("").to_string();
                            text.push_str(&format!("${{{r}}}"));
                        }
                        Value::Object(m) if m.contains_key("Fn::GetAtt") => {
                            let a = &m["Fn::GetAtt"];
                            text.push_str(&format!(
                                "${{{}.{}}}",
                                a[0].as_str().unwrap_or(""),
                                a[1].as_str().unwrap_or("")
                            ));
                        }
                        _ => {
                            text.push_str(&format!("${{{name}}}"));
                            vars.insert(name, val);
                        }
                    }
                    rest = &after[(close + 1).min(after.len())..];
                }
                text.push_str(rest);
                if vars.is_empty() {
                    json!({"Fn::Sub": text})
                } else {
                    json!({"Fn::Sub": [text, vars]})
                }
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) => {
                if let (1, Some(inner)) = (m.len(), m.get(JSONENCODE)) {
                    return self.value(inner);
                }
                Value::Object(m.iter().map(|(k, x)| (k.clone(), self.value(x))).collect())
            }
            other => other.clone(),
        }
    }

    fn properties(&mut self, s: &Service, cfn: &str) -> Map {
        let p = &s.properties;
        let mut m = Map::new();
        let renames: Vec<(&str, &str)> =
            simple_renames(cfn).iter().map(|(c, t)| (*t, *c)).collect();
        let mut handled: HashSet<&str> = HashSet::new();
        for (tk, ck) in &renames {
            if let Some(v) = p.get(*tk) {
                if !m.contains_key(*ck) {
                    let cv = self.value(v);
                    m.insert((*ck).to_string(), cv);
                }
                handled.insert(tk);
            }
        }
        let block = |k: &str| -> Option<Map> {
            match p.get(k)? {
                Value::Array(a) => a.first()?.as_object().cloned(),
                Value::Object(o) => Some(o.clone()),
                _ => None,
            }
        };
        match s.kind.word() {
            "function" => {
                for k in [
                    "environment",
                    "filename",
                    "source_code_hash",
                    "role",
                    "image_uri",
                    "package_type",
                    "tracing_config",
                    "layers",
                    "vpc_config",
                    "s3_bucket",
                    "s3_key",
                    "tags",
                    "dead_letter_config",
                    "publish",
                ] {
                    handled.insert(k);
                }
                if let Some(vars) = block("environment").and_then(|e| e.get("variables").cloned()) {
                    let v = self.value(&vars);
                    m.insert("Environment".into(), json!({"Variables": v}));
                }
                if let Some(img) = p.get("image_uri") {
                    m.insert("PackageType".into(), json!("Image"));
                    let v = self.value(img);
                    m.insert("ImageUri".into(), v);
                } else if let Some(b) = p.get("s3_bucket") {
                    let bucket = self.value(b);
                    let key = p.get("s3_key").map(|k| self.value(k)).unwrap_or(json!(""));
                    m.insert("CodeUri".into(), json!({"Bucket": bucket, "Key": key}));
                } else {
                    // The folder an archive data source zips, if there is one.
                    let dir = p
                        .get("filename")
                        .and_then(Value::as_str)
                        .and_then(single_interpolation)
                        .and_then(|e| e.strip_suffix(".output_path"))
                        .and_then(|d| {
                            self.src
                                .service(&format!("{}{d}", terraform::scope_of(&s.id)))
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
                        });
                    m.insert(
                        "CodeUri".into(),
                        json!(dir.unwrap_or_else(|| format!("src/{}/", s.short_name()))),
                    );
                }
                if let Some(t) = block("tracing_config").and_then(|t| t.get("mode").cloned()) {
                    m.insert("Tracing".into(), t);
                }
                if let Some(l) = p.get("layers") {
                    let v = self.value(l);
                    m.insert("Layers".into(), v);
                }
                if let Some(vc) = block("vpc_config") {
                    let mut c = Map::new();
                    if let Some(x) = vc.get("subnet_ids") {
                        c.insert("SubnetIds".into(), self.value(x));
                    }
                    if let Some(x) = vc.get("security_group_ids") {
                        c.insert("SecurityGroupIds".into(), self.value(x));
                    }
                    m.insert("VpcConfig".into(), Value::Object(c));
                }
                if let Some(t) =
                    block("dead_letter_config").and_then(|d| d.get("target_arn").cloned())
                {
                    let v = self.value(&t);
                    m.insert(
                        "DeadLetterQueue".into(),
                        json!({"Type": "SQS", "TargetArn": v}),
                    );
                }
            }
            "table" => {
                for k in [
                    "hash_key",
                    "range_key",
                    "attribute",
                    "stream_enabled",
                    "stream_view_type",
                    "read_capacity",
                    "write_capacity",
                    "global_secondary_index",
                    "ttl",
                    "point_in_time_recovery",
                    "tags",
                ] {
                    handled.insert(k);
                }
                let mut keys = Vec::new();
                if let Some(h) = p.get("hash_key") {
                    keys.push(json!({"AttributeName": self.value(h), "KeyType": "HASH"}));
                }
                if let Some(r) = p.get("range_key") {
                    keys.push(json!({"AttributeName": self.value(r), "KeyType": "RANGE"}));
                }
                m.insert("KeySchema".into(), Value::Array(keys));
                if let Some(Value::Array(attrs)) = p.get("attribute") {
                    let list: Vec<Value> = attrs
                        .iter()
                        .map(|a| json!({"AttributeName": a.get("name").cloned().unwrap_or(Value::Null), "AttributeType": a.get("type").cloned().unwrap_or(json!("S"))}))
                        .collect();
                    m.insert("AttributeDefinitions".into(), Value::Array(list));
                }
                if let Some(v) = p.get("stream_view_type") {
                    m.insert("StreamSpecification".into(), json!({"StreamViewType": v}));
                }
                if let (Some(r), Some(w)) = (p.get("read_capacity"), p.get("write_capacity")) {
                    m.insert(
                        "ProvisionedThroughput".into(),
                        json!({"ReadCapacityUnits": r, "WriteCapacityUnits": w}),
                    );
                }
            }
            "queue" => {
                handled.insert("redrive_policy");
                if let Some(r) = p.get("redrive_policy") {
                    let v = self.value(r);
                    if v.is_object() {
                        m.insert("RedrivePolicy".into(), v);
                    }
                }
            }
            "statemachine" => {
                for k in ["definition", "role_arn", "logging_configuration"] {
                    handled.insert(k);
                }
                if let Some(l) = block("logging_configuration") {
                    let mut o = Map::new();
                    if let Some(v) = l.get("level") {
                        o.insert("Level".into(), v.clone());
                    }
                    if let Some(v) = l.get("include_execution_data") {
                        o.insert("IncludeExecutionData".into(), v.clone());
                    }
                    if let Some(Value::String(d)) = l.get("log_destination") {
                        let arn = self.value(&Value::String(d.trim_end_matches(":*").to_string()));
                        o.insert(
                            "Destinations".into(),
                            json!([{"CloudWatchLogsLogGroup": {"LogGroupArn": arn}}]),
                        );
                    }
                    m.insert("Logging".into(), Value::Object(o));
                }
                if let Some(d) = p.get("definition") {
                    match d {
                        Value::Object(o) if o.contains_key(JSONENCODE) => {
                            let v = self.value(d);
                            m.insert("Definition".into(), v);
                        }
                        Value::String(s2)
                            if single_interpolation(s2)
                                .is_some_and(|e| e.starts_with("templatefile(")) =>
                        {
                            let e = single_interpolation(s2).unwrap_or("");
                            let file = e
                                .split('"')
                                .nth(1)
                                .unwrap_or("statemachine/definition.asl.json")
                                .replace("${path.module}/", "");
                            m.insert("DefinitionUri".into(), json!(file));
                            let mut subs = Map::new();
                            for c in terraform_chains(e) {
                                if let Some(l) = self.ids.get(&c).cloned() {
                                    subs.insert(
                                        format!("{l}Arn"),
                                        json!({"Fn::GetAtt": [l, "Arn"]}),
                                    );
                                }
                            }
                            if !subs.is_empty() {
                                m.insert("DefinitionSubstitutions".into(), Value::Object(subs));
                            }
                        }
                        other => {
                            let v = self.value(other);
                            m.insert("Definition".into(), v);
                        }
                    }
                }
            }
            "schedule" if cfn == "AWS::Scheduler::Schedule" => {
                handled.insert("target");
                handled.insert("flexible_time_window");
                if let Some(t) = block("target") {
                    let mut o = Map::new();
                    for (tk, ck) in [("arn", "Arn"), ("role_arn", "RoleArn"), ("input", "Input")] {
                        if let Some(v) = t.get(tk) {
                            o.insert(ck.into(), self.value(v));
                        }
                    }
                    m.insert("Target".into(), Value::Object(o));
                }
                let ftw = block("flexible_time_window").unwrap_or_default();
                let mut o = Map::new();
                o.insert(
                    "Mode".into(),
                    ftw.get("mode").cloned().unwrap_or(json!("OFF")),
                );
                if let Some(v) = ftw.get("maximum_window_in_minutes") {
                    o.insert("MaximumWindowInMinutes".into(), v.clone());
                }
                m.insert("FlexibleTimeWindow".into(), Value::Object(o));
            }
            "rule" | "schedule" if cfn == "AWS::Events::Rule" => {
                handled.insert("event_pattern");
                if let Some(e) = p.get("event_pattern") {
                    let v = self.value(e);
                    m.insert("EventPattern".into(), v);
                }
            }
            "bucket" => {
                handled.insert("bucket_prefix");
                handled.insert("force_destroy");
            }
            "httpapi" | "websocket" => {
                handled.insert("protocol_type");
                if s.kind.word() == "websocket" {
                    m.insert("ProtocolType".into(), json!("WEBSOCKET"));
                }
            }
            _ => {}
        }
        if let Some(t) = p.get("tags") {
            let v = self.value(t);
            if s.kind.word() == "function" || cfn.starts_with("AWS::Serverless") {
                m.insert("Tags".into(), v);
            } else if let Value::Object(tm) = v {
                m.insert(
                    "Tags".into(),
                    Value::Array(
                        tm.into_iter()
                            .map(|(k, x)| json!({"Key": k, "Value": x}))
                            .collect(),
                    ),
                );
            }
            handled.insert("tags");
        }
        if s.kind.word() == "alarm" {
            if let Some(Value::Object(d)) = p.get("dimensions") {
                let list: Vec<Value> = d
                    .iter()
                    .map(|(k, v)| json!({"Name": k, "Value": self.value(v)}))
                    .collect();
                m.insert("Dimensions".into(), Value::Array(list));
                handled.insert("dimensions");
            }
        }
        for k in p.keys() {
            if handled.contains(k.as_str()) {
                continue;
            }
            let has_refs = {
                let mut chains = String::new();
                collect_templates(&p[k], &mut chains);
                chains.contains("${")
            };
            if s.type_name.starts_with("awscc_") || has_refs {
                // Cloud Control arguments are CloudFormation properties in
                // snake_case; elsewhere an argument that names other
                // resources is kept by name so the graph survives.
                let v = self.value(&p[k]);
                if !s.type_name.starts_with("awscc_") {
                    self.notes.group(
                        format!("{}: arguments carried over by name only (check them against CloudFormation)", s.type_name),
                        k.clone(),
                    );
                }
                m.insert(pascal_case(k), v);
            } else {
                self.notes.group(
                    format!(
                        "{}: arguments with no translation were left out",
                        s.type_name
                    ),
                    k.clone(),
                );
            }
        }
        m
    }
}

/// The strings of a value, concatenated (to look for interpolations).
fn collect_templates(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(a) => a.iter().for_each(|x| collect_templates(x, out)),
        Value::Object(m) => m.values().for_each(|x| collect_templates(x, out)),
        _ => {}
    }
}

/// Resource addresses (`type.name`) named in an expression.
fn terraform_chains(e: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in e.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
    {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() >= 2 && parts[0].contains('_') && parts[0] != "path" {
            out.push(format!("{}.{}", parts[0], parts[1]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_names() {
        assert_eq!(
            tf_type("AWS::SQS::Queue", Kind::from_cfn_type("AWS::SQS::Queue")).as_deref(),
            Some("aws_sqs_queue")
        );
        assert_eq!(
            tf_type(
                "AWS::RDS::DBInstance",
                Kind::from_cfn_type("AWS::RDS::DBInstance")
            )
            .as_deref(),
            Some("aws_db_instance")
        );
        assert_eq!(
            awscc_type("AWS::EC2::SubnetRouteTableAssociation"),
            "awscc_ec2_subnet_route_table_association"
        );
        assert_eq!(single_interpolation("${a.b}"), Some("a.b"));
        assert_eq!(single_interpolation("${a}${b}"), None);
    }

    #[test]
    fn intrinsics_become_expressions() {
        let src = crate::formats::sam::import(
            "t.yaml",
            "Parameters:\n  Stage:\n    Type: String\nResources:\n  OrderQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-${Stage}-orders'\n  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n      CodeUri: src/worker/\n      Environment:\n        Variables:\n          QUEUE: !Ref OrderQueue\n          ARN: !GetAtt OrderQueue.Arn\n",
        )
        .unwrap();
        let mut w = Vec::new();
        let tf = to_terraform(&src, &mut w);
        let q = tf.service("aws_sqs_queue.order_queue").unwrap();
        assert_eq!(
            q.properties["name"],
            json!("${var.stack_name}-${var.stage}-orders")
        );
        let f = tf.service("aws_lambda_function.worker").unwrap();
        assert_eq!(
            f.properties["environment"][0]["variables"],
            json!({"QUEUE": "${aws_sqs_queue.order_queue.url}", "ARN": "${aws_sqs_queue.order_queue.arn}"})
        );
        assert!(tf.sections.contains_key("variable.stage"));
        assert!(tf.contains("data.archive_file.worker"));
    }

    #[test]
    fn the_id_maps_name_what_the_translations_hold() {
        let src = crate::formats::read(
            "example.yaml",
            include_str!("../../examples/queue-pipeline/template.yaml"),
        )
        .unwrap();
        let ids = terraform_ids(&src);
        let tf = to_terraform(&src, &mut Vec::new());
        assert_eq!(ids["JobQueue"], "aws_sqs_queue.job_queue");
        for (own, addr) in &ids {
            assert!(tf.contains(addr), "{own} -> {addr}");
        }
        let back = sam_ids(&tf);
        let sam = to_sam(&tf, &mut Vec::new());
        assert_eq!(back["aws_sqs_queue.job_queue"], "JobQueue");
        for (own, id) in &back {
            assert!(sam.contains(id), "{own} -> {id}");
        }
    }
}
