//! What outlives a “Forget”: the count the steps are keyed on, the clock, the owner of the
//! steps on screen and their session, which hears other tabs.

use super::session::Session;
use crate::browser;
use crate::flow::Event;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Page {
    pub epoch: RwSignal<u32>,
    /// The clock, ticking once a second, for countdowns.
    pub now_ms: RwSignal<i64>,
    /// The last Forget could not be recorded in storage (see `storage::forget_all`).
    pub forget_unrecorded: RwSignal<bool>,
    /// The first screen is settled (the status shown, or nothing to ask): the parts load.
    pub settled: RwSignal<bool>,
    steps: StoredValue<Option<Owner>, LocalStorage>,
    on_screen: StoredValue<Option<Session>, LocalStorage>,
}

impl Page {
    pub fn new() -> Self {
        Self {
            epoch: RwSignal::new(0),
            now_ms: RwSignal::new(browser::now_ms()),
            forget_unrecorded: RwSignal::new(false),
            settled: RwSignal::new(false),
            steps: StoredValue::new_local(None),
            on_screen: StoredValue::new_local(None),
        }
    }

    /// The steps being built now belong to the current reactive owner, and show `session`.
    pub fn adopt_steps(self, session: Session) {
        self.steps.set_value(Owner::current());
        self.on_screen.set_value(Some(session));
    }

    /// Rebuilds the steps from storage. The old ones end first: their requests are
    /// abandoned and their effects stop, so nothing of theirs writes to storage again.
    /// (A request in flight keeps its owner alive, so dropping the steps would not do.)
    pub fn rebuild(self) {
        self.on_screen.set_value(None);
        if let Some(Some(steps)) = self.steps.try_update_value(Option::take) {
            steps.cleanup();
        }
        self.epoch.update(|epoch| *epoch += 1);
    }

    /// Another tab forgot, in `epoch`: the flow on screen compares the epochs.
    pub fn heard_forget(self, epoch: u64) {
        if let Some(session) = self.on_screen.get_value() {
            session.send(Event::ForgottenElsewhere { epoch });
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}
