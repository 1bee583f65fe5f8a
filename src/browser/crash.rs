//! A crash made visible instead of a dead page. The notice itself, and its button that
//! clears what the page stored, belong to the start-up script (`start-up.js`): they must
//! work when the wasm has trapped, which code inside the wasm cannot. Here only the panic
//! message is kept, which `panic = "abort"` would otherwise lose before the trap.

/// Logs a panic's message; the trap that follows reaches the start-up script.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        // Secrets are redacted types, so a panic message cannot carry one.
        web_sys::console::error_1(&format!("Trakt helper stopped: {info}").into());
    }));
}
