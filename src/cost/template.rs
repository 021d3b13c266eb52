//! What a template says about a service's size and billing mode: memory and
//! architecture, shard counts, billing modes, capacities. Reads SAM and
//! CloudFormation property names and Terraform attribute names alike, takes
//! SAM `Globals` for serverless resources, and resolves `!Ref` to a
//! parameter's default. What the template does not say falls back to the
//! defaults AWS applies (or, where AWS has none, the ones stated here).

use crate::catalog::Kind;
use crate::model::{Service, Sketch, Value};

/// How a service is billed, as far as the template tells.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Lambda {
        memory_mb: f64,
        arm: bool,
        storage_mb: f64,
    },
    RestApi {
        /// Cache sizes (GB) of the stages that enable a cache.
        caches: Vec<(String, f64)>,
    },
    HttpApi,
    WebSocket,
    Queue {
        fifo: bool,
    },
    Topic {
        fifo: bool,
    },
    Table {
        provisioned: Option<(f64, f64)>,
    },
    Stream {
        shards: Option<f64>,
    },
    StateMachine {
        express: bool,
        states: Option<f64>,
    },
    Bucket,
    EventBus,
    Logs,
    Fargate {
        vcpu: f64,
        memory_gb: f64,
        count: f64,
        arm: bool,
    },
    Aurora {
        min_acu: f64,
        instances: f64,
        io_optimized: bool,
    },
    Nat,
    Alarm {
        metrics: f64,
        high_resolution: bool,
    },
    Secret,
    Key,
    Cdn,
    UserPool {
        plan: String,
    },
    LoadBalancer {
        network: bool,
    },
    /// An EventBridge schedule: how often it fires a month, when the template says.
    Schedule {
        per_month: Option<f64>,
        /// EventBridge Scheduler bills invocations; a scheduled rule is free.
        scheduler: bool,
    },
    /// Rules (free) and pipes (billed per request): events pass through them.
    PassThrough {
        pipe: bool,
    },
    /// Billed with another service (a serverless instance with its cluster).
    PricedWith(String),
    /// Not priced, and why.
    Unpriced(String),
    /// Costs nothing by itself.
    Free,
}

/// Resource types the catalog does not know that cost nothing by themselves
/// (what they route to or belong to is billed), so they are not listed as
/// unpriced. Types that do cost money, such as Elastic IPs and VPC
/// endpoints, are deliberately absent.
const FREE_TYPES: &[&str] = &[
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition",
    "AWS::ApiGateway::VpcLink",
    "AWS::ApiGatewayV2::VpcLink",
    "AWS::ApiGateway::Account",
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::UsagePlanKey",
    "AWS::ApiGateway::Model",
    "AWS::ApiGateway::RequestValidator",
    "AWS::ApiGateway::BasePathMapping",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Version",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Lambda::Url",
    "AWS::Logs::SubscriptionFilter",
    "AWS::Logs::MetricFilter",
    "aws_internet_gateway",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_lb_target_group",
    "aws_lb_listener",
    "aws_lb_listener_rule",
    "aws_ecs_cluster",
    "aws_ecs_task_definition",
    "aws_api_gateway_vpc_link",
    "aws_apigatewayv2_vpc_link",
    "aws_lambda_alias",
    "aws_lambda_function_url",
    "aws_cloudwatch_log_subscription_filter",
    "aws_cloudwatch_log_metric_filter",
];

/// Property lookups for one service.
pub struct Props<'a> {
    sketch: &'a Sketch,
    svc: &'a Service,
}

