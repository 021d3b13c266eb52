//! Instances, containers, registries, databases, user pool clients and
//! domains, EventBridge connections and API destinations, rotations,
//! schedule groups and key aliases.

use serde_json::json;

use super::super::rules::{Custom, Rule, Rule::*};
use crate::formats::terraform::JSONENCODE;
use crate::model::{Map, Value};

pub const INSTANCE: &[&[Rule]] = &[&[
    Rename("ImageId", "ami"),
    Rename("InstanceType", "instance_type"),
    Rename("SubnetId", "subnet_id"),
    Rename("KeyName", "key_name"),
    Rename("SecurityGroupIds", "vpc_security_group_ids"),
    Rename("SecurityGroups", "security_groups"),
    Rename("IamInstanceProfile", "iam_instance_profile"),
    Rename("AvailabilityZone", "availability_zone"),
    Rename("PrivateIpAddress", "private_ip"),
    Rename("Monitoring", "monitoring"),
    Rename("EbsOptimized", "ebs_optimized"),
    Rename("DisableApiTermination", "disable_api_termination"),
    Rename("SourceDestCheck", "source_dest_check"),
    Blocks(
        "NetworkInterfaces",
        "network_interface",
        &[
            Rename("NetworkInterfaceId", "network_interface_id"),
            Rename("DeviceIndex", "device_index"),
            Rename("DeleteOnTermination", "delete_on_termination"),
        ],
    ),
    // CloudFormation's UserData is base64 already.
    Rename("UserData", "user_data_base64"),
    Tags("Tags", "tags"),
    TfOnly(
        "user_data",
        "is plain text in Terraform and base64 in CloudFormation (write it with Fn::Base64)",
    ),
    TfOnly(
        "associate_public_ip_address",
        "is a NetworkInterfaces entry in CloudFormation",
    ),
]];

pub const INSTANCE_PROFILE: &[&[Rule]] = &[&[
    Rename("InstanceProfileName", "name"),
    Rename("Path", "path"),
    Custom(&PROFILE_ROLE),
]];

/// CloudFormation lists the profile's roles; Terraform names one.
const PROFILE_ROLE: Custom = Custom {
    cfn: &["Roles"],
    tf: &["role"],
    to_tf: |t, cx, p, m| match p.get("Roles") {
        Some(Value::Array(a)) if a.len() == 1 => {
            let v = t.value(&a[0]);
            m.insert("role".into(), v);
        }
        Some(_) => t.note(
            "Roles other than one role have no Terraform counterpart; left out of".into(),
            cx.s.id.clone(),
        ),
        None => {}
    },
    to_cfn: |t, _, p, m| {
        if let Some(v) = p.get("role") {
            let v = t.value(v);
            m.insert("Roles".into(), json!([v]));
        }
    },
};

pub const ECS_CLUSTER: &[&[Rule]] = &[&[
    Rename("ClusterName", "name"),
    Blocks(
        "ClusterSettings",
        "setting",
        &[Rename("Name", "name"), Rename("Value", "value")],
    ),
    Tags("Tags", "tags"),
]];

pub const TASK_DEFINITION: &[&[Rule]] = &[&[
    Rename("Family", "family"),
    Rename("Cpu", "cpu"),
    Rename("Memory", "memory"),
    Rename("NetworkMode", "network_mode"),
    Rename("RequiresCompatibilities", "requires_compatibilities"),
    Rename("ExecutionRoleArn", "execution_role_arn"),
    Rename("TaskRoleArn", "task_role_arn"),
    Block(
        "RuntimePlatform",
        "runtime_platform",
        &[
            Rename("OperatingSystemFamily", "operating_system_family"),
            Rename("CpuArchitecture", "cpu_architecture"),
        ],
    ),
    Block(
        "EphemeralStorage",
        "ephemeral_storage",
        &[Rename("SizeInGiB", "size_in_gib")],
    ),
    Custom(&CONTAINERS),
    Tags("Tags", "tags"),
]];

/// Renames every key of an object tree, leaving keys that are not
/// identifiers (log options such as `awslogs-group`) as they are.
fn recase(v: &Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(o) if !o.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) => {
            Value::Object(
                o.iter()
                    .map(|(k, x)| {
                        let key = if k.chars().all(|c| c.is_ascii_alphanumeric()) {
                            f(k)
                        } else {
                            k.clone()
                        };
                        (key, recase(x, f))
                    })
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| recase(x, f)).collect()),
        other => other.clone(),
    }
}

