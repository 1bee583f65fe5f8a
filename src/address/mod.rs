//! What an address means: the WHATWG URL standard, and the page's strict policy over it.

pub mod url_parts;
pub mod whatwg;