impl<'a> Props<'a> {
    pub fn new(sketch: &'a Sketch, svc: &'a Service) -> Props<'a> {
        Props { sketch, svc }
    }

    /// The SAM `Globals` section that applies to this resource type, if any.
    fn globals(&self) -> Option<&'a Value> {
        let section = self.svc.type_name.strip_prefix("AWS::Serverless::")?;
        self.sketch.sections.get("Globals")?.get(section)
    }

    /// The first of several property paths (`A/B` descends) that is set, from
    /// the resource itself, else from SAM `Globals`, with `Ref`s resolved.
    pub fn get(&self, paths: &[&str]) -> Option<&'a Value> {
        let own = paths
            .iter()
            .find_map(|p| descend_map(&self.svc.properties, p));
        let found = own.or_else(|| {
            let g = self.globals()?;
            paths.iter().find_map(|p| descend(g, p))
        })?;
        Some(self.resolve(found))
    }

    fn resolve(&self, v: &'a Value) -> &'a Value {
        if let Some(name) = v.get("Ref").and_then(Value::as_str)
            && let Some(d) = self
                .sketch
                .sections
                .get("Parameters")
                .and_then(|p| p.get(name))
                .and_then(|p| p.get("Default"))
        {
            return d;
        }
        if let Some(name) = v.as_str().and_then(|s| s.strip_prefix("var."))
            && let Some(d) = self
                .sketch
                .sections
                .get("variable")
                .and_then(|p| p.get(name))
                .and_then(|p| p.get("default"))
        {
            return d;
        }
        v
    }

    pub fn num(&self, paths: &[&str]) -> Option<f64> {
        match self.get(paths)? {
            Value::Array(a) => a.first().and_then(as_num),
            v => as_num(v),
        }
    }

    pub fn text(&self, paths: &[&str]) -> Option<String> {
        match self.get(paths)? {
            Value::String(s) => Some(s.clone()),
            Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    pub fn flag(&self, paths: &[&str]) -> bool {
        match self.get(paths) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    pub fn has(&self, paths: &[&str]) -> bool {
        self.get(paths).is_some()
    }
}

fn as_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn descend_map<'a>(m: &'a crate::model::Map, path: &str) -> Option<&'a Value> {
    let (head, rest) = match path.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let v = m.get(head)?;
    match rest {
        Some(r) => descend(v, r),
        None => Some(v),
    }
}

/// Follows a path; Terraform nested blocks may come as a list of one block.
fn descend<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for key in path.split('/') {
        if let Value::Array(a) = cur {
            cur = a.first()?;
        }
        cur = cur.get(key)?;
    }
    Some(cur)
}

/// Whether `v` (anywhere inside) mentions the service `id`: a `Ref`,
/// `GetAtt`, or a Terraform expression such as `aws_ecs_task_definition.x.arn`.
pub fn mentions(v: &Value, id: &str) -> bool {
    match v {
        Value::String(s) => {
            s == id || s.starts_with(&format!("{id}.")) || s.contains(&format!("${{{id}."))
        }
        Value::Array(a) => a.iter().any(|x| mentions(x, id)),
        Value::Object(m) => m.values().any(|x| mentions(x, id)),
        _ => false,
    }
}

fn first_service_mentioned<'a>(sketch: &'a Sketch, v: &Value) -> Option<&'a Service> {
    sketch.services().find(|s| mentions(v, &s.id))
}

/// How many executions a month a schedule expression fires: `rate(...)`
/// exactly; a `cron(...)` is counted as once a day, the commonest use.
pub fn schedule_per_month(expr: &str) -> Option<f64> {
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let n: f64 = parts.next()?.parse().ok()?;
        let unit = parts.next()?.trim_end_matches('s');
        let per_hour = match unit {
            "minute" => 60.0,
            "hour" => 1.0,
            "day" => 1.0 / 24.0,
            _ => return None,
        };
        if n <= 0.0 {
            return None;
        }
        return Some(super::prices::HOURS_PER_MONTH * per_hour / n);
    }
    if e.starts_with("cron(") {
        return Some(super::prices::HOURS_PER_MONTH / 24.0);
    }
    None
}

