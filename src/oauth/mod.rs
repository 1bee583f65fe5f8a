//! The OAuth flow: the link the person follows, what comes back, and whether to send it.

pub mod authorize;
pub mod pasted;
pub mod redirect;
pub mod returned;
