//! Leptos's [`Action`] where the newest request wins, which is what a person clicking
//! twice means. Leptos keeps the last answer to *arrive*; here dispatching abandons the
//! request in flight (its answer is never stored), and so does the cleanup of the owner
//! the action was made under. (A request in flight keeps that owner alive, so “Forget”
//! cleans the old steps' owner up itself: `Page::forget_here`.) The abort handle is kept,
//! not dropped: dropping it aborts too.

use crate::problem::Problem;
use leptos::prelude::*;
use leptos::reactive::actions::ActionAbortHandle;
use std::future::Future;

/// What an action shows: nothing asked yet, an answer on its way, or the last answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T, E = Problem> {
    Idle,
    Busy,
    Ready(T),
    Failed(E),
}

/// An [`Action::new_local`] whose newest dispatch supersedes the older ones.
pub struct Latest<I: 'static, O: 'static> {
    action: Action<I, O>,
    value: MappedSignal<Option<O>>,
    pending: Memo<bool>,
    running: StoredValue<Option<ActionAbortHandle>>,
}

impl<I, O> Clone for Latest<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Latest<I, O> {}

impl<I: 'static, O: 'static> Latest<I, O> {
    /// `run` is called at once on each dispatch (a request it makes outside its `async`
    /// block is on its way before `dispatch` returns); its future's output is the value.
    pub fn new<F, Fu>(run: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = O> + 'static,
    {
        let running = StoredValue::new(None::<ActionAbortHandle>);
        on_cleanup(move || {
            if let Some(Some(older)) = running.try_update_value(Option::take) {
                older.abort();
            }
        });
        let action = Action::new_local(run);
        Self {
            action,
            value: action.value(),
            pending: action.pending(),
            running,
        }
    }

    /// Starts `input`; the request still in flight, if any, is abandoned.
    pub fn dispatch(self, input: I) {
        let handle = self.action.dispatch_local(input);
        if let Some(Some(older)) = self.running.try_update_value(|r| r.replace(handle)) {
            older.abort();
        }
    }

    /// Abandons the request in flight and forgets the last answer.
    pub fn reset(self) {
        if let Some(Some(older)) = self.running.try_update_value(Option::take) {
            older.abort();
        }
        self.action.clear();
    }

    /// Whether an answer is on its way (tracked).
    pub fn pending(self) -> bool {
        self.pending.get()
    }

    pub fn pending_untracked(self) -> bool {
        self.pending.get_untracked()
    }

    /// Whether nothing was asked since the last reset.
    pub fn is_idle_untracked(self) -> bool {
        !self.pending.get_untracked() && self.value.with_untracked(Option::is_none)
    }

    /// The last answer (tracked), `None` before the first one.
    pub fn value(self) -> Option<O>
    where
        O: Clone,
    {
        self.value.get()
    }
}

impl<I: 'static, T: Clone + 'static, E: Clone + 'static> Latest<I, Result<T, E>> {
    /// The action as the page shows it (tracked).
    pub fn load(self) -> Load<T, E> {
        if self.pending() {
            return Load::Busy;
        }
        match self.value() {
            None => Load::Idle,
            Some(Ok(value)) => Load::Ready(value),
            Some(Err(problem)) => Load::Failed(problem),
        }
    }
}
