//! Infrastructure glue that is not a service of its own, as data: for each
//! resource type, the box it folds into at the service level (its parent, or
//! the one service that uses it), and the pass both importers run last that
//! moves what such a resource connects onto the box it folds into. A
//! listener's target group, a task definition's role or a DB instance of a
//! cluster are details of the box a careful engineer draws; their arrows are
//! that box's arrows.

use std::collections::{HashMap, HashSet};

use crate::catalog::Kind;
use crate::formats::wiring::Found;
use crate::model::{Connection, ConnectionKind, Sketch};

/// How a resource type folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Into the resource one of these properties names (else the first
    /// resource it names at all): a user pool client into its pool.
    Child(&'static [&'static str]),
    /// Into the first service that names it: a cache policy into its
    /// distribution, a task definition into its ECS service.
    User,
}

use Rule::{Child, User};

/// Resource types that fold, SAM/CloudFormation and Terraform together.
const RULES: &[(&str, Rule)] = &[
    // Cognito: a pool's clients, domains, users and groups are the pool.
    ("AWS::Cognito::UserPoolClient", Child(&["UserPoolId"])),
    ("AWS::Cognito::UserPoolDomain", Child(&["UserPoolId"])),
    (
        "AWS::Cognito::UserPoolResourceServer",
        Child(&["UserPoolId"]),
    ),
    ("AWS::Cognito::UserPoolUser", Child(&["UserPoolId"])),
    ("AWS::Cognito::UserPoolGroup", Child(&["UserPoolId"])),
    (
        "AWS::Cognito::UserPoolUserToGroupAttachment",
        Child(&["UserPoolId"]),
    ),
    (
        "AWS::Cognito::UserPoolIdentityProvider",
        Child(&["UserPoolId"]),
    ),
    (
        "AWS::Cognito::UserPoolUICustomizationAttachment",
        Child(&["UserPoolId"]),
    ),
    (
        "AWS::Cognito::IdentityPoolRoleAttachment",
        Child(&["IdentityPoolId"]),
    ),
    ("aws_cognito_user_pool_client", Child(&["user_pool_id"])),
    ("aws_cognito_user_pool_domain", Child(&["user_pool_id"])),
    ("aws_cognito_resource_server", Child(&["user_pool_id"])),
    ("aws_cognito_user", Child(&["user_pool_id"])),
    ("aws_cognito_user_group", Child(&["user_pool_id"])),
    ("aws_cognito_user_in_group", Child(&["user_pool_id"])),
    ("aws_cognito_identity_provider", Child(&["user_pool_id"])),
    (
        "aws_cognito_user_pool_ui_customization",
        Child(&["user_pool_id"]),
    ),
    (
        "aws_cognito_identity_pool_roles_attachment",
        Child(&["identity_pool_id"]),
    ),
    // Load balancers: listeners, rules and certificates are the balancer
    // (target groups are folded where their routes are drawn).
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        Child(&["LoadBalancerArn"]),
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Child(&["ListenerArn"]),
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        Child(&["ListenerArn"]),
    ),
    ("aws_lb_listener", Child(&["load_balancer_arn"])),
    ("aws_alb_listener", Child(&["load_balancer_arn"])),
    ("aws_lb_listener_rule", Child(&["listener_arn"])),
    ("aws_alb_listener_rule", Child(&["listener_arn"])),
    ("aws_lb_listener_certificate", Child(&["listener_arn"])),
    ("AWS::CertificateManager::Certificate", User),
    ("aws_acm_certificate", User),
    (
        "aws_acm_certificate_validation",
        Child(&["certificate_arn"]),
    ),
    // DNS names point at what they name.
    ("AWS::Route53::RecordSet", Child(&["AliasTarget"])),
    ("AWS::Route53::RecordSetGroup", Child(&["RecordSets"])),
    ("aws_route53_record", Child(&["alias", "records"])),
    // Network plumbing folds into the network it belongs to.
    ("AWS::EC2::SecurityGroupIngress", Child(&["GroupId"])),
    ("AWS::EC2::SecurityGroupEgress", Child(&["GroupId"])),
    ("AWS::EC2::Route", Child(&["RouteTableId"])),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        Child(&["SubnetId", "RouteTableId"]),
    ),
    ("AWS::EC2::VPCGatewayAttachment", Child(&["VpcId"])),
    ("AWS::EC2::InternetGateway", User),
    ("AWS::EC2::EgressOnlyInternetGateway", Child(&["VpcId"])),
    ("AWS::EC2::EIP", User),
    ("AWS::EC2::NetworkAcl", Child(&["VpcId"])),
    ("AWS::EC2::NetworkAclEntry", Child(&["NetworkAclId"])),
    (
        "AWS::EC2::SubnetNetworkAclAssociation",
        Child(&["SubnetId"]),
    ),
    ("AWS::EC2::VPCEndpoint", Child(&["VpcId"])),
    ("AWS::EC2::VPCCidrBlock", Child(&["VpcId"])),
    ("AWS::EC2::VPCDHCPOptionsAssociation", Child(&["VpcId"])),
    ("AWS::EC2::DHCPOptions", User),
    ("AWS::EC2::FlowLog", Child(&["ResourceId"])),
    ("AWS::EC2::TransitGatewayAttachment", Child(&["VpcId"])),
    ("AWS::EC2::LaunchTemplate", User),
    ("AWS::IAM::InstanceProfile", User),
    ("aws_security_group_rule", Child(&["security_group_id"])),
    (
        "aws_vpc_security_group_ingress_rule",
        Child(&["security_group_id"]),
    ),
    (
        "aws_vpc_security_group_egress_rule",
        Child(&["security_group_id"]),
    ),
    ("aws_route", Child(&["route_table_id"])),
    (
        "aws_route_table_association",
        Child(&["subnet_id", "route_table_id"]),
    ),
    ("aws_main_route_table_association", Child(&["vpc_id"])),
    (
        "aws_default_route_table",
        Child(&["default_route_table_id"]),
    ),
    ("aws_default_security_group", Child(&["vpc_id"])),
    (
        "aws_default_network_acl",
        Child(&["default_network_acl_id"]),
    ),
    ("aws_internet_gateway", User),
    ("aws_internet_gateway_attachment", Child(&["vpc_id"])),
    ("aws_egress_only_internet_gateway", Child(&["vpc_id"])),
    ("aws_eip", User),
    ("aws_network_acl", Child(&["vpc_id"])),
    ("aws_network_acl_rule", Child(&["network_acl_id"])),
    ("aws_network_acl_association", Child(&["subnet_id"])),
    ("aws_vpc_endpoint", Child(&["vpc_id"])),
    (
        "aws_vpc_endpoint_route_table_association",
        Child(&["vpc_endpoint_id"]),
    ),
    ("aws_vpc_ipv4_cidr_block_association", Child(&["vpc_id"])),
    ("aws_flow_log", Child(&["vpc_id", "subnet_id"])),
    ("aws_launch_template", User),
    ("aws_launch_configuration", User),
    ("aws_iam_instance_profile", User),
    // Databases: subnet and parameter groups configure their database; a
    // cluster's instances are the cluster.
    ("AWS::RDS::DBSubnetGroup", User),
    ("AWS::RDS::DBParameterGroup", User),
    ("AWS::RDS::DBClusterParameterGroup", User),
    ("AWS::RDS::OptionGroup", User),
    ("AWS::DocDB::DBSubnetGroup", User),
    ("AWS::DocDB::DBClusterParameterGroup", User),
    ("AWS::DocDB::DBInstance", Child(&["DBClusterIdentifier"])),
    ("AWS::Neptune::DBSubnetGroup", User),
    ("AWS::Neptune::DBInstance", Child(&["DBClusterIdentifier"])),
    ("AWS::ElastiCache::SubnetGroup", User),
    ("AWS::ElastiCache::ParameterGroup", User),
    ("AWS::MemoryDB::SubnetGroup", User),
    ("AWS::MemoryDB::ParameterGroup", User),
    ("AWS::MSK::Configuration", User),
    ("AWS::RDS::DBProxyTargetGroup", Child(&["DBProxyName"])),
    ("aws_db_subnet_group", User),
    ("aws_db_parameter_group", User),
    ("aws_rds_cluster_parameter_group", User),
    ("aws_db_option_group", User),
    ("aws_docdb_subnet_group", User),
    ("aws_neptune_subnet_group", User),
    ("aws_elasticache_subnet_group", User),
    ("aws_elasticache_parameter_group", User),
    ("aws_memorydb_subnet_group", User),
    ("aws_msk_configuration", User),
    ("aws_rds_cluster_instance", Child(&["cluster_identifier"])),
    ("aws_docdb_cluster_instance", Child(&["cluster_identifier"])),
    (
        "aws_neptune_cluster_instance",
        Child(&["cluster_identifier"]),
    ),
    (
        "aws_db_proxy_default_target_group",
        Child(&["db_proxy_name"]),
    ),
    ("aws_db_proxy_target", Child(&["db_proxy_name"])),
    // CloudFront: origin access and the policies of a distribution.
    ("AWS::CloudFront::OriginAccessControl", User),
    ("AWS::CloudFront::CloudFrontOriginAccessIdentity", User),
    ("AWS::CloudFront::CachePolicy", User),
    ("AWS::CloudFront::OriginRequestPolicy", User),
    ("AWS::CloudFront::ResponseHeadersPolicy", User),
    ("AWS::CloudFront::Function", User),
    ("AWS::CloudFront::KeyGroup", User),
    ("AWS::CloudFront::PublicKey", User),
    ("AWS::CloudFront::KeyValueStore", User),
    ("AWS::CloudFront::RealtimeLogConfig", User),
    ("aws_cloudfront_origin_access_control", User),
    ("aws_cloudfront_origin_access_identity", User),
    ("aws_cloudfront_cache_policy", User),
    ("aws_cloudfront_origin_request_policy", User),
    ("aws_cloudfront_response_headers_policy", User),
    ("aws_cloudfront_function", User),
    ("aws_cloudfront_key_group", User),
    ("aws_cloudfront_public_key", User),
    // IoT: policies and certificates configure the things that use them.
    ("AWS::IoT::Policy", User),
    ("AWS::IoT::Certificate", User),
    (
        "AWS::IoT::PolicyPrincipalAttachment",
        Child(&["PolicyName"]),
    ),
    ("AWS::IoT::ThingPrincipalAttachment", Child(&["ThingName"])),
    ("aws_iot_policy", User),
    ("aws_iot_certificate", User),
    ("aws_iot_policy_attachment", Child(&["policy"])),
    ("aws_iot_thing_principal_attachment", Child(&["thing"])),
    // Containers and scaling: the service is the box.
    ("AWS::ECS::Cluster", User),
    ("AWS::ECS::TaskDefinition", User),
    ("AWS::ECS::CapacityProvider", User),
    (
        "AWS::ECS::ClusterCapacityProviderAssociations",
        Child(&["Cluster"]),
    ),
    (
        "AWS::ApplicationAutoScaling::ScalableTarget",
        Child(&["ResourceId"]),
    ),
    (
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        Child(&["ScalingTargetId", "ResourceId"]),
    ),
    ("AWS::AutoScaling::LaunchConfiguration", User),
    (
        "AWS::AutoScaling::ScalingPolicy",
        Child(&["AutoScalingGroupName"]),
    ),
    (
        "AWS::AutoScaling::LifecycleHook",
        Child(&["AutoScalingGroupName"]),
    ),
    ("aws_ecs_cluster", User),
    ("aws_ecs_task_definition", User),
    ("aws_ecs_capacity_provider", User),
    (
        "aws_ecs_cluster_capacity_providers",
        Child(&["cluster_name"]),
    ),
    ("aws_appautoscaling_target", Child(&["resource_id"])),
    ("aws_appautoscaling_policy", Child(&["resource_id"])),
    ("aws_autoscaling_policy", Child(&["autoscaling_group_name"])),
    (
        "aws_autoscaling_lifecycle_hook",
        Child(&["autoscaling_group_name"]),
    ),
    // A function's URL, aliases and versions are the function.
    ("AWS::Lambda::Url", Child(&["TargetFunctionArn"])),
    ("AWS::Lambda::Alias", Child(&["FunctionName"])),
    ("AWS::Lambda::Version", Child(&["FunctionName"])),
    ("AWS::Lambda::EventInvokeConfig", Child(&["FunctionName"])),
    (
        "AWS::Lambda::LayerVersionPermission",
        Child(&["LayerVersionArn"]),
    ),
    ("aws_lambda_alias", Child(&["function_name"])),
    ("aws_lambda_function_url", Child(&["function_name"])),
    (
        "aws_lambda_function_event_invoke_config",
        Child(&["function_name"]),
    ),
    (
        "aws_lambda_provisioned_concurrency_config",
        Child(&["function_name"]),
    ),
    // APIs: links, domains and mappings are the API.
    // An API's custom domain is the API it maps (through a base path or API
    // mapping, which names both); see `owners`.
    ("AWS::ApiGateway::DomainName", User),
    ("AWS::ApiGatewayV2::DomainName", User),
    ("aws_api_gateway_domain_name", User),
    ("aws_apigatewayv2_domain_name", User),
    ("awscc_apigateway_domain_name", User),
    ("awscc_apigatewayv2_domain_name", User),
    ("AWS::ApiGateway::VpcLink", User),
    ("AWS::ApiGatewayV2::VpcLink", User),
    ("AWS::ApiGateway::Account", User),
    ("aws_api_gateway_vpc_link", User),
    ("aws_apigatewayv2_vpc_link", User),
    ("aws_api_gateway_account", User),
    // Logs, secrets, storage and keys: settings of one resource.
    ("AWS::Logs::MetricFilter", Child(&["LogGroupName"])),
    (
        "AWS::SecretsManager::SecretTargetAttachment",
        Child(&["SecretId"]),
    ),
    (
        "AWS::SecretsManager::RotationSchedule",
        Child(&["SecretId"]),
    ),
    ("AWS::S3::AccessPoint", Child(&["Bucket"])),
    (
        "AWS::S3ObjectLambda::AccessPointPolicy",
        Child(&["ObjectLambdaAccessPoint"]),
    ),
    ("AWS::EFS::MountTarget", Child(&["FileSystemId"])),
    ("AWS::EFS::AccessPoint", Child(&["FileSystemId"])),
    ("AWS::KMS::Alias", Child(&["TargetKeyId"])),
    ("AWS::Events::Archive", Child(&["SourceArn"])),
    ("AWS::Events::Connection", User),
    ("AWS::SQS::QueueInlinePolicy", Child(&["Queue"])),
    ("AWS::SNS::TopicInlinePolicy", Child(&["TopicArn"])),
    (
        "aws_cloudwatch_log_metric_filter",
        Child(&["log_group_name"]),
    ),
    ("aws_secretsmanager_secret_rotation", Child(&["secret_id"])),
    ("aws_secretsmanager_secret_policy", Child(&["secret_arn"])),
    ("aws_s3_access_point", Child(&["bucket"])),
    (
        "aws_s3control_object_lambda_access_point_policy",
        Child(&["name"]),
    ),
    ("aws_s3_object", User),
    ("aws_s3_bucket_object", User),
    ("aws_efs_mount_target", Child(&["file_system_id"])),
    ("aws_efs_access_point", Child(&["file_system_id"])),
    ("aws_kms_alias", Child(&["target_key_id"])),
    ("aws_cloudwatch_event_archive", Child(&["event_source_arn"])),
    ("aws_cloudwatch_event_connection", User),
    // Private certificate authorities: their certificates, activations
    // and permissions are the authority.
    (
        "AWS::ACMPCA::Certificate",
        Child(&["CertificateAuthorityArn"]),
    ),
    (
        "AWS::ACMPCA::CertificateAuthorityActivation",
        Child(&["CertificateAuthorityArn"]),
    ),
    (
        "AWS::ACMPCA::Permission",
        Child(&["CertificateAuthorityArn"]),
    ),
    (
        "aws_acmpca_certificate",
        Child(&["certificate_authority_arn"]),
    ),
    (
        "aws_acmpca_certificate_authority_certificate",
        Child(&["certificate_authority_arn"]),
    ),
    (
        "aws_acmpca_permission",
        Child(&["certificate_authority_arn"]),
    ),
    ("AWS::ECR::RepositoryPolicy", Child(&["RepositoryName"])),
    ("aws_ecr_lifecycle_policy", Child(&["repository"])),
    ("aws_ecr_repository_policy", Child(&["repository"])),
    // Template metadata.
    ("AWS::CloudFormation::WaitConditionHandle", User),
    ("AWS::CloudFormation::WaitCondition", User),
    ("AWS::CDK::Metadata", User),
];