/// The shape of a service.
pub fn shape(sketch: &Sketch, svc: &Service) -> Shape {
    let p = Props::new(sketch, svc);
    let ty = svc.type_name.as_str();
    match svc.kind {
        Kind::Function => Shape::Lambda {
            memory_mb: p.num(&["MemorySize", "memory_size"]).unwrap_or(128.0),
            // A function drawn in the sketch is written for arm64 (Graviton),
            // so it is priced as it will run.
            arm: match p.text(&["Architectures", "architectures"]) {
                Some(a) => a.eq_ignore_ascii_case("arm64"),
                None => sketch.drawn_here(svc),
            },
            storage_mb: p
                .num(&["EphemeralStorage/Size", "ephemeral_storage/size"])
                .unwrap_or(512.0),
        },
        Kind::Api => Shape::RestApi {
            caches: rest_caches(sketch, svc),
        },
        Kind::HttpApi => Shape::HttpApi,
        Kind::WebSocket => Shape::WebSocket,
        Kind::Queue => Shape::Queue {
            fifo: p.flag(&["FifoQueue", "fifo_queue"])
                || p.text(&["QueueName", "name"])
                    .is_some_and(|n| n.ends_with(".fifo")),
        },
        Kind::Topic => Shape::Topic {
            fifo: p.flag(&["FifoTopic", "fifo_topic"]),
        },
        Kind::Table => Shape::Table {
            provisioned: table_capacity(&p),
        },
        Kind::Stream => {
            let mode = p.text(&[
                "StreamModeDetails/StreamMode",
                "stream_mode_details/stream_mode",
            ]);
            let shards = p.num(&["ShardCount", "shard_count"]);
            let provisioned = match mode.as_deref() {
                Some(m) if m.eq_ignore_ascii_case("ON_DEMAND") => false,
                Some(m) if m.eq_ignore_ascii_case("PROVISIONED") => true,
                _ => shards.is_some(),
            };
            Shape::Stream {
                shards: provisioned.then(|| shards.unwrap_or(1.0)),
            }
        }
        Kind::StateMachine => {
            let kind = p.text(&["Type", "StateMachineType", "type"]);
            Shape::StateMachine {
                express: kind.is_some_and(|k| k.eq_ignore_ascii_case("EXPRESS")),
                states: state_count(&p),
            }
        }
        Kind::Bucket => Shape::Bucket,
        Kind::EventBus => Shape::EventBus,
        Kind::LogGroup => Shape::Logs,
        Kind::Container => fargate(sketch, &p),
        Kind::Database => database(sketch, svc, &p),
        Kind::NatGateway => Shape::Nat,
        Kind::Alarm => alarm(&p),
        Kind::Secret => Shape::Secret,
        Kind::Key => Shape::Key,
        Kind::Cdn => Shape::Cdn,
        Kind::UserPool => Shape::UserPool {
            plan: p
                .text(&["UserPoolTier", "user_pool_tier"])
                .unwrap_or_else(|| "ESSENTIALS".to_string())
                .to_ascii_uppercase(),
        },
        Kind::LoadBalancer => {
            if ty == "AWS::ElasticLoadBalancing::LoadBalancer" || ty == "aws_elb" {
                Shape::Unpriced("Classic Load Balancers are not in the price table".into())
            } else {
                Shape::LoadBalancer {
                    network: p
                        .text(&["Type", "load_balancer_type"])
                        .is_some_and(|t| t.eq_ignore_ascii_case("network")),
                }
            }
        }
        Kind::Schedule => Shape::Schedule {
            per_month: p
                .text(&["ScheduleExpression", "Schedule", "schedule_expression"])
                .and_then(|e| schedule_per_month(&e)),
            scheduler: matches!(ty, "AWS::Scheduler::Schedule" | "aws_scheduler_schedule"),
        },
        Kind::Rule => Shape::PassThrough { pipe: false },
        Kind::Pipe => Shape::PassThrough { pipe: true },
        Kind::Vpc
        | Kind::Subnet
        | Kind::SecurityGroup
        | Kind::Parameter
        | Kind::Layer
        | Kind::ApiDestination
        | Kind::Application => Shape::Free,
        _ if svc.kind.is_glue() || FREE_TYPES.contains(&ty) => Shape::Free,
        _ if svc.kind.is_generic() => Shape::Unpriced(format!(
            "`{}` is not a type stacksketch prices",
            svc.type_name
        )),
        _ => Shape::Unpriced(format!(
            "{} is not in the price table yet",
            svc.kind.entry().title
        )),
    }
}

