//! "Did you mean ...?" (CPython's `Python/suggestions.c`, `_Py_CalculateSuggestions`): the
//! candidate nearest to a wrong name by a Levenshtein distance over UTF-8 bytes where a case
//! change costs 1 and any other edit 2, accepted only within a third of the characters
//! involved. Used by `_PyArg_UnpackKeywords`' "unexpected keyword argument" text.

/// An insertion, deletion or substitution of a different character.
const MOVE_COST: usize = 2;
/// A substitution of the same letter in another case.
const CASE_COST: usize = 1;
/// Longer names are never compared.
const MAX_STRING_SIZE: usize = 40;

fn substitution_cost(a: u8, b: u8) -> usize {
    if a == b {
        0
    } else if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// The distance between `a` and `b`, or anything above `max_cost` once it is known to exceed it.
fn distance<'a>(mut a: &'a [u8], mut b: &'a [u8], max_cost: usize) -> usize {
    if a == b {
        return 0;
    }
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    a = &a[pre..];
    b = &b[pre..];
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a = &a[..a.len() - suf];
    b = &b[..b.len() - suf];
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    // One row of the table: row[i] is the distance between a[..=i] and b[..j].
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (j, &bc) in b.iter().enumerate() {
        let mut distance = j * MOVE_COST;
        result = distance;
        let mut min = usize::MAX;
        for (i, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(bc, ac);
            distance = row[i];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[i] = result;
            min = min.min(result);
        }
        if min > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// The candidate nearest to `name`, if one is near enough (the first of equal distances).
pub(crate) fn suggest<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    name: &str,
) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    let name_chars = name.chars().count();
    for item in candidates {
        if item == name {
            continue;
        }
        let mut max = (name_chars + item.chars().count() + 3) * MOVE_COST / 6;
        if let Some((_, d)) = best {
            max = max.min(d.saturating_sub(1));
        }
        let d = distance(name.as_bytes(), item.as_bytes(), max);
        if d > max {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((item, d));
        }
    }
    best.map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn near_names_only() {
        assert_eq!(suggest(["sep", "maxsplit"], "sepp"), Some("sep"));
        assert_eq!(suggest(["sep", "maxsplit"], "zzzzzz"), None);
        assert_eq!(
            suggest(["encoding", "errors"], "Encoding"),
            Some("encoding")
        );
        assert_eq!(suggest(["level"], "level"), None);
    }
}
