//! How a command prints what it built: JSON, CSV or text, or why it could not.

use std::process::ExitCode;

use serde::Serialize;

/// The ways a report-like command prints.
pub enum Format {
    /// `--json`: the value, pretty-printed.
    Json,
    /// `--csv`.
    Csv,
    /// For a person.
    Text,
}

impl Format {
    /// `--json` wins, then `--csv`, else text.
    pub fn of(json: bool, csv: bool) -> Format {
        match (json, csv) {
            (true, _) => Format::Json,
            (false, true) => Format::Csv,
            _ => Format::Text,
        }
    }
}

/// Prints `built` (or why it failed) as `format` asks: `csv` and `text` render it.
pub fn print<T: Serialize>(
    built: Result<T, String>,
    format: Format,
    csv: impl FnOnce(&T) -> String,
    text: impl FnOnce(&T) -> String,
) -> ExitCode {
    let value = match built {
        Ok(value) => value,
        Err(err) => return fail(&err),
    };
    match format {
        Format::Json => match serde_json::to_string_pretty(&value) {
            Ok(json) => println!("{json}"),
            Err(err) => return fail(&format!("cannot encode it as JSON: {err}")),
        },
        Format::Csv => print!("{}", csv(&value)),
        Format::Text => print!("{}", text(&value)),
    }
    ExitCode::SUCCESS
}

/// Says why on stderr; exit status 1.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("clawtower: {message}");
    ExitCode::from(1)
}