/// How a resource type folds, if it does. Helpers (`random_*`,
/// `null_resource`, archives, ...) fold into the service that uses them.
pub(crate) fn rule(type_name: &str) -> Option<Rule> {
    if crate::catalog::is_helper(type_name) {
        return Some(User);
    }
    if let Some(r) = RULES.iter().find(|(t, _)| *t == type_name).map(|(_, r)| *r) {
        return Some(r);
    }
    // A CloudFormation type written for the Cloud Control provider
    // (`awscc_rds_db_subnet_group`) folds as it does in CloudFormation.
    let rest = type_name.strip_prefix("awscc_")?;
    let want = format!("aws{}", rest.replace('_', ""));
    RULES
        .iter()
        .find(|(t, _)| t.contains("::") && squash(t) == want)
        .map(|(_, r)| *r)
}

/// A name in lower case without separators: `AWS::RDS::DBSubnetGroup` and
/// `db_subnet_group_name` compare as the Cloud Control provider spells them.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a statement's actions do, as an arrow: receiving and deleting
/// messages is consuming them (a read), and any service's `Publish` verb
/// publishes (`iot:Publish`).
pub(crate) fn classify(actions: &[&str]) -> ConnectionKind {
    let has = |verb: &str| {
        actions.iter().any(|a| {
            a.rsplit(':')
                .next()
                .is_some_and(|v| v.eq_ignore_ascii_case(verb))
        })
    };
    if actions
        .iter()
        .any(|a| a.eq_ignore_ascii_case("sqs:ReceiveMessage"))
    {
        return ConnectionKind::Read;
    }
    // Encrypting and decrypting with a key uses it; nothing is stored in it.
    if !actions.is_empty()
        && actions.iter().all(|a| {
            a.split_once(':')
                .is_some_and(|(s, v)| s.eq_ignore_ascii_case("kms") && v != "*")
        })
    {
        return ConnectionKind::Read;
    }
    match crate::formats::sam::policies::classify_actions(actions) {
        ConnectionKind::Write if has("Publish") => ConnectionKind::Publish,
        k => k,
    }
}

