//! Blocking work (SQLite, fsync, file locks) called from async code without stalling the runtime.

use tokio::runtime::{Handle, RuntimeFlavor};

/// Runs `f`, which blocks, in a way that never stalls other tasks. On a worker thread of a
/// multi-threaded tokio runtime the worker first hands its other tasks to another thread
/// (`block_in_place`: unlike `spawn_blocking` it lets `f` borrow); anywhere else — a plain
/// thread, a `spawn_blocking` thread, a single-threaded runtime (tests) — `f` just runs.
pub fn run<T>(f: impl FnOnce() -> T) -> T {
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    /// On a runtime with a single worker, a task spawned beside blocking work still runs while
    /// that work waits for it: the worker was handed on. Without `run`, the work would wait for
    /// the task forever (here: until the 30 s bound fails the test).
    #[test]
    fn other_tasks_run_while_blocking_work_waits() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let answered = rt.block_on(async {
            tokio::spawn(async {
                let (tx, rx) = mpsc::channel();
                tokio::spawn(async move { tx.send(()).unwrap() });
                super::run(|| rx.recv_timeout(Duration::from_secs(30)).is_ok())
            })
            .await
            .unwrap()
        });
        assert!(answered);
    }

    #[test]
    fn outside_a_runtime_and_on_a_current_thread_runtime_it_just_runs() {
        assert_eq!(super::run(|| 7), 7);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(async { super::run(|| 8) }), 8);
    }
}
