//! Name conventions: SAM logical ids are `PascalCase`, Terraform names are
//! `snake_case`, environment variables are `UPPER_SNAKE`.

/// Splits a name into lowercase words at case changes, digits runs and
/// separators: `OrderQueueV2` gives `order`, `queue`, `v2`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_alphanumeric() => {
                (c.is_uppercase() && (p.is_lowercase() || p.is_ascii_digit()))
                    || (c.is_uppercase()
                        && p.is_uppercase()
                        && next.is_some_and(|n| n.is_lowercase()))
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub fn snake_case(name: &str) -> String {
    let s = words(name).join("_");
    if s.is_empty() {
        "resource".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("r_{s}")
    } else {
        s
    }
}

pub fn pascal_case(name: &str) -> String {
    let s: String = words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    let s: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if s.is_empty() {
        "Resource".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("R{s}")
    } else {
        s
    }
}

pub fn upper_snake(name: &str) -> String {
    snake_case(name).to_uppercase()
}

/// Whether a name is a valid CloudFormation logical id.
pub fn is_logical_id(name: &str) -> bool {
    !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        assert_eq!(snake_case("OrderQueue"), "order_queue");
        assert_eq!(snake_case("S3Bucket"), "s3_bucket");
        assert_eq!(snake_case("APIHandler"), "api_handler");
        assert_eq!(snake_case("order-queue"), "order_queue");
        assert_eq!(pascal_case("order_queue"), "OrderQueue");
        assert_eq!(pascal_case("s3getobject"), "S3getobject");
        assert_eq!(pascal_case(&snake_case("OrderQueue")), "OrderQueue");
        assert_eq!(upper_snake("OrdersTable"), "ORDERS_TABLE");
        assert!(is_logical_id("Bucket1"));
        assert!(!is_logical_id("my-bucket"));
    }
}
