//! What the page's tabs share: a code claimed by exactly one of them (Web Locks), and
//! “Forget” and a new connection told to every other (`BroadcastChannel`).

use super::storage::{names_starting, shared_epoch, storage};
use super::window::{now_ms, window};
use crate::browser::keys::{claim_name, Store, CLAIM_PREFIX, STORAGE_PREFIX};
use crate::flow::ClaimOutcome;
use crate::secrets::secret::AuthCode;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (Web Locks), bound here: web-sys has it only behind its unstable
    /// APIs flag.
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &js_sys::Object,
        callback: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// Claims a returned code for this tab, so that of several tabs holding the same return
/// (a duplicated tab, one opened from this page) exactly one sends it, and a code claimed
/// before is never claimed again.
///
/// With Web Locks the code has a lock of its own, asked for only if no other tab holds it
/// (`ifAvailable`), and a tab that wins keeps it for as long as its page is open: every
/// other tab holding the same return finds it taken (asking a few times, 60 ms apart,
/// since a tab that is only checking, or that storage refuses, lets it go at once).
/// Storage alone could not say so: Chromium shows a tab another tab's write a moment
/// later, so two tabs could each read “no claim” under one lock taken in turn. Under the
/// lock the claim is also read and written in storage, for the tabs that come after this
/// page is gone. Without Web Locks (a page on plain http, not on this machine) the claim
/// is written, left to settle and read back: the last writer wins in every tab alike.
/// Either way a claim that cannot be written is not won: the code is not sent.
///
/// The lock is asked for before this returns, not when the outcome is first awaited.
pub fn claim(code: &AuthCode) -> impl std::future::Future<Output = ClaimOutcome> {
    let name = claim_name(code.secret());
    let first = locks().map(|locks| {
        let asked = ask_lock(&locks, &name);
        (locks, asked)
    });
    async move {
        let Some((locks, mut asked)) = first else {
            return claim_without_locks(&name).await;
        };
        // Held by another tab: one that won keeps it; one still checking storage (or told
        // by it that the claim cannot be recorded) lets it go within moments.
        const TRIES: u32 = 5;
        const HELD_WAIT_MS: i32 = 60;
        for _ in 1..TRIES {
            match lock_outcome(asked).await {
                Some(outcome) => return outcome,
                None => {
                    sleep(HELD_WAIT_MS).await;
                    asked = ask_lock(&locks, &name);
                }
            }
        }
        lock_outcome(asked).await.unwrap_or(ClaimOutcome::Taken)
    }
}

/// The outcome [`ask_lock`] settled on; `None` when another tab held the lock.
async fn lock_outcome(asked: Result<js_sys::Promise, JsValue>) -> Option<ClaimOutcome> {
    let Ok(asked) = asked else {
        return Some(ClaimOutcome::Unavailable);
    };
    match wasm_bindgen_futures::JsFuture::from(asked).await {
        Ok(outcome) => match outcome.as_string().as_deref() {
            Some(HELD) => None,
            name => Some(outcome_from(name)),
        },
        Err(_) => Some(ClaimOutcome::Unavailable),
    }
}

/// Without Web Locks: the claim written, left to settle and read back.
async fn claim_without_locks(name: &str) -> ClaimOutcome {
    const SETTLE_MS: i32 = 150;
    let (outcome, mine) = write_claim(name);
    if outcome != ClaimOutcome::Won {
        return outcome;
    }
    sleep(SETTLE_MS).await;
    let now = storage(Store::Local).and_then(|s| s.get_item(name).ok().flatten());
    if now == mine {
        ClaimOutcome::Won
    } else {
        ClaimOutcome::Taken
    }
}

/// What [`ask_lock`] settles on when another tab holds the lock.
const HELD: &str = "held";

/// Asks for the claim `name`'s own lock unless another tab holds it; the outcome's name
/// (or [`HELD`]) comes in the promise returned, as soon as the claim is settled. A won
/// claim's lock is never let go: the browser lets it go with the page.
fn ask_lock(locks: &LockManager, name: &str) -> Result<js_sys::Promise, JsValue> {
    let mut settle = None;
    let outcome = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    let settle = settle.ok_or(JsValue::UNDEFINED)?;
    let settled = settle.clone();
    let claim = name.to_owned();
    let granted = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            let _ = settled.call1(&JsValue::UNDEFINED, &HELD.into());
            return JsValue::UNDEFINED;
        }
        let claimed = record(&claim);
        let _ = settled.call1(&JsValue::UNDEFINED, &outcome_name(claimed));
        match claimed {
            ClaimOutcome::Won => js_sys::Promise::new(&mut |_, _| {}).into(),
            _ => JsValue::UNDEFINED,
        }
    });
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE)?;
    let requested = locks.request(name, &options, granted.unchecked_ref())?;
    // A request the browser refuses never calls back: the claim is then unavailable.
    let refused = Closure::once(move |_: JsValue| {
        let _ = settle.call1(
            &JsValue::UNDEFINED,
            &outcome_name(ClaimOutcome::Unavailable),
        );
    });
    let _ = requested.catch(&refused);
    // Kept until the request settles, whenever that is: one small closure per request.
    refused.forget();
    Ok(outcome)
}

