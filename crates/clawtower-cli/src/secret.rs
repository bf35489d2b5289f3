//! A secret given on the command line (a gateway token, a sink's secret): parsed like a string,
//! but `Debug` never shows it.

use std::convert::Infallible;
use std::str::FromStr;

/// A secret argument; [`Secret::expose`] is the only way to its text.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = Infallible;
    fn from_str(text: &str) -> Result<Self, Infallible> {
        Ok(Secret(text.to_string()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::Cli;

    #[test]
    fn debug_of_the_parsed_command_line_shows_no_secret() {
        for args in [
            &["clawtower", "gateway", "status", "--token", "S3CR3T_VALUE"][..],
            &[
                "clawtower",
                "alerts",
                "sink",
                "add",
                "--kind",
                "webhook",
                "--secret",
                "https://h.example/S3CR3T_VALUE",
            ][..],
        ] {
            let cli = Cli::try_parse_from(args).unwrap();
            let debug = format!("{cli:?}");
            assert!(!debug.contains("S3CR3T_VALUE"), "{debug}");
        }
    }
}
