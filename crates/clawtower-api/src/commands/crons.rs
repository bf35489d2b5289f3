//! The Crons page: every job with its schedule in words and last outcome; switch on and off, run
//! now, make, change and remove; each job's runs with their cost; a schedule's next runs.

use clawtower_core::period::now_ms;
use clawtower_lifecycle::crons::{CronDraft, CronRow, CronRunRow};
use clawtower_lifecycle::schedule::{next_runs, Schedule, SchedulePreview};

use super::agents::with_lifecycle;
use crate::{ApiError, Runtime};

/// Every cron job of the local gateway, switched-off ones included.
pub async fn crons(runtime: &Runtime) -> Result<Vec<CronRow>, ApiError> {
    with_lifecycle(runtime, async |l| l.crons().await).await
}

/// Makes a job (schedule checked first); returns its id.
pub async fn add_cron(runtime: &Runtime, draft: CronDraft) -> Result<String, ApiError> {
    with_lifecycle(runtime, async |l| l.add_cron(&draft).await).await
}

/// Changes a job.
pub async fn edit_cron(runtime: &Runtime, id: String, draft: CronDraft) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.edit_cron(&id, &draft).await).await
}

/// Switches a job on or off.
pub async fn set_cron_enabled(
    runtime: &Runtime,
    id: String,
    enabled: bool,
) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.set_cron_enabled(&id, enabled).await).await
}

/// Runs a job now; the run's id.
pub async fn run_cron(runtime: &Runtime, id: String) -> Result<Option<String>, ApiError> {
    with_lifecycle(runtime, async |l| l.run_cron(&id).await).await
}

/// Removes a job.
pub async fn remove_cron(runtime: &Runtime, id: String) -> Result<(), ApiError> {
    with_lifecycle(runtime, async |l| l.remove_cron(&id).await).await
}

/// A job's latest runs with the calls, tokens and cost of each.
pub async fn cron_runs(runtime: &Runtime, id: String) -> Result<Vec<CronRunRow>, ApiError> {
    with_lifecycle(runtime, async |l| l.cron_runs(&id).await).await
}

/// How many runs the schedule preview shows.
const PREVIEW_RUNS: usize = 5;

/// A schedule checked, in words, with its next runs (for the job `job` when it is one being
/// changed: its stagger delay included); answered without the gateway.
pub async fn cron_preview(
    _runtime: &Runtime,
    schedule: Schedule,
    job: Option<String>,
) -> Result<SchedulePreview, ApiError> {
    Ok(next_runs(
        &schedule,
        job.as_deref(),
        now_ms(),
        PREVIEW_RUNS,
    )?)
}