fn table_capacity(p: &Props) -> Option<(f64, f64)> {
    let wcu = p.num(&[
        "ProvisionedThroughput/WriteCapacityUnits",
        "write_capacity",
        "WriteProvisionedThroughputSettings/WriteCapacityAutoScalingSettings/MinCapacity",
    ]);
    let rcu = p.num(&[
        "ProvisionedThroughput/ReadCapacityUnits",
        "read_capacity",
        "Replicas/ReadProvisionedThroughputSettings/ReadCapacityAutoScalingSettings/MinCapacity",
    ]);
    match p.text(&["BillingMode", "billing_mode"]).as_deref() {
        Some(m) if m.eq_ignore_ascii_case("PAY_PER_REQUEST") => None,
        Some(m) if m.eq_ignore_ascii_case("PROVISIONED") => {
            Some((wcu.unwrap_or(0.0), rcu.unwrap_or(0.0)))
        }
        // CloudFormation and Terraform default to provisioned capacity, which
        // they then require; a table that gives none is a sketch, priced on demand.
        _ => (wcu.is_some() || rcu.is_some()).then(|| (wcu.unwrap_or(0.0), rcu.unwrap_or(0.0))),
    }
}

fn state_count(p: &Props) -> Option<f64> {
    let def = p.get(&["Definition", "DefinitionString", "definition"])?;
    let parsed;
    let obj = match def {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).ok()?;
            &parsed
        }
        v => v,
    };
    let n = obj.get("States")?.as_object()?.len();
    (n > 0).then_some(n as f64)
}

fn rest_caches(sketch: &Sketch, api: &Service) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let p = Props::new(sketch, api);
    if p.flag(&["CacheClusterEnabled"]) {
        out.push((api.id.clone(), p.num(&["CacheClusterSize"]).unwrap_or(0.5)));
    }
    for s in sketch.services() {
        let is_stage =
            s.type_name == "AWS::ApiGateway::Stage" || s.type_name == "aws_api_gateway_stage";
        let belongs = s.owner.as_deref() == Some(api.id.as_str())
            || s.properties
                .get("RestApiId")
                .or_else(|| s.properties.get("rest_api_id"))
                .is_some_and(|v| mentions(v, &api.id));
        if is_stage && belongs {
            let sp = Props::new(sketch, s);
            if sp.flag(&["CacheClusterEnabled", "cache_cluster_enabled"]) {
                out.push((
                    s.id.clone(),
                    sp.num(&["CacheClusterSize", "cache_cluster_size"])
                        .unwrap_or(0.5),
                ));
            }
        }
    }
    out
}

/// `256` CPU units or `"0.25 vCPU"`; `512` MiB or `"0.5 GB"`.
fn fargate_size(v: Option<String>, per: f64, word: &str) -> Option<f64> {
    let s = v?.to_ascii_lowercase();
    let n: f64 = s
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .trim()
        .parse()
        .ok()?;
    Some(if s.contains(word) { n } else { n / per })
}

fn fargate(sketch: &Sketch, p: &Props) -> Shape {
    if let Some(lt) = p.text(&["LaunchType", "launch_type"])
        && !lt.eq_ignore_ascii_case("FARGATE")
    {
        return Shape::Unpriced(format!(
            "{lt} launch type: only Fargate is in the price table"
        ));
    }
    let task = p
        .get(&["TaskDefinition", "task_definition"])
        .and_then(|v| first_service_mentioned(sketch, v));
    let (cpu, mem, arm) = match task {
        Some(t) => {
            let tp = Props::new(sketch, t);
            (
                fargate_size(tp.text(&["Cpu", "cpu"]), 1024.0, "vcpu"),
                fargate_size(tp.text(&["Memory", "memory"]), 1024.0, "gb"),
                tp.text(&[
                    "RuntimePlatform/CpuArchitecture",
                    "runtime_platform/cpu_architecture",
                ])
                .is_some_and(|a| a.eq_ignore_ascii_case("ARM64")),
            )
        }
        None => (None, None, false),
    };
    Shape::Fargate {
        // The smallest Fargate task, always on.
        vcpu: cpu.unwrap_or(0.25),
        memory_gb: mem.unwrap_or(0.5),
        count: p.num(&["DesiredCount", "desired_count"]).unwrap_or(1.0),
        arm,
    }
}

