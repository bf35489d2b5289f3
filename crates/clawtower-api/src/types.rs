//! Every type a command takes or returns, by the name the command list uses.

pub use clawtower_control::alerts::sinks::{SinkDraft, SinkView};
pub use clawtower_control::alerts::Alert;
pub use clawtower_control::anomaly::store::{AnomalyRules, UnreadableRule};
pub use clawtower_control::anomaly::{Anomaly, AnomalyDraft};
pub use clawtower_control::budget::{Budget, BudgetDraft};
pub use clawtower_control::pause::PauseView;
pub use clawtower_control::BudgetBoard;
pub use clawtower_engine::doctor::DoctorReport;
pub use clawtower_engine::Theme;
pub use clawtower_feeds::feed::GatewayStatus;
pub use clawtower_feeds::roster::{GatewayCredential, GatewayDraft};
pub use clawtower_ledger::report::SpendSummary;
pub use clawtower_ledger::report::Totals;
pub use clawtower_ledger::report::{SpendPeriod, TopSpend};
pub use clawtower_lifecycle::agents::{AgentDraft, AgentEdit, AgentRow, Restored};
pub use clawtower_lifecycle::archive::{ArchiveState, ArchiveView};
pub use clawtower_lifecycle::audit::AuditEntry;
pub use clawtower_lifecycle::crons::{CronDraft, CronRow, CronRunRow};
pub use clawtower_lifecycle::schedule::{Schedule, SchedulePreview};
pub use clawtower_lifecycle::session_actions::{SessionChange, SessionState};
pub use clawtower_router::activity::{RoutedCallView, RoutedSpend, RouterActivity};
pub use clawtower_router::attachments::Attachment;
pub use clawtower_router::config::ProviderKind;
pub use clawtower_router::keys::{CreatedKey, KeyDraft, KeyLimits, KeyView};
pub use clawtower_router::status::{ProviderStatus, RouterRunState, RouterStatus};
pub use clawtower_runtime::attach::{RouteThrough, SkippedProvider};
pub use clawtower_sessions::list::{
    SessionPage, SessionQuery, SessionRow, SessionSort, SessionStatus,
};
pub use clawtower_sessions::naming::SessionKindName;
pub use clawtower_sessions::timeline::{
    CallDetail, EntryKind, ExportFormat, Generation, Timeline, TimelineEntry, ToolDetail,
};
pub use clawtower_sessions::tree::{SessionTree, TreeNode};
pub use clawtower_usage::{
    Granularity, Period, Stack, UsageDimension, UsageExportFormat, UsageQuery, UsageRow, UsageView,
};

pub use crate::commands::info::{AppInfo, Settings};
pub use crate::ApiError;
