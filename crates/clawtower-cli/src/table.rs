//! Plain-text tables: columns two spaces apart, sized to their widest cell.

/// How the columns after the first are aligned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Every column to the left (names, dates).
    Left,
    /// The first to the left, the others (figures) to the right.
    Figures,
}

/// `rows` (the first one a header) as aligned text; `total` draws a rule above the last row.
pub fn columns(rows: &[Vec<String>], align: Align, total: bool) -> String {
    let count = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..count)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (n, row) in rows.iter().enumerate() {
        if total && n + 1 == rows.len() && n > 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * count.saturating_sub(1)));
            out.push('\n');
        }
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| match align {
                Align::Figures if i > 0 => format!("{cell:>w$}"),
                _ => format!("{cell:<w$}"),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_names_left_and_figures_right_with_a_rule_above_the_total() {
        let rows = vec![
            vec!["agent".into(), "cost".into()],
            vec!["main".into(), "$1.00".into()],
            vec!["TOTAL".into(), "$12.00".into()],
        ];
        assert_eq!(
            columns(&rows, Align::Figures, true),
            "agent    cost\nmain    $1.00\n-------------\nTOTAL  $12.00\n"
        );
        assert_eq!(
            columns(&rows[..2], Align::Left, false),
            "agent  cost\nmain   $1.00\n"
        );
    }
}
