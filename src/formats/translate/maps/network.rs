//! Networks: route tables and routes, gateways, addresses, endpoints,
//! security group rules, load balancers and DNS records.

use serde_json::json;

use super::super::rules::{Custom, Rule, Rule::*};
use crate::model::Value;

pub const ROUTE_TABLE_ASSOCIATION: &[&[Rule]] = &[&[
    Rename("RouteTableId", "route_table_id"),
    Rename("SubnetId", "subnet_id"),
    TfOnly(
        "gateway_id",
        "is an AWS::EC2::GatewayRouteTableAssociation in CloudFormation",
    ),
]];

pub const ROUTE_TABLE: &[&[Rule]] = &[&[
    Rename("VpcId", "vpc_id"),
    Tags("Tags", "tags"),
    TfOnly(
        "route",
        "is written as AWS::EC2::Route resources in CloudFormation",
    ),
    TfOnly(
        "propagating_vgws",
        "is an AWS::EC2::VPNGatewayRoutePropagation in CloudFormation",
    ),
]];

pub const ROUTE: &[&[Rule]] = &[&[
    Rename("RouteTableId", "route_table_id"),
    Rename("DestinationCidrBlock", "destination_cidr_block"),
    Rename("DestinationIpv6CidrBlock", "destination_ipv6_cidr_block"),
    Rename("DestinationPrefixListId", "destination_prefix_list_id"),
    Rename("GatewayId", "gateway_id"),
    Rename("NatGatewayId", "nat_gateway_id"),
    Rename("NetworkInterfaceId", "network_interface_id"),
    Rename("TransitGatewayId", "transit_gateway_id"),
    Rename("VpcEndpointId", "vpc_endpoint_id"),
    Rename("VpcPeeringConnectionId", "vpc_peering_connection_id"),
    Rename("EgressOnlyInternetGatewayId", "egress_only_gateway_id"),
    Rename("CarrierGatewayId", "carrier_gateway_id"),
]];

pub const INTERNET_GATEWAY: &[&[Rule]] = &[&[
    Tags("Tags", "tags"),
    TfOnly(
        "vpc_id",
        "is an AWS::EC2::VPCGatewayAttachment in CloudFormation",
    ),
]];

pub const GATEWAY_ATTACHMENT: &[&[Rule]] = &[&[
    Rename("VpcId", "vpc_id"),
    Rename("InternetGatewayId", "internet_gateway_id"),
    CfnOnly(
        "VpnGatewayId",
        "is an aws_vpn_gateway_attachment in Terraform",
    ),
]];

pub const EIP: &[&[Rule]] = &[&[
    Rename("Domain", "domain"),
    Rename("InstanceId", "instance"),
    Rename("PublicIpv4Pool", "public_ipv4_pool"),
    Rename("NetworkBorderGroup", "network_border_group"),
    Tags("Tags", "tags"),
    TfOnly("vpc", "is Domain: vpc in CloudFormation (and deprecated)"),
]];

pub const NAT_GATEWAY: &[&[Rule]] = &[&[
    Rename("AllocationId", "allocation_id"),
    Rename("SubnetId", "subnet_id"),
    Rename("ConnectivityType", "connectivity_type"),
    Rename("PrivateIpAddress", "private_ip"),
    Tags("Tags", "tags"),
]];

pub const VPC_ENDPOINT: &[&[Rule]] = &[&[
    Rename("VpcId", "vpc_id"),
    Rename("ServiceName", "service_name"),
    Rename("VpcEndpointType", "vpc_endpoint_type"),
    Rename("SubnetIds", "subnet_ids"),
    Rename("SecurityGroupIds", "security_group_ids"),
    Rename("RouteTableIds", "route_table_ids"),
    Rename("PrivateDnsEnabled", "private_dns_enabled"),
    Json("PolicyDocument", "policy"),
    Tags("Tags", "tags"),
]];