fn locks() -> Option<LockManager> {
    let locks = js_sys::Reflect::get(&window().navigator(), &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Reads and writes the claim at once (under the lock).
fn record(name: &str) -> ClaimOutcome {
    write_claim(name).0
}

/// Writes the claim unless there is one; the value written, read back.
fn write_claim(name: &str) -> (ClaimOutcome, Option<String>) {
    let Some(shared) = storage(Store::Local) else {
        return (ClaimOutcome::Unavailable, None);
    };
    match shared.get_item(name) {
        Ok(Some(_)) => return (ClaimOutcome::Taken, None),
        Ok(None) => {}
        Err(_) => return (ClaimOutcome::Unavailable, None),
    }
    let mine = format!("{}:{}", now_ms(), js_sys::Math::random());
    if shared.set_item(name, &mine).is_err() {
        return (ClaimOutcome::Unavailable, None);
    }
    match shared.get_item(name) {
        Ok(Some(read)) if read == mine => (ClaimOutcome::Won, Some(mine)),
        _ => (ClaimOutcome::Unavailable, None),
    }
}

fn outcome_name(outcome: ClaimOutcome) -> JsValue {
    match outcome {
        ClaimOutcome::Won => "won",
        ClaimOutcome::Taken => "taken",
        ClaimOutcome::Unavailable => "unavailable",
    }
    .into()
}

fn outcome_from(name: Option<&str>) -> ClaimOutcome {
    match name {
        Some("won") => ClaimOutcome::Won,
        Some("taken") => ClaimOutcome::Taken,
        _ => ClaimOutcome::Unavailable,
    }
}

/// Removes claims older than an hour (codes expire within minutes).
pub fn forget_old_claims() {
    const HOUR_MS: i64 = 3_600_000;
    let Some(shared) = storage(Store::Local) else {
        return;
    };
    let old: Vec<String> = names_starting(&shared, CLAIM_PREFIX)
        .into_iter()
        .filter(|name| {
            let made: Option<i64> = shared
                .get_item(name)
                .ok()
                .flatten()
                .and_then(|value| value.split(':').next()?.parse().ok());
            made.is_none_or(|made| now_ms() - made > HOUR_MS)
        })
        .collect();
    for name in old {
        let _ = shared.remove_item(&name);
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

thread_local! {
    /// Where a tab says it forgot, with its new epoch.
    static FORGET: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new(STORAGE_PREFIX).ok();
    /// Where a tab says Trakt is connected now, at the backend it names.
    static CONNECTED: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new(CONNECTED_CHANNEL).ok();
}

const CONNECTED_CHANNEL: &str = "trakt-helper.connected";

type Channel = std::thread::LocalKey<Option<web_sys::BroadcastChannel>>;

/// Tells every other open tab of this page `text` on `channel`.
fn post(channel: &'static Channel, text: &str) {
    channel.with(|channel| {
        if let Some(channel) = channel {
            let _ = channel.post_message(&JsValue::from_str(text));
        }
    });
}

/// Runs `heard` with each text another tab of this page posts on `channel`, for as long as
/// the page lives. A page of this origin could post any text: each listener says what it
/// is worth.
fn on_text(channel: &'static Channel, heard: impl Fn(String) + 'static) {
    channel.with(|channel| {
        let Some(channel) = channel else {
            return;
        };
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    heard(text);
                }
            });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        listener.forget();
    });
}

/// Tells every other open tab of this page that Trakt is connected at `backend` now.
pub fn broadcast_connected(backend: &str) {
    post(&CONNECTED, backend);
}

/// Runs `heard` with the backend another tab of this page says Trakt is connected at: the
/// flow at most asks the status again, of the backend it is on, with the JWT that may go
/// there.
pub fn on_connected_elsewhere(heard: impl Fn(&str) + 'static) {
    on_text(&CONNECTED, move |backend| heard(&backend));
}

/// Tells every other open tab of this page that “Forget” ran, with its new epoch. The
/// message carries the epoch because another tab may get it before it sees the new epoch
/// in storage.
pub fn broadcast_forget(epoch: u64) {
    post(&FORGET, &epoch.to_string());
}

/// Runs `forget` with the epoch another tab of this page says it forgot in, once this tab
/// sees that epoch in storage: storage reaches other tabs a moment after the message may,
/// and the page rebuilt before then would read back what was forgotten. (The epoch is
/// written after everything is removed, so seeing it means seeing the removals.) A page of
/// this origin could post an epoch too: unless storage holds it, nothing happens.
pub fn on_forget_elsewhere(forget: impl Fn(u64) + 'static) {
    const WAIT_MS: i32 = 25;
    const TRIES: u32 = 80;
    let forget = std::rc::Rc::new(forget);
    on_text(&FORGET, move |text| {
        let Ok(epoch) = text.parse::<u64>() else {
            return;
        };
        let forget = forget.clone();
        wasm_bindgen_futures::spawn_local(async move {
            for _ in 0..TRIES {
                if shared_epoch() == epoch {
                    return forget(epoch);
                }
                sleep(WAIT_MS).await;
            }
        });
    });
}

/// A new Forget epoch: 64 random bits, so no tab can hold it already.
pub fn new_epoch() -> u64 {
    let mut bytes = [0u8; 8];
    let random = window()
        .crypto()
        .ok()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok());
    match random {
        Some(_) => u64::from_le_bytes(bytes),
        // Without a CSPRNG the clock still makes it new.
        None => now_ms() as u64,
    }
}

/// An unguessable value (128 bits from the browser's CSPRNG), in hex.
pub fn nonce() -> Option<String> {
    let mut bytes = [0u8; 16];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
