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
    Custom(&ROUTE_INSTANCE),
]];

/// A route through an instance (a NAT instance): Terraform routes through
/// its network interface (`instance_id` is gone from the provider), which
/// reads back as the interface.
const ROUTE_INSTANCE: Custom = Custom {
    cfn: &["InstanceId"],
    tf: &[],
    to_tf: |t, _, p, m| {
        let Some(v) = p.get("InstanceId") else {
            return;
        };
        let v = match v.get("Ref").and_then(Value::as_str) {
            Some(id) => t.value(&json!({ "Fn::GetAtt": [id, "PrimaryNetworkInterfaceId"] })),
            None => t.value(v),
        };
        m.insert("network_interface_id".into(), v);
    },
    to_cfn: |_, _, _, _| {},
};

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
    Custom(&TARGETS),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
]];

/// A target group's targets are attachments of their own in Terraform.
const TARGETS: Custom = Custom {
    cfn: &["Targets"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        let Some(Value::Array(targets)) = p.get("Targets") else {
            return;
        };
        for (i, target) in targets.iter().enumerate() {
            let Some(id) = target.get("Id") else { continue };
            let mut b = serde_json::Map::new();
            b.insert(
                "target_group_arn".into(),
                crate::formats::translate::expr(&format!("{}.arn", cx.addr)),
            );
            b.insert("target_id".into(), t.value(id));
            for (ck, tk) in [("Port", "port"), ("AvailabilityZone", "availability_zone")] {
                if let Some(v) = target.get(ck) {
                    b.insert(tk.into(), t.value(v));
                }
            }
            let name = if i == 0 {
                cx.name.to_string()
            } else {
                format!("{}_{}", cx.name, i + 1)
            };
            t.add_resource(cx.addr, "aws_lb_target_group_attachment", &name, b);
        }
    },
    to_cfn: |_, _, _, _| {},
};

