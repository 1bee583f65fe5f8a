//! What outlives a “Forget”: the count the steps are keyed on, the clock, the owner of the
//! steps on screen, and how their flow hears other tabs.

use crate::backend::backend_url::BackendUrl;
use crate::browser;
use crate::flow::Event;
use leptos::prelude::*;
use std::rc::Rc;

/// How the steps on screen hear what another tab did.
type Hear = Rc<dyn Fn(Event)>;

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
    /// How the steps on screen hear other tabs: their session's flow.
    hear: StoredValue<Option<Hear>, LocalStorage>,
}

impl Page {
    pub fn new() -> Self {
        Self {
            epoch: RwSignal::new(0),
            now_ms: RwSignal::new(browser::now_ms()),
            forget_unrecorded: RwSignal::new(false),
            settled: RwSignal::new(false),
            steps: StoredValue::new_local(None),
            hear: StoredValue::new_local(None),
        }
    }

    /// The steps being built now belong to the current reactive owner; `hear` tells their
    /// flow what another tab did.
    pub fn adopt_steps(self, hear: impl Fn(Event) + 'static) {
        self.steps.set_value(Owner::current());
        self.hear.set_value(Some(Rc::new(hear)));
    }

    /// Rebuilds the steps from storage. The old ones end first: their requests are
    /// abandoned and their effects stop, so nothing of theirs writes to storage again.
    /// (A request in flight keeps its owner alive, so dropping the steps would not do.)
    pub fn rebuild(self) {
        self.hear.set_value(None);
        if let Some(Some(steps)) = self.steps.try_update_value(Option::take) {
            steps.cleanup();
        }
        self.epoch.update(|epoch| *epoch += 1);
    }

    /// Another tab forgot, in `epoch`: the flow on screen compares the epochs.
    pub fn heard_forget(self, epoch: u64) {
        self.tell(Event::ForgottenElsewhere { epoch });
    }

    /// Another tab says Trakt is connected at `backend` now (text from another page: it
    /// must be a backend URL, and the flow decides what it is worth).
    pub fn heard_connected(self, backend: &str) {
        if let Ok(backend) = BackendUrl::parse(backend) {
            self.tell(Event::ConnectedElsewhere { backend });
        }
    }

    fn tell(self, event: Event) {
        if let Some(hear) = self.hear.get_value() {
            hear(event);
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}
