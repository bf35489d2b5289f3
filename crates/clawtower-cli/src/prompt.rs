//! Secrets typed by a user: at a prompt that does not show them on a terminal, else the first
//! line of stdin (piped). Never from the command line, where other users can see them.

use std::io::{BufRead, IsTerminal};

/// Reads a secret after `label` (on a terminal) or from stdin's first line.
pub fn read_secret(label: &str) -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(label).map_err(|e| format!("could not read it: {e}"));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("could not read it from stdin: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
