//! Fuzzy matching for the palette, the connect prompt and search: the query's
//! characters must appear in order; runs of adjacent characters, matches at
//! the start of words and an exact prefix score higher.

/// A match: its score (higher is better) and which characters matched, by
/// char index, for highlighting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub score: i64,
    pub positions: Vec<usize>,
}

/// Scores `text` against `query`, ignoring case; `None` when the query's
/// characters do not all appear in order. An empty query matches everything
/// with score 0.
pub fn score(query: &str, text: &str) -> Option<Match> {
    let q: Vec<char> = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if q.is_empty() {
        return Some(Match {
            score: 0,
            positions: Vec::new(),
        });
    }
    let t: Vec<char> = text.chars().collect();
    let lower: Vec<char> = t
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut positions = Vec::with_capacity(q.len());
    let mut score: i64 = 0;
    let mut qi = 0;
    let mut last: Option<usize> = None;
    for (i, c) in lower.iter().enumerate() {
        if qi == q.len() {
            break;
        }
        if *c != q[qi] {
            continue;
        }
        let word_start = i == 0
            || !t[i - 1].is_alphanumeric()
            || (t[i].is_uppercase() && t[i - 1].is_lowercase());
        score += 1;
        if word_start {
            score += 8;
        }
        if last.is_some_and(|l| l + 1 == i) {
            score += 5;
        } else if let Some(l) = last {
            score -= (i - l - 1).min(5) as i64;
        }
        positions.push(i);
        last = Some(i);
        qi += 1;
    }
    if qi < q.len() {
        return None;
    }
    if lower.iter().take(q.len()).eq(q.iter()) {
        score += 20;
    }
    if lower.len() == q.len() {
        score += 30;
    }
    // Shorter texts win ties.
    score -= (t.len() as i64) / 8;
    Some(Match { score, positions })
}

/// Ranks items by their best-scoring key; items that do not match drop out.
/// Ties keep the original order.
pub fn rank<T, F>(query: &str, items: &[T], keys: F) -> Vec<(usize, Match)>
where
    F: Fn(&T) -> Vec<String>,
{
    let mut out: Vec<(usize, Match)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            keys(item)
                .iter()
                .enumerate()
                .filter_map(|(k, key)| {
                    score(query, key).map(|mut m| {
                        // The first key is the one shown; only its positions highlight.
                        if k > 0 {
                            m.positions.clear();
                            m.score -= 1;
                        }
                        m
                    })
                })
                .max_by_key(|m| m.score)
                .map(|m| (i, m))
        })
        .collect();
    out.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequences_match_and_others_do_not() {
        assert!(score("jq", "JobQueue").is_some());
        assert!(score("qj", "JobQueue").is_none());
        assert_eq!(score("", "x").unwrap().score, 0);
        assert_eq!(score("jq", "JobQueue").unwrap().positions, [0, 3]);
    }

    #[test]
    fn prefixes_and_word_starts_rank_first() {
        let items = ["DeadLetters", "queue", "Requests", "sqs"];
        let ranked = rank("que", &items, |s| vec![s.to_string()]);
        assert_eq!(items[ranked[0].0], "queue");
        let ranked = rank("dl", &items, |s| vec![s.to_string()]);
        assert_eq!(items[ranked[0].0], "DeadLetters");
    }

    #[test]
    fn other_keys_match_too() {
        let items = [("queue", "sqs"), ("topic", "sns")];
        let ranked = rank("sns", &items, |(w, a)| vec![w.to_string(), a.to_string()]);
        assert_eq!(ranked.len(), 1);
        assert_eq!(items[ranked[0].0].0, "topic");
        assert!(ranked[0].1.positions.is_empty());
    }
}