/// The arrows a statement granting `actions` on a `target` draws from its
/// user, given the arrow the two kinds naturally have: usually one; a grant
/// that writes a store and also reads it (`GetParameter` with
/// `PutParameter`, `dynamodb:*`) draws both.
pub(crate) fn granted_arrows(
    user: Option<Kind>,
    target: Kind,
    natural: ConnectionKind,
    actions: &[&str],
) -> Vec<ConnectionKind> {
    use ConnectionKind::*;
    let kind = classify(actions);
    // A service that runs no code of its own (a crawler) does what it is
    // configured for: a broad grant on a store it reads is reading.
    let configured = user.is_some_and(|k| !crate::catalog::runs_code(k));
    let k = match (kind, natural) {
        (Write, Read) if configured => Read,
        (Write, Publish) => Publish,
        (Write | Invoke, Invoke) => Invoke,
        // Permission to write logs is logging; an API's permission to reach
        // a service is its integration.
        (_, Log) => Log,
        _ if target == Kind::LogGroup => Log,
        (_, Route) => Route,
        (k, _) => k,
    };
    // What a state machine does to a service that stores nothing (an ECS
    // task it runs, a Glue job) is an integration: it invokes it.
    let k = match (user, k) {
        (Some(Kind::StateMachine), Write)
            if crate::formats::recipes::access(target, Write).is_none() =>
        {
            Invoke
        }
        _ => k,
    };
    let also_reads =
        k == Write && !configured && crate::formats::recipes::grants(target, Read, actions);
    if also_reads {
        vec![Read, Write]
    } else {
        vec![k]
    }
}

