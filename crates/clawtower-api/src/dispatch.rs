//! Calling a command by name with JSON arguments (what `clawtower serve` does for
//! `POST /api/v1/rpc/<command>`), generated from the command list.

use clawtower_core::ErrorCode;
use serde_json::Value;

use crate::{ApiError, Runtime};

macro_rules! define_dispatch {
    ($( $(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ok:ty; )*) => {
        /// Every command's name, in the list's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Every command's name with its argument names (the JSON keys of its arguments), in the
        /// list's order: what a client needs to call it by position.
        pub const COMMAND_ARGS: &[(&str, &[&str])] = &[$((stringify!($name), &[$(stringify!($arg)),*])),*];

        /// Runs `command` with `args` (a JSON object keyed by argument name; `null` for none)
        /// and returns its answer as JSON. An unknown command is `NOT_FOUND`; arguments that do
        /// not fit are `INVALID_INPUT`, saying which.
        pub async fn dispatch(runtime: &Runtime, command: &str, args: Value) -> Result<Value, ApiError> {
            #[allow(unused_imports)]
            use crate::types::*;
            let args = if args.is_null() { Value::Object(Default::default()) } else { args };
            match command {
                $(stringify!($name) => {
                    #[derive(serde::Deserialize)]
                    #[serde(deny_unknown_fields)]
                    struct Args { $($arg: $ty),* }
                    #[allow(unused_variables)]
                    let Args { $($arg),* } = serde_json::from_value(args).map_err(|err| {
                        ApiError::new(
                            ErrorCode::InvalidInput,
                            format!("the arguments of {} do not fit: {err}", stringify!($name)),
                        )
                    })?;
                    let answer: $ok = crate::commands::$name(runtime, $($arg),*).await?;
                    serde_json::to_value(answer).map_err(|err| {
                        ApiError::new(ErrorCode::Internal, format!("answer not serializable: {err}"))
                    })
                })*
                _ => Err(ApiError::new(ErrorCode::NotFound, format!("no command named {command:?}"))),
            }
        }
    };
}

crate::with_commands!(define_dispatch);