fn first_lower(k: &str) -> String {
    let mut c = k.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn first_upper(k: &str) -> String {
    let mut c = k.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// CloudFormation's ContainerDefinitions are Terraform's
/// `container_definitions`, the ECS API's JSON (camelCase keys).
const CONTAINERS: Custom = Custom {
    cfn: &["ContainerDefinitions"],
    tf: &["container_definitions"],
    to_tf: |t, _, p, m| {
        if let Some(v) = p.get("ContainerDefinitions") {
            let v = t.value(&recase(v, first_lower));
            m.insert("container_definitions".into(), json!({ JSONENCODE: v }));
        }
    },
    to_cfn: |t, cx, p, m| {
        let Some(v) = p.get("container_definitions") else {
            return;
        };
        let v = match v {
            Value::Object(o) if o.len() == 1 && o.contains_key(JSONENCODE) => o[JSONENCODE].clone(),
            Value::String(s) => serde_json::from_str::<Value>(s).unwrap_or(Value::Null),
            _ => Value::Null,
        };
        if v.is_array() {
            let v = t.value(&recase(&v, first_upper));
            m.insert("ContainerDefinitions".into(), v);
        } else {
            t.left_out(cx, "container_definitions");
        }
    },
};

pub const ECS_SERVICE: &[&[Rule]] = &[&[
    Rename("ServiceName", "name"),
    Rename("Cluster", "cluster"),
    Rename("TaskDefinition", "task_definition"),
    Rename("DesiredCount", "desired_count"),
    Rename("LaunchType", "launch_type"),
    Rename("PlatformVersion", "platform_version"),
    Rename("EnableExecuteCommand", "enable_execute_command"),
    Rename(
        "HealthCheckGracePeriodSeconds",
        "health_check_grace_period_seconds",
    ),
    Blocks(
        "LoadBalancers",
        "load_balancer",
        &[
            Rename("ContainerName", "container_name"),
            Rename("ContainerPort", "container_port"),
            Rename("TargetGroupArn", "target_group_arn"),
        ],
    ),
    Custom(&AWSVPC),
    Tags("Tags", "tags"),
]];

/// `NetworkConfiguration.AwsvpcConfiguration` is Terraform's
/// `network_configuration`, with `AssignPublicIp: ENABLED` as a boolean.
const AWSVPC: Custom = Custom {
    cfn: &["NetworkConfiguration"],
    tf: &["network_configuration"],
    to_tf: |t, _, p, m| {
        let Some(c) = p
            .get("NetworkConfiguration")
            .and_then(|n| n.get("AwsvpcConfiguration"))
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut b = Map::new();
        for (ck, tk) in [
            ("Subnets", "subnets"),
            ("SecurityGroups", "security_groups"),
        ] {
            if let Some(v) = c.get(ck) {
                b.insert(tk.into(), t.value(v));
            }
        }
        if let Some(Value::String(s)) = c.get("AssignPublicIp") {
            b.insert("assign_public_ip".into(), json!(s == "ENABLED"));
        }
        m.insert("network_configuration".into(), json!([b]));
    },
    to_cfn: |t, _, p, m| {
        let Some(b) = p.get("network_configuration").and_then(|v| match v {
            Value::Array(a) => a.first().and_then(Value::as_object),
            Value::Object(o) => Some(o),
            _ => None,
        }) else {
            return;
        };
        let mut c = Map::new();
        for (ck, tk) in [
            ("Subnets", "subnets"),
            ("SecurityGroups", "security_groups"),
        ] {
            if let Some(v) = b.get(tk) {
                c.insert(ck.into(), t.value(v));
            }
        }
        if let Some(Value::Bool(on)) = b.get("assign_public_ip") {
            c.insert(
                "AssignPublicIp".into(),
                json!(if *on { "ENABLED" } else { "DISABLED" }),
            );
        }
        m.insert(
            "NetworkConfiguration".into(),
            json!({ "AwsvpcConfiguration": c }),
        );
    },
};

pub const REPOSITORY: &[&[Rule]] = &[&[
    Rename("RepositoryName", "name"),
    Rename("ImageTagMutability", "image_tag_mutability"),
    Rename("EmptyOnDelete", "force_delete"),
    Block(
        "ImageScanningConfiguration",
        "image_scanning_configuration",
        &[Rename("ScanOnPush", "scan_on_push")],
    ),
    Block(
        "EncryptionConfiguration",
        "encryption_configuration",
        &[
            Rename("EncryptionType", "encryption_type"),
            Rename("KmsKey", "kms_key"),
        ],
    ),
    Tags("Tags", "tags"),
]];

pub const DB_INSTANCE: &[&[Rule]] = &[&[
    Rename("DBInstanceIdentifier", "identifier"),
    Rename("DBInstanceClass", "instance_class"),
    Rename("Engine", "engine"),
    Rename("EngineVersion", "engine_version"),
    Rename("AllocatedStorage", "allocated_storage"),
    Rename("MaxAllocatedStorage", "max_allocated_storage"),
    Rename("StorageType", "storage_type"),
    Rename("StorageEncrypted", "storage_encrypted"),
    Rename("KmsKeyId", "kms_key_id"),
    Rename("MasterUsername", "username"),
    Rename("MasterUserPassword", "password"),
    Rename("ManageMasterUserPassword", "manage_master_user_password"),
    Rename("DBName", "db_name"),
    Rename("DBSubnetGroupName", "db_subnet_group_name"),
    Rename("VPCSecurityGroups", "vpc_security_group_ids"),
    Rename("MultiAZ", "multi_az"),
    Rename("PubliclyAccessible", "publicly_accessible"),
    Rename("BackupRetentionPeriod", "backup_retention_period"),
    Rename("DeletionProtection", "deletion_protection"),
    Rename("Port", "port"),
    Rename("AutoMinorVersionUpgrade", "auto_minor_version_upgrade"),
    Rename("AllowMajorVersionUpgrade", "allow_major_version_upgrade"),
    Rename("CopyTagsToSnapshot", "copy_tags_to_snapshot"),
    Rename("DBParameterGroupName", "parameter_group_name"),
    Rename("OptionGroupName", "option_group_name"),
    Rename("LicenseModel", "license_model"),
    Rename("MonitoringRoleArn", "monitoring_role_arn"),
    Rename("MonitoringInterval", "monitoring_interval"),
    Rename("PreferredBackupWindow", "backup_window"),
    Rename("PreferredMaintenanceWindow", "maintenance_window"),
    Rename("Iops", "iops"),
    Rename("AvailabilityZone", "availability_zone"),
    Rename("DBSnapshotIdentifier", "snapshot_identifier"),
    Rename("EnablePerformanceInsights", "performance_insights_enabled"),
    Rename(
        "EnableCloudwatchLogsExports",
        "enabled_cloudwatch_logs_exports",
    ),
    Rename("CharacterSetName", "character_set_name"),
    Tags("Tags", "tags"),
    TfOnly("skip_final_snapshot", "is Terraform's own"),
    TfOnly("apply_immediately", "is Terraform's own"),
]];

pub const DOCDB_CLUSTER: &[&[Rule]] = &[&[
    Rename("DBClusterIdentifier", "cluster_identifier"),
    Rename("MasterUsername", "master_username"),
    Rename("MasterUserPassword", "master_password"),
    Rename("EngineVersion", "engine_version"),
    Rename("DBSubnetGroupName", "db_subnet_group_name"),
    Rename(
        "DBClusterParameterGroupName",
        "db_cluster_parameter_group_name",
    ),
    Rename("VpcSecurityGroupIds", "vpc_security_group_ids"),
    Rename("Port", "port"),
    Rename("StorageEncrypted", "storage_encrypted"),
    Rename("KmsKeyId", "kms_key_id"),
    Rename("DeletionProtection", "deletion_protection"),
    Rename("BackupRetentionPeriod", "backup_retention_period"),
    Rename("PreferredBackupWindow", "preferred_backup_window"),
    Rename("PreferredMaintenanceWindow", "preferred_maintenance_window"),
    Rename(
        "EnableCloudwatchLogsExports",
        "enabled_cloudwatch_logs_exports",
    ),
    Tags("Tags", "tags"),
    TfOnly("skip_final_snapshot", "is Terraform's own"),
    TfOnly("apply_immediately", "is Terraform's own"),
]];

pub const REPLICATION_GROUP: &[&[Rule]] = &[&[
    Rename("ReplicationGroupId", "replication_group_id"),
    Rename("ReplicationGroupDescription", "description"),
    Rename("CacheNodeType", "node_type"),
    Rename("Engine", "engine"),
    Rename("EngineVersion", "engine_version"),
    Rename("Port", "port"),
    Rename("CacheSubnetGroupName", "subnet_group_name"),
    Rename("CacheParameterGroupName", "parameter_group_name"),
    Rename("SecurityGroupIds", "security_group_ids"),
    Rename("AutomaticFailoverEnabled", "automatic_failover_enabled"),
    Rename("AutoMinorVersionUpgrade", "auto_minor_version_upgrade"),
    Rename("MultiAZEnabled", "multi_az_enabled"),
    Rename("NumCacheClusters", "num_cache_clusters"),
    Rename("AtRestEncryptionEnabled", "at_rest_encryption_enabled"),
    Rename("TransitEncryptionEnabled", "transit_encryption_enabled"),
    Rename("SnapshotRetentionLimit", "snapshot_retention_limit"),
    Rename("PreferredMaintenanceWindow", "maintenance_window"),
    Tags("Tags", "tags"),
]];

pub const MEMORYDB_CLUSTER: &[&[Rule]] = &[&[
    Rename("ClusterName", "name"),
    Rename("Description", "description"),
    Rename("NodeType", "node_type"),
    Rename("ACLName", "acl_name"),
    Rename("SubnetGroupName", "subnet_group_name"),
    Rename("SecurityGroupIds", "security_group_ids"),
    Rename("NumShards", "num_shards"),
    Rename("NumReplicasPerShard", "num_replicas_per_shard"),
    Rename("TLSEnabled", "tls_enabled"),
    Rename("EngineVersion", "engine_version"),
    Rename("Port", "port"),
    Tags("Tags", "tags"),
]];

pub const DB_CLUSTER: &[&[Rule]] = &[&[
    Rename("DBClusterIdentifier", "cluster_identifier"),
    Rename("Engine", "engine"),
    Rename("EngineVersion", "engine_version"),
    Rename("EngineMode", "engine_mode"),
    Rename("DatabaseName", "database_name"),
    Rename("MasterUsername", "master_username"),
    Rename("MasterUserPassword", "master_password"),
    Rename("ManageMasterUserPassword", "manage_master_user_password"),
    Rename("DBSubnetGroupName", "db_subnet_group_name"),
    Rename("VpcSecurityGroupIds", "vpc_security_group_ids"),
    Rename("Port", "port"),
    Rename("BackupRetentionPeriod", "backup_retention_period"),
    Rename("StorageEncrypted", "storage_encrypted"),
    Rename("KmsKeyId", "kms_key_id"),
    Rename("DeletionProtection", "deletion_protection"),
    Rename("EnableHttpEndpoint", "enable_http_endpoint"),
    Block(
        "ServerlessV2ScalingConfiguration",
        "serverlessv2_scaling_configuration",
        &[
            Rename("MinCapacity", "min_capacity"),
            Rename("MaxCapacity", "max_capacity"),
        ],
    ),
    Tags("Tags", "tags"),
    TfOnly("skip_final_snapshot", "is Terraform's own"),
    TfOnly("apply_immediately", "is Terraform's own"),
]];

pub const USER_POOL_CLIENT: &[&[Rule]] = &[&[
    Rename("ClientName", "name"),
    Rename("UserPoolId", "user_pool_id"),
    Rename("GenerateSecret", "generate_secret"),
    Rename("ExplicitAuthFlows", "explicit_auth_flows"),
    Rename("AllowedOAuthFlows", "allowed_oauth_flows"),
    Rename("AllowedOAuthScopes", "allowed_oauth_scopes"),
    Rename(
        "AllowedOAuthFlowsUserPoolClient",
        "allowed_oauth_flows_user_pool_client",
    ),
    Rename("CallbackURLs", "callback_urls"),
    Rename("LogoutURLs", "logout_urls"),
    Rename("SupportedIdentityProviders", "supported_identity_providers"),
    Rename(
        "PreventUserExistenceErrors",
        "prevent_user_existence_errors",
    ),
    Rename("AccessTokenValidity", "access_token_validity"),
    Rename("IdTokenValidity", "id_token_validity"),
    Rename("RefreshTokenValidity", "refresh_token_validity"),
    Rename("EnableTokenRevocation", "enable_token_revocation"),
    Rename("ReadAttributes", "read_attributes"),
    Rename("WriteAttributes", "write_attributes"),
    Block(
        "TokenValidityUnits",
        "token_validity_units",
        &[
            Rename("AccessToken", "access_token"),
            Rename("IdToken", "id_token"),
            Rename("RefreshToken", "refresh_token"),
        ],
    ),
]];

pub const USER_POOL_DOMAIN: &[&[Rule]] = &[&[
    Rename("Domain", "domain"),
    Rename("UserPoolId", "user_pool_id"),
    Nested("CustomDomainConfig", "CertificateArn", "certificate_arn"),
]];

pub const EVENT_CONNECTION: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("AuthorizationType", "authorization_type"),
    Block(
        "AuthParameters",
        "auth_parameters",
        &[
            Block(
                "ApiKeyAuthParameters",
                "api_key",
                &[Rename("ApiKeyName", "key"), Rename("ApiKeyValue", "value")],
            ),
            Block(
                "BasicAuthParameters",
                "basic",
                &[
                    Rename("Username", "username"),
                    Rename("Password", "password"),
                ],
            ),
        ],
    ),
]];

