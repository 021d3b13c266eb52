//! Names that join stacks (exports, SSM parameters, buses), as patterns: a
//! name built from values a stack does not know (`/shop/${Env}/url`) keeps
//! its unknown parts as wildcards, and two names match when the known parts
//! agree.

/// A name with `*` where a placeholder was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub text: String,
    pub wild: bool,
}

impl Pattern {
    pub fn literal(s: &str) -> Pattern {
        Pattern {
            text: s.to_string(),
            wild: false,
        }
    }

    /// A name from parts: literal text and unknown values.
    pub fn from_parts(parts: &[Option<String>]) -> Pattern {
        let mut text = String::new();
        let mut wild = false;
        for p in parts {
            match p {
                Some(t) => text.push_str(t),
                None => {
                    if !text.ends_with('*') {
                        text.push('*');
                    }
                    wild = true;
                }
            }
        }
        Pattern { text, wild }
    }

    /// Whether the name has enough known text to match anything by.
    pub fn says_something(&self) -> bool {
        has_literal(&self.text)
    }

    /// Whether two names can be the same; wildcards stand for any text.
    pub fn matches(&self, other: &Pattern) -> bool {
        if !self.wild && !other.wild {
            return self.text == other.text;
        }
        if self.text == other.text {
            return has_literal(&self.text);
        }
        (self.wild && has_literal(&self.text) && glob(&self.text, &other.text))
            || (other.wild && has_literal(&other.text) && glob(&other.text, &self.text))
    }
}

/// A pattern that is all wildcard and separators matches everything: it
/// says nothing.
fn has_literal(p: &str) -> bool {
    p.chars().filter(|c| c.is_alphanumeric()).count() >= 3
}

/// `*` matches any text; everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// The words of a name, lower case: `PaymentApiUrl` and
/// `/shop/${Env}/payment/api-url` both give `payment`, `api`, `url`.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = i > 0
            && !cur.is_empty()
            && ((c.is_uppercase() && chars[i - 1].is_lowercase())
                || (c.is_uppercase()
                    && chars[i - 1].is_uppercase()
                    && chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that say nothing about which value a parameter holds.
const VAGUE: &[&str] = &[
    "param",
    "parameter",
    "ssm",
    "name",
    "path",
    "key",
    "value",
    "the",
    "of",
    "for",
];

/// The words of a parameter's name that say what it holds.
pub fn telling_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .filter(|w| !VAGUE.contains(&w.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_anything_in_their_place() {
        let p = Pattern::from_parts(&[Some("/shop/".into()), None, Some("/payment/url".into())]);
        assert_eq!(p.text, "/shop/*/payment/url");
        assert!(p.matches(&Pattern::literal("/shop/prod/payment/url")));
        assert!(!p.matches(&Pattern::literal("/shop/prod/orders/url")));
        let q = Pattern::from_parts(&[Some("/shop/".into()), None, Some("/payment/url".into())]);
        assert!(p.matches(&q));
        // A name that is nothing but a placeholder matches nothing.
        let any = Pattern::from_parts(&[None]);
        assert!(!any.matches(&Pattern::literal("/x/y")));
        assert!(Pattern::literal("a").matches(&Pattern::literal("a")));
    }

    #[test]
    fn words_of_names() {
        assert_eq!(words("PaymentApiUrl"), ["payment", "api", "url"]);
        assert_eq!(
            words("/shop/${Env}/payment/api-url"),
            ["shop", "env", "payment", "api", "url"]
        );
        assert_eq!(words("SSMParamName"), ["ssm", "param", "name"]);
        assert_eq!(telling_words("UserPoolArnParam"), ["user", "pool", "arn"]);
    }
}