/// Whether a reference sits in a distribution's function associations
/// (Lambda@Edge, CloudFront functions), in either language.
pub(crate) fn runs_at_edge(pointer: &str) -> bool {
    let p = pointer.to_ascii_lowercase().replace('_', "");
    p.contains("functionassociation")
}

/// Whether a service only dispatches events to targets it names itself
/// (rules, schedules, pipes, IoT rules, AppSync data sources): its role's statements are those
/// targets' permissions, never arrows of their own.
pub(crate) fn dispatches(type_name: &str) -> bool {
    matches!(
        type_name,
        "AWS::IoT::TopicRule"
            | "AWS::Events::Rule"
            | "AWS::Scheduler::Schedule"
            | "AWS::Pipes::Pipe"
            | "aws_iot_topic_rule"
            | "aws_cloudwatch_event_rule"
            | "aws_scheduler_schedule"
            | "aws_pipes_pipe"
            | "AWS::AppSync::DataSource"
            | "aws_appsync_datasource"
    )
}

/// What each resource references, by the top-level property it is in.
pub(crate) type Refs = HashMap<String, Vec<(String, String)>>;

/// Owners for the resources [`RULES`] fold, added after those the importer
/// found (the first owner found wins). Resources of no known kind that
/// name an API (`RestApiId`, `api_id`) belong to it.
pub(crate) fn owners(sketch: &Sketch, refs: &Refs, found: &mut Found) {
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in sketch.services() {
        if let Some(rs) = refs.get(&s.id) {
            for (_, t) in rs {
                let list = users.entry(t.as_str()).or_default();
                if !list.contains(&s.id.as_str()) {
                    list.push(s.id.as_str());
                }
            }
        }
    }
    let empty = Vec::new();
    for s in sketch.services() {
        let rs = refs.get(&s.id).unwrap_or(&empty);
        let owner = match rule(&s.type_name) {
            Some(Child(keys)) => keys
                .iter()
                .find_map(|k| {
                    rs.iter()
                        .find(|(key, _)| squash(key) == squash(k))
                        .map(|(_, t)| t.clone())
                })
                // A data source (the region in a service name) is no parent.
                .or_else(|| {
                    rs.iter()
                        .find(|(_, t)| sketch.service(t).is_none_or(|x| !x.is_data_source()))
                        .map(|(_, t)| t.clone())
                }),
            // A task definition is the ECS service that keeps it running;
            // one a state machine, function or rule starts is a task of its
            // own, a box.
            Some(User) if is_task_definition(&s.type_name) => users
                .get(s.id.as_str())
                .and_then(|us| {
                    us.iter()
                        .find(|u| sketch.service(u).is_some_and(|x| x.kind == Kind::Container))
                })
                .map(|u| u.to_string()),
            Some(User) if is_api_domain(&s.type_name) => users.get(s.id.as_str()).and_then(|us| {
                us.iter().find_map(|u| {
                    refs.get(*u)?
                        .iter()
                        .find(|(k, _)| is_api_key(k))
                        .map(|(_, t)| t.clone())
                })
            }),
            Some(User) => users.get(s.id.as_str()).and_then(|us| {
                us.iter()
                    .find(|u| {
                        sketch
                            .service(u)
                            .is_some_and(|x| !x.kind.is_glue() && rule(&x.type_name).is_none())
                    })
                    // A certificate used by a listener goes where the
                    // listener goes; what only glue names (a task definition
                    // a rule target runs) is a box of its own.
                    .or_else(|| {
                        us.iter()
                            .find(|u| sketch.service(u).is_some_and(|x| !x.kind.is_glue()))
                    })
                    .map(|u| u.to_string())
            }),
            None if s.kind.is_generic() => rs
                .iter()
                .find(|(k, _)| is_api_key(k))
                .or_else(|| {
                    // A DNS alias for an API's custom domain names the API.
                    is_record(&s.type_name)
                        .then(|| {
                            rs.iter().find(|(_, t)| {
                                sketch
                                    .service(t)
                                    .is_some_and(|x| is_api_domain(&x.type_name))
                            })
                        })
                        .flatten()
                })
                .map(|(_, t)| t.clone()),
            None => None,
        };
        if let Some(o) = owner.filter(|o| *o != s.id) {
            found.own(&s.id, &o);
        }
    }
}

