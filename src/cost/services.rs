//! Each service's bill: usage and shape to priced components, by the
//! formulas AWS bills with (and Infracost models): Lambda GB-seconds with
//! duration rounded up to the millisecond, SQS and SNS requests in 64 KB
//! chunks, HTTP API requests in 512 KB units, Step Functions Express in 100 ms
//! and 64 MB steps, and fixed monthly floors for what runs by the hour.

use std::collections::HashMap;

use super::Component;
use super::prices::{Free, HOURS_PER_MONTH, Price, PriceTable, short_amount};
use super::template::Shape;

/// Bills components against the price table, drawing always-free allowances
/// from pools shared by the whole account (AWS grants them once, not per
/// resource), when the free tier applies.
pub struct Biller<'a> {
    prices: &'a PriceTable,
    pools: Option<HashMap<(String, String), f64>>,
}

impl<'a> Biller<'a> {
    pub fn new(prices: &'a PriceTable, free_tier: bool) -> Biller<'a> {
        Biller {
            prices,
            pools: free_tier.then(HashMap::new),
        }
    }

    fn price(&self, service: &str, component: &str) -> Result<Price<'a>, String> {
        self.prices.price(service, component).ok_or_else(|| {
            format!("the price table has no `{service}` `{component}`; add it with a price override file")
        })
    }

    /// Bills `quantity` (base units) of a component over its tiers. Every
    /// tier used becomes a line; the first always shows, even at zero.
    pub fn usage(
        &mut self,
        service: &str,
        component: &str,
        name: &str,
        quantity: f64,
    ) -> Result<Vec<Component>, String> {
        self.bill(service, component, name, quantity.max(0.0), false)
    }

    /// Bills what runs whether used or not (hours, months): a fixed floor.
    pub fn floor(
        &mut self,
        service: &str,
        component: &str,
        name: &str,
        quantity: f64,
    ) -> Result<Vec<Component>, String> {
        self.bill(service, component, name, quantity.max(0.0), true)
    }

    fn bill(
        &mut self,
        service: &str,
        component: &str,
        name: &str,
        quantity: f64,
        fixed_floor: bool,
    ) -> Result<Vec<Component>, String> {
        let price = self.price(service, component)?;
        let divisor = price.divisor();
        let mut out = Vec::new();
        let mut from = 0.0;
        if let Some(pools) = self.pools.as_mut()
            && price.tiers[0].tier_start == 0.0
        {
            let first = price.tiers[0];
            let (ps, pc) = self.prices.pool_of(first);
            let allowance = match self
                .prices
                .price(ps, pc)
                .map(|p| p.free().clone())
                .unwrap_or(Free::None)
            {
                // "25 WCU" free means 25 units held all month, billed per hour.
                Free::Always(a)
                    if first.unit.ends_with("-hour") && !first.free_text.contains("hour") =>
                {
                    Some(a * HOURS_PER_MONTH)
                }
                Free::Always(a) => Some(a),
                _ => None,
            };
            if let Some(allowance) = allowance {
                let left = pools
                    .entry((ps.to_string(), pc.to_string()))
                    .or_insert(allowance);
                let used = left.min(quantity);
                *left -= used;
                if used > 0.0 {
                    from = used;
                    out.push(Component {
                        name: format!("{name} (free tier)"),
                        quantity: used / divisor,
                        unit: price.unit().to_string(),
                        unit_price: 0.0,
                        monthly_usd: 0.0,
                        fixed_floor: false,
                    });
                }
            }
        }
        let parts = price.split(from, quantity);
        let single = price.tiers.len() == 1 && price.tiers[0].tier_start == 0.0;
        let unit = price.unit().to_string();
        for (i, base) in &parts {
            let row = price.tiers[*i];
            let q = base / divisor;
            out.push(Component {
                name: if single {
                    name.to_string()
                } else {
                    format!("{name} ({})", tier_label(&price, *i))
                },
                quantity: q,
                unit: unit.clone(),
                unit_price: row.usd,
                monthly_usd: q * row.usd,
                fixed_floor,
            });
        }
        if parts.is_empty() && out.is_empty() {
            let first = price.tiers.iter().position(|t| t.usd > 0.0).unwrap_or(0);
            out.push(Component {
                name: if single {
                    name.to_string()
                } else {
                    format!("{name} ({})", tier_label(&price, first))
                },
                quantity: 0.0,
                unit,
                unit_price: price.tiers[first].usd,
                monthly_usd: 0.0,
                fixed_floor,
            });
        }
        Ok(out)
    }
}

