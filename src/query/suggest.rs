//! Placeholder until the suggester lands.
use crate::index::Fields;
use crate::Result;

/// Restores diacritics of unaccented queries.
#[derive(Debug, Default)]
pub struct Suggester;

impl Suggester {
    /// A suggester.
    pub fn new() -> Suggester {
        Suggester
    }
    /// The most likely accented syllables for `folded`.
    pub fn suggest(
        &self,
        _searcher: &tantivy::Searcher,
        _fields: &Fields,
        _folded: &[&str],
    ) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
}