/// A property naming the API a resource belongs to.
fn is_api_key(key: &str) -> bool {
    matches!(key, "RestApiId" | "ApiId" | "rest_api_id" | "api_id")
}

fn is_api_domain(type_name: &str) -> bool {
    matches!(
        type_name,
        "AWS::ApiGateway::DomainName"
            | "AWS::ApiGatewayV2::DomainName"
            | "aws_api_gateway_domain_name"
            | "aws_apigatewayv2_domain_name"
            | "awscc_apigateway_domain_name"
            | "awscc_apigatewayv2_domain_name"
    )
}

fn is_record(type_name: &str) -> bool {
    matches!(type_name, "AWS::Route53::RecordSet" | "aws_route53_record")
}

fn is_task_definition(type_name: &str) -> bool {
    matches!(
        type_name,
        "AWS::ECS::TaskDefinition" | "aws_ecs_task_definition"
    )
}

/// Whether a service folds at the service level, as the view decides,
/// given the owners found.
fn folds(sketch: &Sketch, owner: &HashMap<&str, &str>, id: &str) -> bool {
    let Some(s) = sketch.service(id) else {
        return false;
    };
    let k = s.kind;
    k.is_glue()
        || matches!(
            k,
            Kind::Subnet | Kind::SecurityGroup | Kind::Layer | Kind::Vpc
        )
        || s.is_data_source()
        || crate::catalog::is_helper(&s.type_name)
        || (k.is_generic() && owner.contains_key(id))
}