/// Names a tier the way Infracost does: `first 333M`, `next 667M`, `over 20B`.
fn tier_label(price: &Price, i: usize) -> String {
    let gb = price.unit().starts_with("GB") && !price.unit().contains('-');
    let fmt = |v: f64| short_amount(v, gb);
    let start = price.tiers[i].tier_start;
    match price.tiers.get(i + 1) {
        None => format!("over {}", fmt(start)),
        Some(next) if i == 0 && start == 0.0 => format!("first {}", fmt(next.tier_start)),
        Some(next) => format!("next {}", fmt(next.tier_start - start)),
    }
}

/// Usage by key, zero when unset.
pub trait Usage {
    fn q(&self, key: &str) -> f64;
}

/// The components of one service's bill.
pub fn price(
    shape: &Shape,
    u: &dyn Usage,
    b: &mut Biller,
    notes: &mut Vec<String>,
    id: &str,
) -> Result<Vec<Component>, String> {
    let mut c: Vec<Component> = Vec::new();
    let h = HOURS_PER_MONTH;
    match shape {
        Shape::Lambda {
            memory_mb,
            arm,
            storage_mb,
        } => {
            let requests = u.q("monthly_requests");
            // Lambda bills duration rounded up to the millisecond.
            let seconds = u.q("request_duration_ms").ceil() / 1000.0;
            let gb_seconds = requests * memory_mb / 1024.0 * seconds;
            c.extend(b.usage("lambda", "requests", "Requests", requests)?);
            let (component, arch) = if *arm {
                ("duration_arm64", "arm64")
            } else {
                ("duration_x86", "x86_64")
            };
            c.extend(b.usage(
                "lambda",
                component,
                &format!("Duration, {arch}, {memory_mb} MB"),
                gb_seconds,
            )?);
            if *storage_mb > 512.0 {
                let extra = (storage_mb - 512.0) / 1024.0 * requests * seconds;
                c.extend(b.usage(
                    "lambda",
                    "ephemeral_storage_over_512MB",
                    "Ephemeral storage over 512 MB",
                    extra,
                )?);
            }
        }
        Shape::RestApi { caches } => {
            c.extend(b.usage(
                "apigw_rest",
                "requests",
                "Requests",
                u.q("monthly_requests"),
            )?);
            for (stage, gb) in caches {
                let size = short_amount(*gb, false);
                let on = if stage == id {
                    String::new()
                } else {
                    format!(", {stage}")
                };
                match b.floor(
                    "apigw_rest",
                    &format!("cache_{size}GB"),
                    &format!("Cache memory ({size} GB{on})"),
                    h,
                ) {
                    Ok(x) => c.extend(x),
                    Err(e) => notes.push(format!("`{id}`: a {size} GB cache is not priced: {e}")),
                }
            }
        }
        Shape::HttpApi => {
            // Requests are metered in 512 KB units.
            let size = u.q("request_size_kb").max(512.0);
            let units = u.q("monthly_requests") * (size / 512.0).ceil();
            c.extend(b.usage("apigw_http", "requests(512KB units)", "Requests", units)?);
        }
        Shape::WebSocket => {
            let size = u.q("message_size_kb").max(32.0);
            let units = u.q("monthly_messages") * (size / 32.0).ceil();
            c.extend(b.usage("apigw_ws", "messages(32KB units)", "Messages", units)?);
            c.extend(b.usage(
                "apigw_ws",
                "connection_minutes",
                "Connection minutes",
                u.q("monthly_connection_mins"),
            )?);
        }
        Shape::Queue { fifo } => {
            // Every 64 KB of a request is billed as one request.
            let size = u.q("request_size_kb").max(64.0);
            let requests = u.q("monthly_requests") * (size / 64.0).ceil();
            let component = if *fifo {
                "fifo_requests(64KB chunks)"
            } else {
                "standard_requests(64KB chunks)"
            };
            c.extend(b.usage("sqs", component, "Requests", requests)?);
        }
        Shape::Topic { fifo: true } => {
            c.extend(b.usage(
                "sns_fifo",
                "publish",
                "Publish requests",
                u.q("monthly_requests"),
            )?);
        }
        Shape::Topic { fifo: false } => {
            let size = u.q("request_size_kb").max(64.0);
            let requests = u.q("monthly_requests") * (size / 64.0).ceil();
            c.extend(b.usage("sns", "publish", "API requests", requests)?);
            for (key, component, name) in [
                (
                    "http_subscriptions",
                    "http_notifications",
                    "HTTP/HTTPS notifications",
                ),
                (
                    "email_subscriptions",
                    "email_notifications",
                    "Email notifications",
                ),
                (
                    "kinesis_subscriptions",
                    "firehose_notifications",
                    "Firehose notifications",
                ),
                (
                    "mobile_push_subscriptions",
                    "mobile_push",
                    "Mobile push notifications",
                ),
            ] {
                let subs = u.q(key);
                if subs > 0.0 {
                    c.extend(b.usage("sns", component, name, subs * requests)?);
                }
            }
        }
        Shape::Table { provisioned } => {
            match provisioned {
                None => {
                    c.extend(b.usage(
                        "dynamodb",
                        "write_request_unit",
                        "Write request units",
                        u.q("monthly_write_request_units"),
                    )?);
                    c.extend(b.usage(
                        "dynamodb",
                        "read_request_unit",
                        "Read request units",
                        u.q("monthly_read_request_units"),
                    )?);
                }
                Some((wcu, rcu)) => {
                    c.extend(b.floor(
                        "dynamodb",
                        "wcu_provisioned",
                        &format!("Write capacity ({wcu} WCU)"),
                        wcu * h,
                    )?);
                    c.extend(b.floor(
                        "dynamodb",
                        "rcu_provisioned",
                        &format!("Read capacity ({rcu} RCU)"),
                        rcu * h,
                    )?);
                }
            }
            c.extend(b.usage("dynamodb", "storage", "Data storage", u.q("storage_gb"))?);
            for (key, component, name) in [
                (
                    "pitr_backup_storage_gb",
                    "pitr_storage",
                    "Point-in-time recovery storage",
                ),
                (
                    "on_demand_backup_storage_gb",
                    "on_demand_backup",
                    "On-demand backup storage",
                ),
                ("monthly_data_restored_gb", "restore", "Data restored"),
                (
                    "monthly_streams_read_request_units",
                    "streams_read",
                    "Streams read request units",
                ),
            ] {
                if u.q(key) > 0.0 {
                    c.extend(b.usage("dynamodb", component, name, u.q(key))?);
                }
            }
        }
        Shape::Stream { shards: None } => {
            c.extend(b.floor("kinesis_ondemand", "stream", "Stream (on-demand)", h)?);
            let data_in = u.q("monthly_on_demand_data_in_gb");
            c.extend(b.usage("kinesis_ondemand", "data_in", "Data ingested", data_in)?);
            c.extend(b.usage(
                "kinesis_ondemand",
                "data_out",
                "Data retrieved",
                u.q("monthly_on_demand_data_out_gb"),
            )?);
            if u.q("monthly_on_demand_efo_data_out_gb") > 0.0 {
                c.extend(b.usage(
                    "kinesis_ondemand",
                    "efo_data_out",
                    "Enhanced fan-out data retrieved",
                    u.q("monthly_on_demand_efo_data_out_gb"),
                )?);
            }
        }
        Shape::Stream { shards: Some(n) } => {
            c.extend(b.floor(
                "kinesis_provisioned",
                "shard",
                &format!("Shards ({n})"),
                n * h,
            )?);
            c.extend(b.usage(
                "kinesis_provisioned",
                "put_payload_unit(25KB)",
                "PUT payload units",
                u.q("monthly_provisioned_put_units"),
            )?);
        }
        Shape::StateMachine { express: false, .. } => {
            c.extend(b.usage(
                "sfn_standard",
                "state_transitions",
                "Transitions",
                u.q("monthly_transitions"),
            )?);
        }
        Shape::StateMachine { express: true, .. } => {
            let requests = u.q("monthly_requests");
            c.extend(b.usage("sfn_express", "requests", "Requests", requests)?);
            // Billed in 100 ms steps of duration and 64 MB steps of memory.
            let memory = (u.q("memory_mb").max(64.0) / 64.0).ceil() * 64.0;
            let duration = (u.q("workflow_duration_ms") / 100.0).ceil() * 100.0 / 1000.0;
            let gb_hours = requests * duration * memory / 1024.0 / 3600.0;
            c.extend(b.usage("sfn_express", "duration", "Duration", gb_hours)?);
        }
        Shape::Bucket => {
            c.extend(b.usage(
                "s3_standard",
                "storage",
                "Storage",
                u.q("standard.storage_gb"),
            )?);
            c.extend(b.usage(
                "s3_standard",
                "put_copy_post_list",
                "PUT, COPY, POST, LIST requests",
                u.q("standard.monthly_tier_1_requests"),
            )?);
            c.extend(b.usage(
                "s3_standard",
                "get_and_other",
                "GET and other requests",
                u.q("standard.monthly_tier_2_requests"),
            )?);
        }
        Shape::EventBus => {
            c.extend(b.usage(
                "eventbridge",
                "custom_events(64KB)",
                "Custom events",
                u.q("monthly_custom_events"),
            )?);
            for (key, component, name) in [
                (
                    "monthly_third_party_events",
                    "third_party_events",
                    "Third-party events",
                ),
                (
                    "monthly_archive_processing_gb",
                    "archive_processing",
                    "Archive processing",
                ),
                ("archive_storage_gb", "archive_storage", "Archive storage"),
                (
                    "monthly_schema_discovery_events",
                    "schema_discovery",
                    "Schema discovery",
                ),
            ] {
                if u.q(key) > 0.0 {
                    c.extend(b.usage("eventbridge", component, name, u.q(key))?);
                }
            }
        }
        Shape::Logs => {
            c.extend(b.usage(
                "cloudwatch_logs",
                "ingest_standard",
                "Data ingested",
                u.q("monthly_data_ingested_gb"),
            )?);
            c.extend(b.usage(
                "cloudwatch_logs",
                "storage",
                "Archival storage",
                u.q("storage_gb"),
            )?);
            c.extend(b.usage(
                "cloudwatch_logs",
                "insights_scanned",
                "Insights data scanned",
                u.q("monthly_data_scanned_gb"),
            )?);
        }
        Shape::Fargate {
            vcpu,
            memory_gb,
            count,
            arm,
        } => {
            let service = if *arm {
                "fargate_linux_arm"
            } else {
                "fargate_linux_x86"
            };
            c.extend(b.floor(
                service,
                "vcpu",
                &format!("vCPU ({count} × {vcpu} vCPU)"),
                vcpu * count * h,
            )?);
            c.extend(b.floor(
                service,
                "memory",
                &format!("Memory ({count} × {memory_gb} GB)"),
                memory_gb * count * h,
            )?);
        }
        Shape::Aurora {
            min_acu,
            instances,
            io_optimized,
        } => {
            let service = if *io_optimized {
                "aurora_sv2_io_opt"
            } else {
                "aurora_sv2"
            };
            let average = u.q("capacity_units_per_hr").max(*min_acu);
            c.extend(b.floor(
                service,
                "capacity",
                &format!("Capacity ({min_acu} ACU minimum × {instances})"),
                min_acu * instances * h,
            )?);
            if average > *min_acu {
                c.extend(b.usage(
                    service,
                    "capacity",
                    "Capacity above the minimum",
                    (average - min_acu) * instances * h,
                )?);
            }
            let storage = if *io_optimized {
                "storage_io_optimized"
            } else {
                "storage_standard"
            };
            c.extend(b.usage("aurora", storage, "Storage", u.q("storage_gb"))?);
            if !io_optimized {
                let per_second = u.q("write_requests_per_sec") + u.q("read_requests_per_sec");
                c.extend(b.usage(
                    "aurora",
                    "io_requests",
                    "I/O requests",
                    per_second * h * 3600.0,
                )?);
            }
        }
        Shape::Nat => {
            c.extend(b.floor("nat_gateway", "hours", "NAT gateway", h)?);
            c.extend(b.usage(
                "nat_gateway",
                "data_processed",
                "Data processed",
                u.q("monthly_data_processed_gb"),
            )?);
        }
        Shape::Alarm {
            metrics,
            high_resolution,
        } => {
            let (component, name) = if *high_resolution {
                ("high_resolution_metric", "High-resolution alarm metrics")
            } else {
                ("standard_metric", "Standard alarm metrics")
            };
            c.extend(b.floor("cloudwatch_alarm", component, name, *metrics)?);
        }
        Shape::Secret => {
            c.extend(b.floor("secretsmanager", "secret", "Secret", 1.0)?);
            c.extend(b.usage(
                "secretsmanager",
                "api_requests",
                "API requests",
                u.q("monthly_requests"),
            )?);
        }
        Shape::Key => {
            c.extend(b.floor("kms", "customer_key", "Customer managed key", 1.0)?);
            c.extend(b.usage("kms", "requests", "Requests", u.q("monthly_requests"))?);
        }
        Shape::Cdn => {
            c.extend(b.usage(
                "cloudfront",
                "data_out_us_eu",
                "Data out to the internet (US)",
                u.q("monthly_data_transfer_to_internet_gb.us"),
            )?);
            c.extend(b.usage(
                "cloudfront",
                "data_out_to_origin_us",
                "Data out to origin (US)",
                u.q("monthly_data_transfer_to_origin_gb.us"),
            )?);
            c.extend(b.usage(
                "cloudfront",
                "http_requests_us",
                "HTTP requests (US)",
                u.q("monthly_http_requests.us"),
            )?);
            c.extend(b.usage(
                "cloudfront",
                "https_requests_us",
                "HTTPS requests (US)",
                u.q("monthly_https_requests.us"),
            )?);
        }
        Shape::UserPool { plan } => {
            let component = match plan.as_str() {
                "LITE" => "lite_mau",
                "PLUS" => "plus_mau",
                _ => "essentials_mau",
            };
            c.extend(b.usage(
                "cognito",
                component,
                &format!("Monthly active users ({})", plan.to_ascii_lowercase()),
                u.q("monthly_active_users"),
            )?);
        }
        Shape::LoadBalancer { network } => {
            let name = if *network {
                "Network load balancer"
            } else {
                "Application load balancer"
            };
            c.extend(b.floor("alb", "load_balancer", name, h)?);
        }
        Shape::Schedule {
            scheduler: true, ..
        } => {
            c.extend(b.usage(
                "scheduler",
                "invocations",
                "Invocations",
                u.q("monthly_invocations"),
            )?);
        }
        Shape::PassThrough { pipe: true } => {
            c.extend(b.usage("pipes", "requests", "Requests", u.q("monthly_events"))?);
        }
        Shape::Schedule { .. } | Shape::PassThrough { .. } | Shape::PricedWith(_) | Shape::Free => {
        }
        Shape::Unpriced(reason) => return Err(reason.clone()),
    }
    Ok(c)
}
