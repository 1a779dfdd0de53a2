//! The two summary figures of a list of working days: the median (the middle value,
//! or the mean of the two middle values) and the 90th percentile by nearest rank (the
//! value at position ⌈0.9 n⌉ in ascending order). Both are `None` for no values.

/// The median of `values` (any order).
pub fn median(values: &[i32]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}

/// The 90th percentile of `values` by nearest rank.
pub fn p90(values: &[i32]) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    // ⌈0.9 n⌉ in whole numbers: (9n + 9) / 10, at least 1.
    let rank = (9 * sorted.len()).div_ceil(10).max(1);
    sorted.get(rank - 1).map(|v| f64::from(*v))
}

fn sorted(values: &[i32]) -> Vec<i32> {
    let mut v = values.to_vec();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[9, 1, 5]), Some(5.0));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn the_90th_percentile_is_the_value_at_the_nearest_rank() {
        assert_eq!(p90(&[]), None);
        assert_eq!(p90(&[3]), Some(3.0));
        // Ten values: rank 9.
        assert_eq!(p90(&[10, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Some(9.0));
        // Eleven values: rank ⌈9.9⌉ = 10.
        assert_eq!(p90(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), Some(10.0));
        assert_eq!(p90(&[5, 1]), Some(5.0));
    }
}
