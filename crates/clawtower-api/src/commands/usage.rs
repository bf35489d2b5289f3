//! Usage and cost: where the money went in a window, its export, and the models a "what if"
//! can price on.

use clawtower_ledger::pricing::PriceBook;
use clawtower_usage::export::export;
use clawtower_usage::{usage as usage_view, UsageExportFormat, UsageQuery, UsageView};

use super::blocking;
use crate::{ApiError, Runtime};

/// Usage in a window: the series and every table.
pub async fn usage(runtime: &Runtime, query: UsageQuery) -> Result<UsageView, ApiError> {
    blocking(runtime, "usage", move |rt| {
        usage_view(rt.store(), &price_book(rt), &query, &jiff::Zoned::now())
    })
    .await
}

/// A usage view exported as CSV or JSON.
pub async fn usage_export(
    runtime: &Runtime,
    query: UsageQuery,
    format: UsageExportFormat,
) -> Result<String, ApiError> {
    blocking(runtime, "usage_export", move |rt| {
        let view = usage_view(rt.store(), &price_book(rt), &query, &jiff::Zoned::now())?;
        Ok(export(&view, format))
    })
    .await
}

/// Every model the price book prices (for "what if").
pub async fn price_models(runtime: &Runtime) -> Result<Vec<String>, ApiError> {
    blocking(runtime, "price_models", move |rt| {
        Ok(price_book(rt).models())
    })
    .await
}

/// The install's price book, read now (so an edited override counts at once).
fn price_book(runtime: &Runtime) -> PriceBook {
    let (book, warnings) = PriceBook::for_install(runtime.state_dir(), runtime.engine().data_dir());
    warnings.iter().for_each(|w| tracing::warn!("{w}"));
    book
}
