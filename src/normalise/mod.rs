//! Normalising raw items into the model's guarantees: plain-text titles, absolute canonical
//! links, sanitised HTML, XML-safe strings, dates with precision and stable ids.

pub mod date;
