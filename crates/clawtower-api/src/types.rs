//! Every type a command takes or returns, by the name the command list uses.

pub use clawtower_engine::alerts::Alert;
pub use clawtower_engine::anomaly::{Anomaly, AnomalyDraft};
pub use clawtower_engine::budget::{Budget, BudgetBoard, BudgetDraft};
pub use clawtower_engine::doctor::DoctorReport;
pub use clawtower_engine::gateway::feed::GatewayStatus;
pub use clawtower_engine::gateways::{GatewayCredential, GatewayDraft};
pub use clawtower_engine::pause::PauseView;
pub use clawtower_engine::sinks::{SinkDraft, SinkView};
pub use clawtower_engine::top_spend::{SpendPeriod, TopSpend};
pub use clawtower_engine::{SpendSummary, Theme};

pub use crate::commands::info::{AppInfo, Settings};
pub use crate::ApiError;
