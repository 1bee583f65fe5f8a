//! The person's credentials: what a JWT says, and the secrets that must never show.

pub mod jwt;
pub mod secret;