pub const API_DESTINATION: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("ConnectionArn", "connection_arn"),
    Rename("InvocationEndpoint", "invocation_endpoint"),
    Rename("HttpMethod", "http_method"),
    Rename(
        "InvocationRateLimitPerSecond",
        "invocation_rate_limit_per_second",
    ),
]];

pub const ROTATION: &[&[Rule]] = &[&[
    Rename("SecretId", "secret_id"),
    Rename("RotationLambdaARN", "rotation_lambda_arn"),
    Rename("RotateImmediatelyOnUpdate", "rotate_immediately"),
    Block(
        "RotationRules",
        "rotation_rules",
        &[
            Rename("AutomaticallyAfterDays", "automatically_after_days"),
            Rename("Duration", "duration"),
            Rename("ScheduleExpression", "schedule_expression"),
        ],
    ),
]];

pub const SCHEDULE_GROUP: &[&[Rule]] = &[&[Rename("Name", "name"), Tags("Tags", "tags")]];

pub const KEY_ALIAS: &[&[Rule]] = &[&[
    Rename("AliasName", "name"),
    Rename("TargetKeyId", "target_key_id"),
]];

pub const AUTOSCALING_GROUP: &[&[Rule]] = &[&[
    Rename("AutoScalingGroupName", "name"),
    Rename("MinSize", "min_size"),
    Rename("MaxSize", "max_size"),
    Rename("DesiredCapacity", "desired_capacity"),
    Rename("AvailabilityZones", "availability_zones"),
    Rename("VPCZoneIdentifier", "vpc_zone_identifier"),
    Rename("TargetGroupARNs", "target_group_arns"),
    Rename("HealthCheckType", "health_check_type"),
    Rename("HealthCheckGracePeriod", "health_check_grace_period"),
    Rename("Cooldown", "default_cooldown"),
    Rename("LaunchConfigurationName", "launch_configuration"),
    Rename("LoadBalancerNames", "load_balancers"),
    Blocks(
        "Tags",
        "tag",
        &[
            Rename("Key", "key"),
            Rename("Value", "value"),
            Rename("PropagateAtLaunch", "propagate_at_launch"),
        ],
    ),
    Block(
        "LaunchTemplate",
        "launch_template",
        &[
            Rename("LaunchTemplateId", "id"),
            Rename("LaunchTemplateName", "name"),
            Rename("Version", "version"),
        ],
    ),
]];

pub const SEARCH_COLLECTION: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("Type", "type"),
    Rename("StandbyReplicas", "standby_replicas"),
    Tags("Tags", "tags"),
]];