pub const INGRESS_RULE: &[&[Rule]] = &[&[
    Rename("GroupId", "security_group_id"),
    Rename("IpProtocol", "ip_protocol"),
    Rename("FromPort", "from_port"),
    Rename("ToPort", "to_port"),
    Rename("CidrIp", "cidr_ipv4"),
    Rename("CidrIpv6", "cidr_ipv6"),
    Rename("SourceSecurityGroupId", "referenced_security_group_id"),
    Rename("SourcePrefixListId", "prefix_list_id"),
    Rename("Description", "description"),
    Tags("Tags", "tags"),
]];

pub const EGRESS_RULE: &[&[Rule]] = &[&[
    Rename("GroupId", "security_group_id"),
    Rename("IpProtocol", "ip_protocol"),
    Rename("FromPort", "from_port"),
    Rename("ToPort", "to_port"),
    Rename("CidrIp", "cidr_ipv4"),
    Rename("CidrIpv6", "cidr_ipv6"),
    Rename("DestinationSecurityGroupId", "referenced_security_group_id"),
    Rename("DestinationPrefixListId", "prefix_list_id"),
    Rename("Description", "description"),
    Tags("Tags", "tags"),
]];

pub const LOAD_BALANCER: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Type", "load_balancer_type"),
    Rename("Subnets", "subnets"),
    Rename("SecurityGroups", "security_groups"),
    Rename("IpAddressType", "ip_address_type"),
    Custom(&SCHEME),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
]];

/// `Scheme: internal` is Terraform's `internal = true`.
const SCHEME: Custom = Custom {
    cfn: &["Scheme"],
    tf: &["internal"],
    to_tf: |t, cx, p, m| match p.get("Scheme") {
        Some(Value::String(s)) => {
            m.insert("internal".into(), json!(s == "internal"));
        }
        Some(_) => t.note(
            "Scheme chosen by an expression has no Terraform form; left out of".into(),
            cx.s.id.clone(),
        ),
        None => {}
    },
    to_cfn: |t, cx, p, m| match p.get("internal") {
        Some(Value::Bool(b)) => {
            let scheme = if *b { "internal" } else { "internet-facing" };
            m.insert("Scheme".into(), json!(scheme));
        }
        Some(_) => t.note(
            "internal set by an expression has no CloudFormation form; left out of".into(),
            cx.s.id.clone(),
        ),
        None => {}
    },
};

pub const TARGET_GROUP: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Port", "port"),
    Rename("Protocol", "protocol"),
    Rename("ProtocolVersion", "protocol_version"),
    Rename("VpcId", "vpc_id"),
    Rename("TargetType", "target_type"),
    InBlock("HealthCheckEnabled", "health_check", "enabled"),
    InBlock("HealthCheckPath", "health_check", "path"),
    InBlock("HealthCheckPort", "health_check", "port"),
    InBlock("HealthCheckProtocol", "health_check", "protocol"),
    InBlock("HealthCheckIntervalSeconds", "health_check", "interval"),
    InBlock("HealthCheckTimeoutSeconds", "health_check", "timeout"),
    InBlock("HealthyThresholdCount", "health_check", "healthy_threshold"),
    InBlock(
        "UnhealthyThresholdCount",
        "health_check",
        "unhealthy_threshold",
    ),
    CfnOnly(
        "Targets",
        "are aws_lb_target_group_attachment resources in Terraform",
    ),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
]];

const ACTION: &[Rule] = &[
    Rename("Type", "type"),
    Rename("TargetGroupArn", "target_group_arn"),
    Rename("Order", "order"),
    Block(
        "RedirectConfig",
        "redirect",
        &[
            Rename("Protocol", "protocol"),
            Rename("Port", "port"),
            Rename("Host", "host"),
            Rename("Path", "path"),
            Rename("Query", "query"),
            Rename("StatusCode", "status_code"),
        ],
    ),
    Block(
        "FixedResponseConfig",
        "fixed_response",
        &[
            Rename("ContentType", "content_type"),
            Rename("MessageBody", "message_body"),
            Rename("StatusCode", "status_code"),
        ],
    ),
    Block(
        "ForwardConfig",
        "forward",
        &[Blocks(
            "TargetGroups",
            "target_group",
            &[Rename("TargetGroupArn", "arn"), Rename("Weight", "weight")],
        )],
    ),
];