const ACTION: &[Rule] = &[
    Rename("Type", "type"),
    Rename("TargetGroupArn", "target_group_arn"),
    Rename("Order", "order"),
    Block(
        "AuthenticateCognitoConfig",
        "authenticate_cognito",
        &[
            Rename("UserPoolArn", "user_pool_arn"),
            Rename("UserPoolClientId", "user_pool_client_id"),
            Rename("UserPoolDomain", "user_pool_domain"),
            Rename("OnUnauthenticatedRequest", "on_unauthenticated_request"),
            Rename("Scope", "scope"),
            Rename("SessionCookieName", "session_cookie_name"),
            Rename("SessionTimeout", "session_timeout"),
            Rename(
                "AuthenticationRequestExtraParams",
                "authentication_request_extra_params",
            ),
        ],
    ),
    Block(
        "AuthenticateOidcConfig",
        "authenticate_oidc",
        &[
            Rename("Issuer", "issuer"),
            Rename("AuthorizationEndpoint", "authorization_endpoint"),
            Rename("TokenEndpoint", "token_endpoint"),
            Rename("UserInfoEndpoint", "user_info_endpoint"),
            Rename("ClientId", "client_id"),
            Rename("ClientSecret", "client_secret"),
            Rename("OnUnauthenticatedRequest", "on_unauthenticated_request"),
            Rename("Scope", "scope"),
            Rename("SessionCookieName", "session_cookie_name"),
            Rename("SessionTimeout", "session_timeout"),
            Rename(
                "AuthenticationRequestExtraParams",
                "authentication_request_extra_params",
            ),
        ],
    ),
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
    CfnOnly("Comment", "has no Terraform counterpart on a record"),
    CfnOnly(
        "HostedZoneName",
        "names the zone, which Terraform names by id (zone_id)",
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

const CACHE_BEHAVIOR: &[Rule] = &[
    Rename("PathPattern", "path_pattern"),
    Rename("TargetOriginId", "target_origin_id"),
    Rename("ViewerProtocolPolicy", "viewer_protocol_policy"),
    Rename("AllowedMethods", "allowed_methods"),
    Rename("CachedMethods", "cached_methods"),
    Rename("CachePolicyId", "cache_policy_id"),
    Rename("OriginRequestPolicyId", "origin_request_policy_id"),
    Rename("ResponseHeadersPolicyId", "response_headers_policy_id"),
    Rename("Compress", "compress"),
    Rename("DefaultTTL", "default_ttl"),
    Rename("MinTTL", "min_ttl"),
    Rename("MaxTTL", "max_ttl"),
    Blocks(
        "LambdaFunctionAssociations",
        "lambda_function_association",
        &[
            Rename("EventType", "event_type"),
            Rename("LambdaFunctionARN", "lambda_arn"),
            Rename("IncludeBody", "include_body"),
        ],
    ),
    Blocks(
        "FunctionAssociations",
        "function_association",
        &[
            Rename("EventType", "event_type"),
            Rename("FunctionARN", "function_arn"),
        ],
    ),
];

/// The fields of CloudFormation's `DistributionConfig`, which Terraform
/// has at the top of the resource.
const DISTRIBUTION_CONFIG: &[Rule] = &[
    Rename("Enabled", "enabled"),
    Rename("Comment", "comment"),
    Rename("DefaultRootObject", "default_root_object"),
    Rename("PriceClass", "price_class"),
    Rename("Aliases", "aliases"),
    Rename("HttpVersion", "http_version"),
    Rename("IPV6Enabled", "is_ipv6_enabled"),
    Rename("WebACLId", "web_acl_id"),
    Blocks(
        "Origins",
        "origin",
        &[
            Rename("DomainName", "domain_name"),
            Rename("Id", "origin_id"),
            Rename("OriginPath", "origin_path"),
            Rename("OriginAccessControlId", "origin_access_control_id"),
            Rename("ConnectionAttempts", "connection_attempts"),
            Rename("ConnectionTimeout", "connection_timeout"),
            Block(
                "S3OriginConfig",
                "s3_origin_config",
                &[Rename("OriginAccessIdentity", "origin_access_identity")],
            ),
            Block(
                "CustomOriginConfig",
                "custom_origin_config",
                &[
                    Rename("HTTPPort", "http_port"),
                    Rename("HTTPSPort", "https_port"),
                    Rename("OriginProtocolPolicy", "origin_protocol_policy"),
                    Rename("OriginSSLProtocols", "origin_ssl_protocols"),
                    Rename("OriginReadTimeout", "origin_read_timeout"),
                    Rename("OriginKeepaliveTimeout", "origin_keepalive_timeout"),
                ],
            ),
            Blocks(
                "OriginCustomHeaders",
                "custom_header",
                &[Rename("HeaderName", "name"), Rename("HeaderValue", "value")],
            ),
        ],
    ),
    Block(
        "DefaultCacheBehavior",
        "default_cache_behavior",
        CACHE_BEHAVIOR,
    ),
    Blocks("CacheBehaviors", "ordered_cache_behavior", CACHE_BEHAVIOR),
    Blocks(
        "CustomErrorResponses",
        "custom_error_response",
        &[
            Rename("ErrorCode", "error_code"),
            Rename("ResponseCode", "response_code"),
            Rename("ResponsePagePath", "response_page_path"),
            Rename("ErrorCachingMinTTL", "error_caching_min_ttl"),
        ],
    ),
    Block(
        "ViewerCertificate",
        "viewer_certificate",
        &[
            Rename("AcmCertificateArn", "acm_certificate_arn"),
            Rename(
                "CloudFrontDefaultCertificate",
                "cloudfront_default_certificate",
            ),
            Rename("SslSupportMethod", "ssl_support_method"),
            Rename("MinimumProtocolVersion", "minimum_protocol_version"),
            Rename("IamCertificateId", "iam_certificate_id"),
        ],
    ),
    Block(
        "Logging",
        "logging_config",
        &[
            Rename("Bucket", "bucket"),
            Rename("Prefix", "prefix"),
            Rename("IncludeCookies", "include_cookies"),
        ],
    ),
    Block(
        "Restrictions",
        "restrictions",
        &[Block(
            "GeoRestriction",
            "geo_restriction",
            &[
                Rename("RestrictionType", "restriction_type"),
                Rename("Locations", "locations"),
            ],
        )],
    ),
];

pub const DISTRIBUTION: &[&[Rule]] = &[&[Custom(&DISTRIBUTION_FIELDS), Tags("Tags", "tags")]];

const DISTRIBUTION_FIELDS: Custom = Custom {
    cfn: &["DistributionConfig"],
    tf: &[
        "enabled",
        "comment",
        "default_root_object",
        "price_class",
        "aliases",
        "http_version",
        "is_ipv6_enabled",
        "web_acl_id",
        "origin",
        "default_cache_behavior",
        "ordered_cache_behavior",
        "custom_error_response",
        "viewer_certificate",
        "logging_config",
        "restrictions",
    ],
    to_tf: |t, cx, p, m| {
        let Some(c) = p.get("DistributionConfig") else {
            return;
        };
        match c.as_object() {
            Some(o) if !o.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) => {
                for k in super::super::rules::to_tf(t, cx, &[DISTRIBUTION_CONFIG], o, m) {
                    t.note(
                        format!("DistributionConfig.{k} has no Terraform counterpart; left out of"),
                        cx.s.id.clone(),
                    );
                }
            }
            _ => t.note(
                "DistributionConfig chosen by an expression has no Terraform form; left out of"
                    .into(),
                cx.s.id.clone(),
            ),
        }
    },
    to_cfn: |t, cx, p, m| {
        let mut c = crate::model::Map::new();
        let own: crate::model::Map = p
            .iter()
            .filter(|(k, _)| DISTRIBUTION_FIELDS.tf.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for k in super::super::rules::to_cfn(t, cx, &[DISTRIBUTION_CONFIG], &own, &mut c) {
            t.left_out(cx, &k);
        }
        if !c.is_empty() {
            m.insert("DistributionConfig".into(), Value::Object(c));
        }
    },
};

pub const CLASSIC_LOAD_BALANCER: &[&[Rule]] = &[&[
    Rename("LoadBalancerName", "name"),
    Rename("Subnets", "subnets"),
    Rename("SecurityGroups", "security_groups"),
    Rename("Instances", "instances"),
    Rename("AvailabilityZones", "availability_zones"),
    Rename("CrossZone", "cross_zone_load_balancing"),
    Custom(&SCHEME),
    Blocks(
        "Listeners",
        "listener",
        &[
            Rename("InstancePort", "instance_port"),
            Rename("InstanceProtocol", "instance_protocol"),
            Rename("LoadBalancerPort", "lb_port"),
            Rename("Protocol", "lb_protocol"),
            Rename("SSLCertificateId", "ssl_certificate_id"),
        ],
    ),
    Block(
        "HealthCheck",
        "health_check",
        &[
            Rename("Target", "target"),
            Rename("HealthyThreshold", "healthy_threshold"),
            Rename("UnhealthyThreshold", "unhealthy_threshold"),
            Rename("Interval", "interval"),
            Rename("Timeout", "timeout"),
        ],
    ),
    Block(
        "AccessLoggingPolicy",
        "access_logs",
        &[
            Rename("S3BucketName", "bucket"),
            Rename("S3BucketPrefix", "bucket_prefix"),
            Rename("EmitInterval", "interval"),
            Rename("Enabled", "enabled"),
        ],
    ),
    Tags("Tags", "tags"),
]];
