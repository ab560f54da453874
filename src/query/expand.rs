//! Placeholder until the abbreviation table lands.
use super::build::Syllable;

/// One expansion of part of a query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expansion {
    /// First query syllable covered.
    #[serde(skip)]
    pub start: usize,
    /// Syllables covered.
    #[serde(skip)]
    pub len: usize,
    /// The covered syllables as typed.
    pub from: String,
    /// What it was expanded to.
    pub to: Vec<String>,
    /// The alternatives as syllables.
    #[serde(skip)]
    pub alternatives: Vec<Vec<Syllable>>,
}

/// Expansions for a query's syllables.
pub fn find(_syllables: &[Syllable], _accented: bool) -> Vec<Expansion> {
    Vec::new()
}
