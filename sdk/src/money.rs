//! Amounts as Indian documents write them.

/// Whole rupees with Indian digit grouping, without the sign: `1,24,500`
/// (thousands, then lakhs and crores in pairs of digits).
pub fn indian_grouping(whole: u64) -> String {
    let digits = whole.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (left, pair) = rest.split_at(rest.len() - 2);
        groups.push(pair);
        rest = left;
    }
    groups.push(rest);
    groups.reverse();
    format!("{},{last3}", groups.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lakhs_and_crores_group_in_pairs() {
        assert_eq!(indian_grouping(0), "0");
        assert_eq!(indian_grouping(999), "999");
        assert_eq!(indian_grouping(1000), "1,000");
        assert_eq!(indian_grouping(124_500), "1,24,500");
        assert_eq!(indian_grouping(12_345_678), "1,23,45,678");
    }
}
