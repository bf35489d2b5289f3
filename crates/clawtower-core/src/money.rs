//! Exact money: US dollars as integer nano-dollars, so sums never drift.

use std::fmt;
use std::ops::{Add, AddAssign};

/// An amount of US dollars, exact to 1e-9 USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NanoUsd(pub i64);

const NANOS_PER_USD: i64 = 1_000_000_000;

impl NanoUsd {
    /// Zero dollars.
    pub const ZERO: NanoUsd = NanoUsd(0);

    /// Converts a dollar amount as reported in JSON, rounding to the nearest nano-dollar.
    pub fn from_usd(usd: f64) -> Self {
        if !usd.is_finite() {
            return NanoUsd::ZERO;
        }
        NanoUsd((usd * NANOS_PER_USD as f64).round() as i64)
    }

    /// The amount in dollars, for JSON and the UI.
    pub fn as_usd(self) -> f64 {
        self.0 as f64 / NANOS_PER_USD as f64
    }

    /// Human display: `$1,234.56`; amounts under one cent show four decimals (`$0.0042`) and
    /// amounts under $0.0001 show `<$0.0001`, so small spend is never shown as `$0.00`.
    /// The UI's `formatUsd` (ui/src/format/money.ts) follows the same rules.
    pub fn display(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let small = abs != 0 && abs < (NANOS_PER_USD / 100) as u64;
        let (decimals, unit) = if small {
            (4u32, 100_000u64)
        } else {
            (2, 10_000_000)
        };
        let units = (abs + unit / 2) / unit; // round half up
        if small && units == 0 {
            return format!("{}<$0.0001", if negative { "-" } else { "" });
        }
        let scale = 10u64.pow(decimals);
        let whole = group_thousands(units / scale);
        let frac = units % scale;
        format!(
            "{}${whole}.{frac:0width$}",
            if negative { "-" } else { "" },
            width = decimals as usize
        )
    }
}

impl NanoUsd {
    /// A limit as people write it: `$20` for whole dollars, else like [`NanoUsd::display`].
    pub fn display_limit(self) -> String {
        if self.0 >= 0 && self.0 % NANOS_PER_USD == 0 {
            format!("${}", group_thousands((self.0 / NANOS_PER_USD) as u64))
        } else {
            self.display()
        }
    }
}

/// `1234567` → `"1,234,567"`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for NanoUsd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl Add for NanoUsd {
    type Output = NanoUsd;
    fn add(self, rhs: NanoUsd) -> NanoUsd {
        NanoUsd(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for NanoUsd {
    fn add_assign(&mut self, rhs: NanoUsd) {
        *self = *self + rhs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_dollars_cents_and_small_amounts() {
        assert_eq!(NanoUsd::ZERO.display(), "$0.00");
        assert_eq!(NanoUsd::from_usd(12.345).display(), "$12.35");
        assert_eq!(NanoUsd::from_usd(1234567.891).display(), "$1,234,567.89");
        assert_eq!(NanoUsd::from_usd(0.0216282).display(), "$0.02");
        assert_eq!(NanoUsd::from_usd(0.0042).display(), "$0.0042");
        assert_eq!(NanoUsd::from_usd(0.00000004).display(), "<$0.0001");
        assert_eq!(NanoUsd::from_usd(-3.5).display(), "-$3.50");
    }

    #[test]
    fn sums_are_exact() {
        let cost = NanoUsd::from_usd(0.0216282);
        let mut total = NanoUsd::ZERO;
        for _ in 0..1_000_000 {
            total += cost;
        }
        assert_eq!(total, NanoUsd(21_628_200_000_000));
        assert_eq!(total.display(), "$21,628.20");
    }

    #[test]
    fn non_finite_input_is_zero() {
        assert_eq!(NanoUsd::from_usd(f64::NAN), NanoUsd::ZERO);
        assert_eq!(NanoUsd::from_usd(f64::INFINITY), NanoUsd::ZERO);
    }
}