fn database(sketch: &Sketch, svc: &Service, p: &Props) -> Shape {
    let ty = svc.type_name.as_str();
    let cluster = matches!(ty, "AWS::RDS::DBCluster" | "aws_rds_cluster");
    if matches!(
        ty,
        "AWS::RDS::DBInstance" | "aws_rds_cluster_instance" | "aws_db_instance"
    ) {
        let class = p
            .text(&["DBInstanceClass", "instance_class"])
            .unwrap_or_default();
        if class == "db.serverless"
            && let Some(c) = p
                .get(&["DBClusterIdentifier", "cluster_identifier"])
                .and_then(|v| first_service_mentioned(sketch, v))
        {
            return Shape::PricedWith(c.id.clone());
        }
        return Shape::Unpriced(format!(
            "RDS instances{} are not in the price table yet",
            if class.is_empty() {
                String::new()
            } else {
                format!(" ({class})")
            }
        ));
    }
    if !cluster {
        return Shape::Unpriced(format!("`{ty}` is not in the price table yet"));
    }
    if p.text(&["EngineMode", "engine_mode"])
        .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
    {
        return Shape::Unpriced("Aurora Serverless v1 is not in the price table".into());
    }
    let min = p.num(&[
        "ServerlessV2ScalingConfiguration/MinCapacity",
        "serverlessv2_scaling_configuration/min_capacity",
    ]);
    let provisioned_class = p.text(&["DBClusterInstanceClass", "db_cluster_instance_class"]);
    if min.is_none() && provisioned_class.is_some() {
        return Shape::Unpriced(
            "provisioned Aurora instances are not in the price table yet".into(),
        );
    }
    let instances = sketch
        .services()
        .filter(|s| {
            matches!(
                s.type_name.as_str(),
                "AWS::RDS::DBInstance" | "aws_rds_cluster_instance"
            ) && matches!(
                shape_of_instance(sketch, s).as_ref(),
                Some(c) if *c == svc.id
            )
        })
        .count();
    Shape::Aurora {
        // Aurora Serverless v2 never scales below 0.5 ACU unless it may pause.
        min_acu: min.unwrap_or(0.5),
        instances: instances.max(1) as f64,
        io_optimized: p
            .text(&["StorageType", "storage_type"])
            .is_some_and(|t| t.eq_ignore_ascii_case("aurora-iopt1")),
    }
}

fn shape_of_instance(sketch: &Sketch, s: &Service) -> Option<String> {
    match database(sketch, s, &Props::new(sketch, s)) {
        Shape::PricedWith(c) => Some(c),
        _ => None,
    }
}

