//! One property map per kind of resource, serving both directions of
//! translation. Each is a list of rules (see `rules`): renamed, nested,
//! tags, JSON documents, hand-written pieces, and what has no counterpart.
//! A type with no map here has no property translated: its properties are
//! reported and kept in the sketch.

mod api;
mod compute;
mod function;
mod iam;
mod integration;
mod network;
mod other;
mod storage;

use super::rules::{Rule, Rule::ByName};

/// Each map and the CloudFormation types it serves.
static MAPS: &[(&[&str], &[&[Rule]])] = &[
    (&["AWS::Serverless::Function"], function::SERVERLESS),
    (&["AWS::Lambda::Function"], function::LAMBDA),
    (&["AWS::SQS::Queue"], storage::QUEUE),
    (&["AWS::SNS::Topic"], storage::TOPIC),
    (&["AWS::DynamoDB::Table"], storage::TABLE),
    (&["AWS::Serverless::SimpleTable"], storage::SIMPLE_TABLE),
    (&["AWS::S3::Bucket"], storage::BUCKET),
    (&["AWS::Kinesis::Stream"], storage::STREAM_KINESIS),
    (&["AWS::KinesisFirehose::DeliveryStream"], storage::FIREHOSE),
    (
        &["AWS::Serverless::StateMachine"],
        integration::SERVERLESS_STATE_MACHINE,
    ),
    (
        &["AWS::StepFunctions::StateMachine"],
        integration::STATE_MACHINE,
    ),
    (&["AWS::Events::EventBus"], integration::EVENT_BUS),
    (&["AWS::Events::Rule"], integration::RULE),
    (&["AWS::Scheduler::Schedule"], integration::SCHEDULE),
    (&["AWS::Pipes::Pipe"], integration::PIPE),
    (&["AWS::Serverless::Api"], api::SERVERLESS_API),
    (&["AWS::ApiGateway::RestApi"], api::REST_API),
    (&["AWS::Serverless::HttpApi"], api::SERVERLESS_HTTP_API),
    (&["AWS::ApiGatewayV2::Api"], api::V2_API),
    (&["AWS::ApiGateway::Method"], api::METHOD),
    (&["AWS::ApiGateway::Resource"], api::RESOURCE),
    (&["AWS::ApiGateway::Deployment"], api::DEPLOYMENT),
    (&["AWS::ApiGateway::Stage"], api::STAGE),
    (&["AWS::ApiGateway::Authorizer"], api::AUTHORIZER),
    (&["AWS::ApiGatewayV2::Integration"], api::V2_INTEGRATION),
    (&["AWS::ApiGatewayV2::Route"], api::V2_ROUTE),
    (&["AWS::ApiGatewayV2::Stage"], api::V2_STAGE),
    (&["AWS::ApiGatewayV2::Authorizer"], api::V2_AUTHORIZER),
    (&["AWS::ApiGatewayV2::Deployment"], api::V2_DEPLOYMENT),
    (&["AWS::ApiGateway::DomainName"], api::DOMAIN_NAME),
    (&["AWS::ApiGatewayV2::DomainName"], api::V2_DOMAIN_NAME),
    (
        &["AWS::ApiGateway::BasePathMapping"],
        api::BASE_PATH_MAPPING,
    ),
    (&["AWS::ApiGatewayV2::ApiMapping"], api::API_MAPPING),
    (&["AWS::IAM::Role"], iam::ROLE),
    (&["AWS::IAM::Policy", "AWS::IAM::RolePolicy"], iam::POLICY),
    (&["AWS::IAM::ManagedPolicy"], iam::MANAGED_POLICY),
    (
        &[
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::S3::BucketPolicy",
        ],
        iam::RESOURCE_POLICY,
    ),
    (&["AWS::Lambda::Permission"], iam::PERMISSION),
    (
        &["AWS::Lambda::EventSourceMapping"],
        iam::EVENT_SOURCE_MAPPING,
    ),
    (&["AWS::SNS::Subscription"], iam::SUBSCRIPTION),
    (&["AWS::Logs::LogGroup"], other::LOG_GROUP),
    (
        &["AWS::Logs::SubscriptionFilter"],
        other::SUBSCRIPTION_FILTER,
    ),
    (&["AWS::IoT::TopicRule"], other::TOPIC_RULE),
    (&["AWS::CloudWatch::Alarm"], other::ALARM),
    (&["AWS::CloudWatch::CompositeAlarm"], other::COMPOSITE_ALARM),
    (&["AWS::SecretsManager::Secret"], other::SECRET),
    (&["AWS::SSM::Parameter"], other::PARAMETER),
    (&["AWS::KMS::Key"], other::KEY),
    (&["AWS::Cognito::UserPool"], other::USER_POOL),
    (&["AWS::EC2::VPC"], other::VPC),
    (&["AWS::EC2::Subnet"], other::SUBNET),
    (&["AWS::EC2::SecurityGroup"], other::SECURITY_GROUP),
    (&["AWS::Serverless::LayerVersion"], other::SERVERLESS_LAYER),
    (&["AWS::Lambda::LayerVersion"], other::LAYER),
    (
        &["AWS::Serverless::Application", "AWS::CloudFormation::Stack"],
        other::APPLICATION,
    ),
    (
        &["AWS::EC2::SubnetRouteTableAssociation"],
        network::ROUTE_TABLE_ASSOCIATION,
    ),
    (&["AWS::EC2::RouteTable"], network::ROUTE_TABLE),
    (&["AWS::EC2::Route"], network::ROUTE),
    (&["AWS::EC2::InternetGateway"], network::INTERNET_GATEWAY),
    (
        &["AWS::EC2::VPCGatewayAttachment"],
        network::GATEWAY_ATTACHMENT,
    ),
    (&["AWS::EC2::EIP"], network::EIP),
    (&["AWS::EC2::NatGateway"], network::NAT_GATEWAY),
    (&["AWS::EC2::VPCEndpoint"], network::VPC_ENDPOINT),
    (&["AWS::EC2::SecurityGroupIngress"], network::INGRESS_RULE),
    (&["AWS::EC2::SecurityGroupEgress"], network::EGRESS_RULE),
    (
        &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
        network::LOAD_BALANCER,
    ),
    (
        &["AWS::ElasticLoadBalancingV2::TargetGroup"],
        network::TARGET_GROUP,
    ),
    (
        &["AWS::ElasticLoadBalancingV2::Listener"],
        network::LISTENER,
    ),
    (
        &["AWS::ElasticLoadBalancingV2::ListenerRule"],
        network::LISTENER_RULE,
    ),
    (&["AWS::Route53::RecordSet"], network::RECORD),
    (&["AWS::Route53::HostedZone"], network::HOSTED_ZONE),
    (
        &["AWS::CertificateManager::Certificate"],
        network::CERTIFICATE_MANAGER,
    ),
    (
        &["AWS::CloudFront::OriginAccessControl"],
        network::ORIGIN_ACCESS_CONTROL,
    ),
    (&["AWS::EC2::Instance"], compute::INSTANCE),
    (&["AWS::IAM::InstanceProfile"], compute::INSTANCE_PROFILE),
    (&["AWS::ECS::Cluster"], compute::ECS_CLUSTER),
    (&["AWS::ECS::TaskDefinition"], compute::TASK_DEFINITION),
    (&["AWS::ECS::Service"], compute::ECS_SERVICE),
    (&["AWS::ECR::Repository"], compute::REPOSITORY),
    (&["AWS::RDS::DBInstance"], compute::DB_INSTANCE),
    (&["AWS::RDS::DBCluster"], compute::DB_CLUSTER),
    (&["AWS::Cognito::UserPoolClient"], compute::USER_POOL_CLIENT),
    (&["AWS::Cognito::UserPoolDomain"], compute::USER_POOL_DOMAIN),
    (&["AWS::Events::Connection"], compute::EVENT_CONNECTION),
    (&["AWS::Events::ApiDestination"], compute::API_DESTINATION),
    (
        &["AWS::SecretsManager::RotationSchedule"],
        compute::ROTATION,
    ),
    (&["AWS::Scheduler::ScheduleGroup"], compute::SCHEDULE_GROUP),
    (&["AWS::KMS::Alias"], compute::KEY_ALIAS),
    (
        &["AWS::AutoScaling::AutoScalingGroup"],
        compute::AUTOSCALING_GROUP,
    ),
    (
        &["AWS::OpenSearchServerless::Collection"],
        compute::SEARCH_COLLECTION,
    ),
    (&["AWS::Kinesis::StreamConsumer"], storage::STREAM_CONSUMER),
    (&["AWS::AppSync::GraphQLApi"], integration::APPSYNC_API),
    (
        &["AWS::AppSync::DataSource"],
        integration::APPSYNC_DATA_SOURCE,
    ),
    (&["AWS::AppSync::Resolver"], integration::APPSYNC_RESOLVER),
    (
        &["AWS::ApiGatewayV2::IntegrationResponse"],
        api::V2_INTEGRATION_RESPONSE,
    ),
    (
        &["AWS::ApiGatewayV2::RouteResponse"],
        api::V2_ROUTE_RESPONSE,
    ),
    (&["AWS::Logs::MetricFilter"], other::METRIC_FILTER),
    (&["AWS::CloudFront::Distribution"], network::DISTRIBUTION),
    (
        &["AWS::ElasticLoadBalancing::LoadBalancer"],
        network::CLASSIC_LOAD_BALANCER,
    ),
    (&["AWS::DocDB::DBCluster"], compute::DOCDB_CLUSTER),
    (
        &["AWS::ElastiCache::ReplicationGroup"],
        compute::REPLICATION_GROUP,
    ),
    (&["AWS::MemoryDB::Cluster"], compute::MEMORYDB_CLUSTER),
    (&["AWS::Glue::Database"], other::GLUE_DATABASE),
    (&["AWS::Lambda::Alias"], function::ALIAS),
    (&["AWS::Glue::Table"], other::GLUE_TABLE),
];

