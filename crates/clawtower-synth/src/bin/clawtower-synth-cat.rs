//! `clawtower-synth-cat STATE`: the bench's read baseline for a state dir: every transcript
//! byte read once (SQLite `transcript_events` rows, zstd rows decompressed; `.zst` archives
//! decompressed; plain files read) and its newlines counted, on one thread. Prints
//! `<lines> <bytes>`. This is the least work any reader of these bytes must do.

use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::process::ExitCode;

use rusqlite::Connection;

fn count(buf: &[u8], lines: &mut u64, bytes: &mut u64) {
    *lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
    *bytes += buf.len() as u64;
}

fn read_db(path: &Path, lines: &mut u64, bytes: &mut u64) -> rusqlite::Result<()> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt =
        conn.prepare("SELECT event_json, event_zstd, event_utf8_bytes FROM transcript_events")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        match row.get_ref(0)?.as_bytes_or_null()? {
            Some(text) => count(text, lines, bytes),
            None => {
                let z = row.get_ref(1)?.as_blob()?;
                let n = row.get::<_, i64>(2)? as usize;
                out.clear();
                out.resize(n, 0);
                let got = zstd::bulk::decompress_to_buffer(z, &mut out[..])
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                count(&out[..got], lines, bytes);
            }
        }
        *lines += 1; // a row is a line
        *bytes += 1;
    }
    Ok(())
}

fn run(state: &Path) -> io::Result<(u64, u64)> {
    let (mut lines, mut bytes) = (0, 0);
    for agent in fs::read_dir(state.join("agents"))? {
        let agent = agent?.path();
        let db = agent.join("agent/openclaw-agent.sqlite");
        if db.exists() {
            read_db(&db, &mut lines, &mut bytes).map_err(io::Error::other)?;
        }
        for f in fs::read_dir(agent.join("sessions"))? {
            let path = f?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name == "sessions.json" || name.contains(".checkpoint.") {
                continue;
            }
            let mut buf = Vec::new();
            if name.ends_with(".zst") {
                zstd::stream::read::Decoder::new(fs::File::open(&path)?)?.read_to_end(&mut buf)?;
            } else {
                fs::File::open(&path)?.read_to_end(&mut buf)?;
            }
            count(&buf, &mut lines, &mut bytes);
        }
    }
    Ok((lines, bytes))
}

fn main() -> ExitCode {
    let Some(state) = std::env::args_os().nth(1) else {
        eprintln!("usage: clawtower-synth-cat STATE");
        return ExitCode::from(2);
    };
    match run(Path::new(&state)) {
        Ok((lines, bytes)) => {
            println!("{lines} {bytes}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("clawtower-synth-cat: {err}");
            ExitCode::from(1)
        }
    }
}
