//! The secrets the page handles: what a JWT says, and the redacted newtypes that must never show.

pub mod jwt;
pub mod secret;