/// The Cloud Control provider names every property after CloudFormation's.
static BY_NAME: &[&[Rule]] = &[&[ByName]];

static NONE: &[&[Rule]] = &[];

/// The rules for a resource of CloudFormation type `cfn` that is (or is
/// written as) Terraform type `tf`. SAM's events made resources of their
/// own (`implicit`) have maps of their own.
pub fn rules(cfn: &str, tf: &str, implicit: bool) -> &'static [&'static [Rule]] {
    if tf.starts_with("awscc_") {
        return BY_NAME;
    }
    if implicit {
        match cfn {
            "AWS::Events::Rule" => return integration::SAM_RULE_EVENT,
            "AWS::Scheduler::Schedule" => return integration::SAM_SCHEDULE_EVENT,
            "AWS::IoT::TopicRule" => return other::IOT_RULE,
            _ => {}
        }
    }
    MAPS.iter()
        .find(|(types, _)| types.contains(&cfn))
        .map_or(NONE, |(_, r)| *r)
}

/// Whether a Terraform argument is a block in some resource the maps
/// write (`default_action`, `health_check`), so it is written as blocks
/// rather than as a list of objects.
pub fn is_terraform_block(key: &str) -> bool {
    static KEYS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        fn walk(rules: &'static [Rule], out: &mut std::collections::HashSet<&'static str>) {
            for r in rules {
                match r {
                    Rule::Block(_, tf, inner) | Rule::Blocks(_, tf, inner) => {
                        out.insert(tf);
                        walk(inner, out);
                    }
                    Rule::InBlock(_, tf, _) => {
                        out.insert(tf);
                    }
                    _ => {}
                }
            }
        }
        let mut out = std::collections::HashSet::new();
        let extra = [
            integration::SAM_RULE_EVENT,
            integration::SAM_SCHEDULE_EVENT,
            other::IOT_RULE,
        ];
        for groups in MAPS.iter().map(|(_, g)| *g).chain(extra) {
            for g in groups {
                walk(g, &mut out);
            }
        }
        out
    })
    .contains(key)
        || other::is_iot_block(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A property or argument read by two rules of one map would be
    /// written twice, or read back under two names.
    #[test]
    fn no_map_names_a_property_twice() {
        for (types, groups) in MAPS {
            let mut cfn: Vec<&str> = Vec::new();
            let mut tf: Vec<&str> = Vec::new();
            for r in groups.iter().flat_map(|g| g.iter()) {
                let (c, t): (Vec<&str>, Vec<&str>) = match r {
                    Rule::Rename(c, t)
                    | Rule::Block(c, t, _)
                    | Rule::Blocks(c, t, _)
                    | Rule::Tags(c, t)
                    | Rule::TagMap(c, t)
                    | Rule::Json(c, t)
                    | Rule::JsonText(c, t) => (vec![c], vec![t]),
                    Rule::Nested(_, _, t) => (vec![], vec![t]),
                    Rule::InBlock(c, _, _) => (vec![c], vec![]),
                    Rule::Custom(cu) => (cu.cfn.to_vec(), cu.tf.to_vec()),
                    Rule::Connection(c) | Rule::CfnOnly(c, _) => (vec![c], vec![]),
                    Rule::TfOnly(t, _) => (vec![], vec![t]),
                    Rule::ByName => (vec![], vec![]),
                };
                for c in c {
                    assert!(!cfn.contains(&c), "{types:?}: {c} twice");
                    cfn.push(c);
                }
                for t in t {
                    assert!(!tf.contains(&t), "{types:?}: {t} twice");
                    tf.push(t);
                }
            }
        }
    }

    /// Every CloudFormation type with a map has a Terraform type.
    #[test]
    fn every_mapped_type_pairs_with_terraform() {
        for (types, _) in MAPS {
            for t in *types {
                assert!(crate::catalog::tf_type_for(t).is_some(), "{t}");
            }
        }
    }
}