/// Moves what folded resources of no known kind connect onto the box they
/// fold into: `TaskDefinition -write-> Queue` is the ECS service's arrow.
/// A plain reference moved this way becomes the arrow the two kinds
/// naturally have (a task definition's log group is its service's `log`),
/// or is left where it was. Last, a trigger or route between two services
/// takes in the other typed arrows between them (the permission that lets
/// it happen says nothing more).
pub(crate) fn lift(sketch: &Sketch, found: &mut Found) {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (g, o) in &found.owners {
        owner.entry(g.as_str()).or_insert(o.as_str());
    }
    let top = |id: &str| -> Option<String> {
        let mut cur = id;
        for _ in 0..16 {
            if !folds(sketch, &owner, cur) {
                return Some(cur.to_string());
            }
            cur = owner.get(cur)?;
        }
        None
    };
    let liftable = |id: &str| {
        sketch
            .service(id)
            .is_some_and(|s| s.kind.is_generic() && !s.is_data_source())
            && owner.contains_key(id)
    };
    let kind_of = |id: &str| sketch.service(id).map(|s| s.kind);
    let natural = |a: &str, b: &str| -> Option<ConnectionKind> {
        let (ka, kb): (Kind, Kind) = (kind_of(a)?, kind_of(b)?);
        ka.natural_connection(kb)
    };
    let conns = std::mem::take(&mut found.conns);
    let mut out: Vec<(String, String, Connection)> = Vec::new();
    // The image registry a task or function pulls its code from is where its
    // code is kept (`+code`), not a data flow.
    let image_store = |id: &str| {
        sketch.service(id).is_some_and(|s| {
            matches!(
                s.type_name.as_str(),
                "AWS::ECR::Repository" | "aws_ecr_repository"
            )
        })
    };
    let runs_images = |id: &str| {
        sketch.service(id).is_some_and(|s| {
            matches!(s.kind, Kind::Function | Kind::Container) || is_task_definition(&s.type_name)
        })
    };
    let conns: Vec<_> = conns
        .into_iter()
        .filter(|(a, b, _)| !(image_store(b) && runs_images(a)))
        .collect();
    for (a, b, c) in conns {
        let (la, lb) = (liftable(&a), liftable(&b));
        if !la && !lb {
            out.push((a, b, c));
            continue;
        }
        let na = if la { top(&a) } else { Some(a.clone()) };
        let nb = if lb { top(&b) } else { Some(b.clone()) };
        // Shared infrastructure a function merely named first (an ECS
        // cluster two functions run tasks on) is not that function: another
        // service naming it does not reach the function through it.
        let claimed_by_code = |glue: &str, top: &Option<String>| {
            sketch
                .service(glue)
                .is_some_and(|s| rule(&s.type_name) == Some(User))
                && top.as_deref().is_some_and(|t| {
                    kind_of(t).is_some_and(|k| matches!(k, Kind::Function | Kind::StateMachine))
                })
        };
        if lb && !la && claimed_by_code(&b, &nb) && nb.as_deref() != Some(a.as_str()) {
            out.push((a, b, c));
            continue;
        }
        // A helper (a random suffix, a timestamp) names nothing it serves:
        // what refers to it is not connected to whoever else uses it.
        let helper = |id: &str| {
            sketch
                .service(id)
                .is_some_and(|s| crate::catalog::is_helper(&s.type_name))
        };
        if (lb && helper(&b)) || (la && helper(&a)) {
            out.push((a, b, c));
            continue;
        }
        // A function's code uploaded as an object: where its code is kept.
        let code_object =
            la && sketch.service(&a).is_some_and(|s| {
                matches!(
                    s.type_name.as_str(),
                    "aws_s3_object" | "aws_s3_bucket_object"
                )
            }) && na
                .as_deref()
                .and_then(kind_of)
                .is_some_and(|k| matches!(k, Kind::Function | Kind::Layer));
        if code_object {
            out.push((a, b, c));
            continue;
        }
        let (Some(na), Some(nb)) = (na, nb) else {
            out.push((a, b, c));
            continue;
        };
        if na == nb {
            out.push((a, b, c));
            continue;
        }
        if c.kind != ConnectionKind::Ref {
            // What a part of a service that routes (an AppSync data source,
            // an integration) is allowed to call is where the service routes.
            let mut c = c;
            if la
                && natural(&na, &nb) == Some(ConnectionKind::Route)
                && matches!(
                    c.kind,
                    ConnectionKind::Invoke | ConnectionKind::Write | ConnectionKind::Read
                )
            {
                c.kind = ConnectionKind::Route;
            }
            out.push((na, nb, c));
            continue;
        }
        // What a service's own definition references (its task definition,
        // launch template) is the service's; what a part of it references
        // (a scaling policy's metric) is not, except who authenticates it.
        let defines = |id: &str| {
            sketch
                .service(id)
                .is_some_and(|s| rule(&s.type_name) == Some(User))
        };
        let own_natural = if (la && defines(&a)) || (lb && defines(&b)) {
            natural(&na, &nb)
        } else {
            None
        };
        // An AppSync data source names what its API resolves fields with.
        let resolves =
            la && sketch.service(&a).is_some_and(|s| {
                matches!(
                    s.type_name.as_str(),
                    "AWS::AppSync::DataSource" | "aws_appsync_datasource"
                )
            }) && natural(&na, &nb) == Some(ConnectionKind::Route);
        let own_natural = if resolves {
            Some(ConnectionKind::Route)
        } else {
            own_natural
        };
        // An API's custom domain is a property of the API in SAM: what it
        // names (its certificate) the API names.
        let domain = la
            && sketch
                .service(&a)
                .is_some_and(|s| is_api_domain(&s.type_name));
        let typed = match own_natural {
            Some(k) if k != ConnectionKind::Ref => Some((na.clone(), nb.clone(), k)),
            _ if domain => Some((na.clone(), nb.clone(), ConnectionKind::Ref)),
            _ => match natural(&nb, &na) {
                Some(ConnectionKind::Auth) => Some((nb.clone(), na.clone(), ConnectionKind::Auth)),
                _ => None,
            },
        };
        if let Some((x, y, k)) = typed {
            let mut t = c.clone();
            t.kind = k;
            out.push((x, y, t));
        }
        out.push((a, b, c));
    }
    // One arrow between two services for a trigger or route and the
    // permissions behind it.
    let carriers: HashSet<(String, String)> = out
        .iter()
        .filter(|(_, _, c)| matches!(c.kind, ConnectionKind::Trigger | ConnectionKind::Route))
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    let routes: HashSet<(String, String)> = out
        .iter()
        .filter(|(_, _, c)| c.kind == ConnectionKind::Route)
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    let out_triggers: HashSet<(String, String)> = out
        .iter()
        .filter(|(_, _, c)| c.kind == ConnectionKind::Trigger)
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    let mut merged: Vec<(String, String, Connection)> = Vec::new();
    let mut extra: Vec<(String, String, Connection)> = Vec::new();
    // A reference that repeats a typed arrow adds nothing.
    let typed: HashSet<(String, String)> = out
        .iter()
        .filter(|(_, _, c)| c.kind != ConnectionKind::Ref)
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    for (a, b, c) in out {
        let pair = (a.clone(), b.clone());
        let absorbed = (carriers.contains(&pair)
            && matches!(
                c.kind,
                ConnectionKind::Write
                    | ConnectionKind::Publish
                    | ConnectionKind::Invoke
                    | ConnectionKind::Read
            ))
            || (routes.contains(&pair) && c.kind == ConnectionKind::Trigger)
            || (c.kind == ConnectionKind::Ref && typed.contains(&pair));
        // A consumer's permission to poll the queue or stream that triggers
        // it is that trigger (reading a table is more than its stream).
        let polls = c.kind == ConnectionKind::Read
            && kind_of(&b).is_some_and(|k| matches!(k, Kind::Queue | Kind::Stream))
            && out_triggers.contains(&(b.clone(), a.clone()));
        if polls {
            extra.push((b, a, c));
        } else if absorbed {
            extra.push((a, b, c));
        } else {
            merged.push((a, b, c));
        }
    }
    for (a, b, c) in extra {
        let best = merged
            .iter()
            .position(|(x, y, k)| *x == a && *y == b && k.kind == ConnectionKind::Route)
            .or_else(|| {
                merged
                    .iter()
                    .position(|(x, y, k)| *x == a && *y == b && k.kind == ConnectionKind::Trigger)
            })
            .or_else(|| {
                merged
                    .iter()
                    .position(|(x, y, k)| *x == a && *y == b && k.kind != ConnectionKind::Ref)
            });
        if let Some((_, _, into)) = best.map(|i| &mut merged[i]) {
            for o in c.origins {
                if !into.origins.contains(&o) {
                    into.origins.push(o);
                }
            }
        }
    }
    let owners = std::mem::take(&mut found.owners);
    *found = Found::default();
    found.owners = owners;
    for (a, b, c) in merged {
        found.push(&a, &b, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_found_in_both_languages_and_for_cloud_control() {
        assert_eq!(
            rule("AWS::Cognito::UserPoolClient"),
            Some(Child(&["UserPoolId"]))
        );
        assert_eq!(rule("aws_cloudfront_cache_policy"), Some(User));
        assert_eq!(rule("awscc_rds_db_subnet_group"), Some(User));
        assert_eq!(rule("random_pet"), Some(User));
        assert_eq!(rule("aws_lambda_function"), None);
        assert_eq!(rule("AWS::IoT::TopicRule"), None);
    }

    #[test]
    fn actions_say_what_an_arrow_does() {
        use ConnectionKind::*;
        assert_eq!(classify(&["sqs:ReceiveMessage", "sqs:DeleteMessage"]), Read);
        assert_eq!(classify(&["kms:Decrypt", "kms:Encrypt"]), Read);
        assert_eq!(classify(&["iot:Connect", "iot:Publish"]), Publish);
        assert_eq!(classify(&["dynamodb:PutItem"]), Write);
    }
}
