//! A usage view's tables as CSV (one file, a `table` column first) or JSON (the view itself).

use serde::{Deserialize, Serialize};

use crate::view::{UsageRow, UsageView};

/// How a usage view is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum UsageExportFormat {
    /// Every table in one CSV file (a `table` column first).
    Csv,
    /// The view as the `usage` command answers it.
    Json,
}

/// `view` exported as `format`.
pub fn export(view: &UsageView, format: UsageExportFormat) -> String {
    match format {
        UsageExportFormat::Csv => to_csv(view),
        UsageExportFormat::Json => serde_json::to_string_pretty(view).unwrap_or_default(),
    }
}

/// The tables of `view` as CSV: one row per table row, its table named in the first column.
pub fn to_csv(view: &UsageView) -> String {
    let mut out = String::from(
        "table,key,label,agent,calls,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,\
         totalTokens,costUsd,reportedCostUsd,bookCostUsd,unpricedTokens,abortedCalls,failedCalls,\
         cacheHitRatio,cacheSavedUsd,whatIfUsd\n",
    );
    let tables: [(&str, &[UsageRow]); 6] = [
        ("total", std::slice::from_ref(&view.totals)),
        ("agent", &view.agents),
        ("model", &view.models),
        ("provider", &view.providers),
        ("session", &view.sessions),
        ("cronJob", &view.cron_jobs),
    ];
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (table, rows) in tables {
        for row in rows {
            let t = &row.totals;
            let cells = [
                table.to_string(),
                field(&row.key),
                field(&row.label),
                field(row.agent_id.as_deref().unwrap_or_default()),
                t.calls.to_string(),
                t.input_tokens.to_string(),
                t.output_tokens.to_string(),
                t.cache_read_tokens.to_string(),
                t.cache_write_tokens.to_string(),
                t.total_tokens.to_string(),
                t.cost_usd.to_string(),
                t.reported_cost_usd.to_string(),
                t.book_cost_usd.to_string(),
                t.unpriced_tokens.to_string(),
                t.aborted_calls.to_string(),
                t.failed_calls.to_string(),
                opt(row.cache_hit_ratio),
                opt(row.cache_saved_usd),
                opt(row.what_if_usd),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break; a leading `=`, `+`, `-`
/// or `@` is prefixed with `'` so a spreadsheet never runs a session label as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
