//! The hub's notion of "now". Servers read the system clock; tests pin it to
//! a date so that reminders, escalations, timelines and the retention purge
//! can be driven through time. Nothing but a test ever pins it.

use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;

#[derive(Clone, Default)]
pub struct Clock {
    pinned: Arc<RwLock<Option<NaiveDateTime>>>,
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        match self.pinned.read() {
            Ok(pinned) => pinned.unwrap_or_else(|| chrono::Utc::now().naive_utc()),
            Err(_) => chrono::Utc::now().naive_utc(),
        }
    }

    /// Stops the clock at `at` (tests only).
    pub fn pin(&self, at: NaiveDateTime) {
        if let Ok(mut pinned) = self.pinned.write() {
            *pinned = Some(at);
        }
    }

    /// Lets the clock run again (tests only).
    pub fn unpin(&self) {
        if let Ok(mut pinned) = self.pinned.write() {
            *pinned = None;
        }
    }
}