fn alarm(p: &Props) -> Shape {
    let queries = p
        .get(&["Metrics", "metric_query"])
        .and_then(Value::as_array);
    let metrics = queries
        .map(|q| {
            q.iter()
                .filter(|m| m.get("MetricStat").is_some() || m.get("metric").is_some())
                .count()
        })
        .filter(|n| *n > 0)
        .unwrap_or(1) as f64;
    Shape::Alarm {
        metrics,
        high_resolution: p.num(&["Period", "period"]).is_some_and(|s| s < 60.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;
    use serde_json::json;

    fn svc(id: &str, kind: &str, ty: &str, props: Value) -> Service {
        let mut s = Service::new(id, Kind::parse(kind).unwrap(), ty);
        s.properties = props.as_object().unwrap().clone();
        s
    }

    #[test]
    fn lambda_size_from_globals_and_from_terraform() {
        let mut sk = Sketch::new();
        // Read from a template that names them: not drawn, so no arm64 default.
        sk.source = Some(crate::model::Source {
            dialect: crate::model::Dialect::Sam,
            files: [(
                "t.yaml".to_string(),
                "Fn Fn2 aws_lambda_function \"w\"".to_string(),
            )]
            .into(),
        });
        sk.sections.insert(
            "Globals".into(),
            json!({"Function": {"MemorySize": 256, "Architectures": ["arm64"]}}),
        );
        let sam = svc("Fn", "function", "AWS::Serverless::Function", json!({}));
        assert_eq!(
            shape(&sk, &sam),
            Shape::Lambda {
                memory_mb: 256.0,
                arm: true,
                storage_mb: 512.0
            }
        );
        // Globals do not apply to plain CloudFormation functions.
        let cfn = svc("Fn2", "function", "AWS::Lambda::Function", json!({}));
        assert_eq!(
            shape(&sk, &cfn),
            Shape::Lambda {
                memory_mb: 128.0,
                arm: false,
                storage_mb: 512.0
            }
        );
        let tf = svc(
            "aws_lambda_function.w",
            "function",
            "aws_lambda_function",
            json!({"memory_size": 1024, "architectures": ["arm64"], "ephemeral_storage": [{"size": 2048}]}),
        );
        assert_eq!(
            shape(&Sketch::new(), &tf),
            Shape::Lambda {
                memory_mb: 1024.0,
                arm: true,
                storage_mb: 2048.0
            }
        );
    }

    #[test]
    fn refs_resolve_to_parameter_defaults() {
        let mut sk = Sketch::new();
        sk.sections.insert(
            "Parameters".into(),
            json!({"Mem": {"Type": "Number", "Default": 2048}}),
        );
        let f = svc(
            "F",
            "function",
            "AWS::Lambda::Function",
            json!({"MemorySize": {"Ref": "Mem"}}),
        );
        assert!(matches!(shape(&sk, &f), Shape::Lambda { memory_mb, .. } if memory_mb == 2048.0));
    }

    #[test]
    fn stream_modes_and_table_billing() {
        let sk = Sketch::new();
        let tf = svc(
            "aws_kinesis_stream.s",
            "stream",
            "aws_kinesis_stream",
            json!({"shard_count": 3}),
        );
        assert_eq!(shape(&sk, &tf), Shape::Stream { shards: Some(3.0) });
        let od = svc(
            "S",
            "stream",
            "AWS::Kinesis::Stream",
            json!({"StreamModeDetails": {"StreamMode": "ON_DEMAND"}}),
        );
        assert_eq!(shape(&sk, &od), Shape::Stream { shards: None });
        let t = svc(
            "aws_dynamodb_table.t",
            "table",
            "aws_dynamodb_table",
            json!({"billing_mode": "PROVISIONED", "read_capacity": 10, "write_capacity": 5}),
        );
        assert_eq!(
            shape(&sk, &t),
            Shape::Table {
                provisioned: Some((5.0, 10.0))
            }
        );
        let od = svc(
            "T",
            "table",
            "AWS::DynamoDB::Table",
            json!({"BillingMode": "PAY_PER_REQUEST"}),
        );
        assert_eq!(shape(&sk, &od), Shape::Table { provisioned: None });
    }

    #[test]
    fn schedules() {
        assert_eq!(schedule_per_month("rate(5 minutes)"), Some(8760.0));
        assert_eq!(schedule_per_month("rate(1 hour)"), Some(730.0));
        // 730 h / 24 = 30.4166… days.
        assert!((schedule_per_month("rate(1 day)").unwrap() - 30.416_666_67).abs() < 1e-6);
        assert_eq!(schedule_per_month("at(2026-01-01T00:00:00)"), None);
    }

    #[test]
    fn fargate_size_from_the_task_definition() {
        let mut sk = Sketch::new();
        sk.add_service(svc(
            "aws_ecs_task_definition.app",
            "generic",
            "aws_ecs_task_definition",
            json!({"cpu": "1024", "memory": "2048"}),
        ))
        .unwrap();
        let s = svc(
            "aws_ecs_service.app",
            "container",
            "aws_ecs_service",
            json!({"launch_type": "FARGATE", "desired_count": 2, "task_definition": "aws_ecs_task_definition.app.arn"}),
        );
        assert_eq!(
            shape(&sk, &s),
            Shape::Fargate {
                vcpu: 1.0,
                memory_gb: 2.0,
                count: 2.0,
                arm: false
            }
        );
    }
}
