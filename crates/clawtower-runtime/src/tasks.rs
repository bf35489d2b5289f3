//! The runtime's background tasks: spawned on its tokio runtime, aborted together when it stops.

use std::future::Future;
use std::sync::Mutex;

use tokio::runtime::Handle;
use tokio::task::AbortHandle;

/// Tasks that run as long as the runtime; aborted when it is dropped.
pub(crate) struct Tasks {
    tokio: Handle,
    running: Mutex<Vec<AbortHandle>>,
}

impl Tasks {
    pub(crate) fn new(tokio: Handle) -> Self {
        Tasks {
            tokio,
            running: Mutex::default(),
        }
    }

    /// Spawns `task` for the runtime's lifetime.
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let handle = self.tokio.spawn(task).abort_handle();
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(handle);
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in self
            .running
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }
}