pub const LISTENER: &[&[Rule]] = &[&[
    Rename("LoadBalancerArn", "load_balancer_arn"),
    Rename("Port", "port"),
    Rename("Protocol", "protocol"),
    Rename("SslPolicy", "ssl_policy"),
    Blocks("DefaultActions", "default_action", ACTION),
    Custom(&CERTIFICATE),
    TfOnly("tags", "has no CloudFormation counterpart on a listener"),
]];

/// CloudFormation lists certificates; Terraform's listener has one.
const CERTIFICATE: Custom = Custom {
    cfn: &["Certificates"],
    tf: &["certificate_arn"],
    to_tf: |t, _, p, m| {
        let first = p
            .get("Certificates")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|c| c.get("CertificateArn"));
        if let Some(v) = first {
            let v = t.value(v);
            m.insert("certificate_arn".into(), v);
        }
    },
    to_cfn: |t, _, p, m| {
        if let Some(v) = p.get("certificate_arn") {
            let v = t.value(v);
            m.insert("Certificates".into(), json!([{ "CertificateArn": v }]));
        }
    },
};

pub const LISTENER_RULE: &[&[Rule]] = &[&[
    Rename("ListenerArn", "listener_arn"),
    Rename("Priority", "priority"),
    Blocks("Actions", "action", ACTION),
]];

pub const RECORD: &[&[Rule]] = &[&[
    Rename("HostedZoneId", "zone_id"),
    Rename("Name", "name"),
    Rename("Type", "type"),
    Rename("TTL", "ttl"),
    Rename("ResourceRecords", "records"),
    Rename("SetIdentifier", "set_identifier"),
    Block(
        "AliasTarget",
        "alias",
        &[
            Rename("DNSName", "name"),
            Rename("HostedZoneId", "zone_id"),
            Rename("EvaluateTargetHealth", "evaluate_target_health"),
        ],
    ),
    TfOnly("allow_overwrite", "is Terraform's own"),
]];

pub const HOSTED_ZONE: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Nested("HostedZoneConfig", "Comment", "comment"),
    Blocks(
        "VPCs",
        "vpc",
        &[Rename("VPCId", "vpc_id"), Rename("VPCRegion", "vpc_region")],
    ),
    Tags("HostedZoneTags", "tags"),
    TfOnly("force_destroy", "is Terraform's own"),
]];

pub const CERTIFICATE_MANAGER: &[&[Rule]] = &[&[
    Rename("DomainName", "domain_name"),
    Rename("SubjectAlternativeNames", "subject_alternative_names"),
    Rename("ValidationMethod", "validation_method"),
    InBlock(
        "CertificateTransparencyLoggingPreference",
        "options",
        "certificate_transparency_logging_preference",
    ),
    CfnOnly(
        "DomainValidationOptions",
        "is an aws_acm_certificate_validation in Terraform",
    ),
    Tags("Tags", "tags"),
]];

pub const ORIGIN_ACCESS_CONTROL: &[&[Rule]] = &[&[
    Nested("OriginAccessControlConfig", "Name", "name"),
    Nested("OriginAccessControlConfig", "Description", "description"),
    Nested(
        "OriginAccessControlConfig",
        "OriginAccessControlOriginType",
        "origin_access_control_origin_type",
    ),
    Nested(
        "OriginAccessControlConfig",
        "SigningBehavior",
        "signing_behavior",
    ),
    Nested(
        "OriginAccessControlConfig",
        "SigningProtocol",
        "signing_protocol",
    ),
]];
