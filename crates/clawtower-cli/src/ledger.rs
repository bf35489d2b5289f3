//! Opening Clawtower's store and ingesting an OpenClaw state dir: shared by `ingest` and `report`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clawtower_core::money::group_thousands;
use clawtower_core::DataDir;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{ingest_state_dir, IngestReport, Progress};
use clawtower_openclaw::{locate, OpenClawEnv};
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::tz::TimeZone;

/// Imports with more sources than this get a progress bar (on a terminal).
const PROGRESS_BAR_MIN_SOURCES: u64 = 50;

/// The data dir (`--data-dir`, `CLAWTOWER_DATA_DIR`, or the default), created if needed.
pub fn data_dir(explicit: Option<&Path>) -> Result<DataDir, String> {
    let dir = DataDir::resolve(explicit).map_err(|e| e.to_string())?;
    dir.ensure().map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Opens the ledger store in the data dir.
pub fn open_store(data_dir: Option<&Path>) -> Result<Store, String> {
    Store::open(&self::data_dir(data_dir)?.database()).map_err(|e| e.to_string())
}

/// Opens the ledger store, having imported what is new of `openclaw_home` first when given
/// (what cannot be read now is said on stderr).
pub fn open_store_imported(
    data_dir: Option<&Path>,
    openclaw_home: Option<&Path>,
) -> Result<Store, String> {
    let store = open_store(data_dir)?;
    if let Some(home) = openclaw_home {
        let state = state_dir(Some(home))?;
        let book = price_book(Some(&state), data_dir)?;
        let imported = ingest(&store, &state, &book, std::io::stderr().is_terminal())?;
        for (source, why) in &imported.unreadable {
            eprintln!("clawtower: could not read {source} now ({why})");
        }
    }
    Ok(store)
}

/// The price book for an install (or, without one, the bundled prices and the user's
/// overrides), warnings printed.
pub fn price_book(state_dir: Option<&Path>, data_dir: Option<&Path>) -> Result<PriceBook, String> {
    let (book, warnings) = PriceBook::for_install(state_dir, &self::data_dir(data_dir)?);
    for warning in warnings {
        eprintln!("clawtower: {warning}");
    }
    Ok(book)
}

/// The OpenClaw state dir: `--openclaw-home`, else the one OpenClaw itself would use.
pub fn state_dir(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let location = locate(&OpenClawEnv::from_process(), explicit)
        .ok_or("no home directory: pass --openclaw-home DIR")?;
    if !location.state_dir.is_dir() {
        return Err(format!(
            "no OpenClaw state dir at {} (pass --openclaw-home DIR, or run `clawtower doctor`)",
            location.state_dir.display()
        ));
    }
    Ok(location.state_dir)
}

/// Ingests everything new under `state_dir`, priced with `book`.
pub fn ingest(
    store: &Store,
    state_dir: &Path,
    book: &PriceBook,
    show_progress: bool,
) -> Result<IngestReport, String> {
    let bar = ProgressBar::hidden();
    let mut on_progress = |p: Progress| {
        if show_progress && p.total >= PROGRESS_BAR_MIN_SOURCES && bar.is_hidden() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(p.total);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} sources ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message("Importing");
        }
        bar.set_position(p.done);
    };
    let report =
        ingest_state_dir(store, state_dir, book, &mut on_progress).map_err(|e| e.to_string());
    bar.finish_and_clear();
    report
}

/// One printed call: time, agent, session, model, tokens, cost.
pub fn call_line(call: &ModelCall) -> String {
    let time = jiff::Timestamp::from_millisecond(call.ts_ms)
        .map(|t| {
            t.to_zoned(TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| "?".into());
    let tokens =
        call.input_tokens + call.output_tokens + call.cache_read_tokens + call.cache_write_tokens;
    let unpriced = if call.unpriced_tokens > 0 {
        "  (unpriced)"
    } else {
        ""
    };
    format!(
        "{time}  {}  {}  {}/{}  {} tokens  {}{unpriced}",
        call.agent_id,
        call.session_key,
        call.provider,
        call.model,
        group_thousands(tokens),
        call.cost.display()
    )
}

/// `--tz NAME` (an IANA name), or the system's time zone.
pub fn time_zone(name: Option<&str>) -> Result<TimeZone, String> {
    match name {
        Some(name) => TimeZone::get(name).map_err(|_| {
            format!("unknown time zone {name:?} (use an IANA name like Europe/Paris)")
        }),
        None => Ok(TimeZone::system()),
    }
}
