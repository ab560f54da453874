//! The search engine facade: an opened index, searches with filters, sorting,
//! paging and snippets, and document look-up by id.

use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DateTime, DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use super::build::{self, CompileOptions, Highlight, Reduced, View};
use super::expand::Expansion;
use super::levels::{LevelTopDocs, Probe, Ranked};
use super::prune::{Found, Pruning};
use super::suggest::Suggester;
use super::{parser, snippet};
use crate::document::markup::{self, Markup};
use crate::document::{PartialDate, Record};
use crate::index::schema::{self, names};
use crate::index::stored::StoredDoc;
use crate::index::Fields;
use crate::{Error, Result};

/// How many of the best base matches get the adjacency bonus of long queries (see
/// the bonus of `build::Compiled`).
pub const RERANK_WINDOW: usize = 200;

/// A request's compiled query, with its filters.
struct Prepared {
    query: Box<dyn Query>,
    levels: Vec<Vec<Box<dyn Query>>>,
    bonus: Vec<Box<dyn Query>>,
    highlight: Highlight,
    reduced: Option<Reduced>,
    expanded: Vec<Expansion>,
    /// Which of the search's attempts this is (see [`attempts`]).
    attempt: usize,
}

/// Adds the scores of the `bonus` queries to each of `docs` that they match.
fn add_scores(
    searcher: &Searcher,
    bonus: &[Box<dyn Query>],
    docs: &mut [(f32, DocAddress)],
) -> Result<()> {
    use tantivy::query::EnableScoring;
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = bonus
        .iter()
        .map(|q| q.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| docs.get(i).map(|(_, a)| (a.segment_ord, a.doc_id)));
    let mut current: Option<(u32, Vec<Probe>)> = None;
    for i in order {
        let Some((score, addr)) = docs.get_mut(i) else {
            continue;
        };
        if current
            .as_ref()
            .is_none_or(|(seg, _)| *seg != addr.segment_ord)
        {
            let reader = searcher.segment_reader(addr.segment_ord);
            let probes = weights
                .iter()
                .map(|w| Probe::open(w.as_ref(), reader))
                .collect::<tantivy::Result<Vec<_>>>()?;
            current = Some((addr.segment_ord, probes));
        }
        if let Some((_, probes)) = current.as_mut() {
            // Targets increase within a segment, as probes need.
            *score += probes
                .iter_mut()
                .filter_map(|p| p.score_at(addr.doc_id))
                .sum::<f32>();
        }
    }
    Ok(())
}

/// Filters on metadata; several values of one filter are alternatives (OR),
/// different filters must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Province at the time of issue.
    pub province: Vec<String>,
    /// Province after the 2025 merger.
    pub province_current: Vec<String>,
    /// Level of the issuer (`trung ương`, `tỉnh`, `huyện`, `xã`).
    pub level: Vec<String>,
    /// Commune, ward or special zone of the issuer (`xã Lương Minh`).
    pub commune: Vec<String>,
    /// Theme ids.
    pub theme: Vec<String>,
    /// Document types.
    #[serde(rename = "type")]
    pub doc_type: Vec<String>,
    /// Issuing bodies.
    pub issuer: Vec<String>,
    /// Cited references (any spelling of a document number).
    #[serde(rename = "ref")]
    pub refs: Vec<String>,
    /// Issued on or after (`YYYY-MM-DD`, `DD/MM/YYYY`, `YYYY-MM` or `YYYY`: the
    /// first day it covers; [`PartialDate::parse_lenient`]).
    pub from: Option<String>,
    /// Issued on or before (the same forms; the last day it covers).
    pub to: Option<String>,
    /// Issue years.
    pub year: Vec<u16>,
}

/// Result order. Written, read and serialised as `relevance` (also read from
/// `score`) or `date`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first.
    #[default]
    #[serde(alias = "score")]
    Relevance,
    /// Newest first.
    Date,
}

impl Sort {
    /// `relevance` or `date`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

impl std::fmt::Display for Sort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for Sort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Sort> {
        match s {
            "relevance" | "score" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            other => Err(Error::InvalidParameter {
                name: "sort".into(),
                message: format!("{other:?} is not a sort order; use relevance or date"),
            }),
        }
    }
}

/// How the words of a query must match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Match {
    /// Every word is required.
    All,
    /// Every word is required; when no document has them all, documents with some
    /// of them are ranked instead (the results say `relaxed`).
    #[default]
    Auto,
    /// Documents with every word first, then documents with some of them, up to the
    /// limit (for retrieval runs and evaluation).
    Fill,
}

impl std::str::FromStr for Match {
    type Err = Error;
    fn from_str(s: &str) -> Result<Match> {
        match s {
            "all" => Ok(Match::All),
            "auto" => Ok(Match::Auto),
            "fill" => Ok(Match::Fill),
            other => Err(Error::InvalidParameter {
                name: "match".into(),
                message: format!("{other:?} is not a match mode; use all, auto or fill"),
            }),
        }
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query text (empty: every document matching the filters).
    pub query: String,
    /// Metadata filters.
    pub filters: Filters,
    /// Hits per page (at most [`SearchRequest::MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip (at most [`SearchRequest::MAX_OFFSET`]).
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Snippet fragments per hit (0: no snippet).
    pub fragments: usize,
    /// Also render the snippet as plain text ([`Hit::snippet_text`], what the CLI
    /// prints); the HTML forms are always rendered.
    pub plain_snippets: bool,
    /// How the words must match.
    pub matching: Match,
}

impl SearchRequest {
    /// Most hits one request may ask for.
    pub const MAX_LIMIT: usize = 1_000;
    /// Deepest offset one request may ask for.
    pub const MAX_OFFSET: usize = 100_000;
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            fragments: 1,
            plain_snippets: false,
            matching: Match::Auto,
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title (or, when the document has none, its first line).
    pub title: String,
    /// Own number.
    pub number: Option<String>,
    /// Issue date.
    pub date: Option<String>,
    /// Province at the time of issue.
    pub province: Option<String>,
    /// Province after the 2025 merger.
    pub province_current: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Theme ids, the primary first.
    pub themes: Vec<String>,
    /// The themes' Vietnamese labels, in the same order.
    pub theme_labels: Vec<String>,
    /// Relevance score.
    pub score: f32,
    /// Snippet as HTML: text escaped, matches in `<mark>`, fragments (each with its own ellipses) joined by a space.
    pub snippet: String,
    /// The snippet's fragments, each as HTML.
    pub fragments: Vec<String>,
    /// The snippet as plain text (empty unless the request set
    /// [`SearchRequest::plain_snippets`]).
    #[serde(skip)]
    pub snippet_text: String,
    /// True when the document matches only some of the query's words.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// True when no document has every word and the hits match only some of them.
    pub relaxed: bool,
    /// True when the query was typed with diacritics, no document has that spelling,
    /// and the hits match the words whatever their accents.
    pub accents_ignored: bool,
    /// Set when the query was too long and only its most discriminative syllables
    /// were searched (any of them may match).
    pub reduced: Option<Reduced>,
    /// Abbreviations and full forms searched besides what was typed.
    pub expanded: Vec<Expansion>,
    /// For a query typed without diacritics, its most likely accented spelling in this
    /// corpus (`chuyen doi so` → `chuyển đổi số`), when that differs from what was typed.
    pub suggestion: Option<String>,
}

/// A stored document: its record and where it came from (the answer of
/// `GET /api/documents/{id}`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DocumentResponse)]
pub struct StoredDocument {
    /// Document id.
    pub id: String,
    /// Source path or URL.
    pub source: String,
    /// Everything extracted, and the text.
    #[serde(flatten)]
    pub record: Record,
    /// Markdown layout in the text (`**`, table bars, rules) as byte spans with
    /// what a reader sees instead ([`crate::document::markup`]): a page shows the
    /// text with these applied, and citation spans still point into `text`.
    pub markup: Vec<Markup>,
}

/// An opened index, ready to search. Cheap to share behind an `Arc`; picks up new
/// commits automatically.
///
/// ```
/// use kehoach::index::{self, IngestOptions, NoProgress};
/// use kehoach::query::{Engine, SearchRequest};
///
/// let dir = tempfile::tempdir()?;
/// let corpus = dir.path().join("corpus");
/// std::fs::create_dir(&corpus)?;
/// std::fs::write(
///     corpus.join("kh-136.txt"),
///     "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG\nSố: 136/KH-UBND\nKiên Giang, ngày 3 tháng 8 năm 2020\n\
///      KẾ HOẠCH\nChuyển đổi số tỉnh Kiên Giang năm 2020\n\
///      Căn cứ Nghị quyết số 52-NQ/TW, Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số.",
/// )?;
/// std::fs::write(corpus.join("other.txt"), "Kế hoạch phòng chống thiên tai năm 2021.")?;
/// let index_dir = dir.path().join("index");
/// index::ingest(&index_dir, &[corpus], &IngestOptions::default(), &NoProgress)?;
///
/// let engine = Engine::open(&index_dir)?;
/// // Typed without accents, found with them; by its number too.
/// for query in ["chuyen doi so", "136/KH-UBND"] {
///     let found = engine.search(&SearchRequest { query: query.into(), ..SearchRequest::default() })?;
///     assert_eq!(found.total, 1, "{query}");
///     assert_eq!(found.hits[0].number.as_deref(), Some("136/KH-UBND"));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    facet_tables: std::sync::Arc<super::facets::TableCache>,
    facet_counts: FacetCountCache,
    /// Pages ranked among their search's essential matches only (`prune.rs`).
    pruned_pages: std::sync::atomic::AtomicU64,
    suggester: Suggester,
    /// The doc store reader of each segment, for hits. They keep no decompressed
    /// blocks: the hits of a page seldom share one (3.5 % of the blocks tantivy's
    /// own cache of 100 served on the VNTC load queries).
    stores: super::cache::PerSegment<tantivy::store::StoreReader>,
}

/// Facet counts kept per (index version, what matches): see
/// [`Engine::search_with_facets`].
type FacetCountCache = super::cache::Lru<(u64, String), Counted>;

/// What a search matched, kept per search: its facet counts and its total; the
/// least page end (`offset + limit`) whose page could not be ranked among its
/// essential matches alone (see `prune.rs`), so that it is not tried again; and
/// those essential matches, once found.
#[derive(Clone)]
struct Counted {
    facets: std::sync::Arc<super::facets::FacetCounts>,
    total: usize,
    unsettled: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    essential: Found,
}

impl super::cache::Weigh for Counted {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.facets.weight() + self.essential.weight()
    }
}

/// Searches whose facet counts are kept.
const FACET_COUNT_ENTRIES: usize = 256;
/// Bytes of facet counts kept.
const FACET_COUNT_BYTES: usize = 8 << 20;

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn invalid(name: &str, message: impl Into<String>) -> Error {
    Error::InvalidParameter {
        name: name.into(),
        message: message.into(),
    }
}

/// Parses a filter date ([`PartialDate::parse_lenient`]): the first day it covers,
/// or with `end` the last (`to=2020` ends on 2020-12-31, `to=2020-02` on
/// 2020-02-29).
fn filter_date(name: &str, s: &str, end: bool) -> Result<DateTime> {
    let d = PartialDate::parse_lenient(s).map_err(|e| invalid(name, e.to_string()))?;
    Ok(schema::date_time(if end { d.last_day() } else { d }))
}

impl Engine {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Engine> {
        let index = crate::index::open(dir)?;
        Engine::from_index(index, dir)
    }

    /// Wraps an already opened index (tokenizers must be registered).
    pub fn from_index(index: Index, dir: &Path) -> Result<Engine> {
        let fields = crate::index::fields(&index, dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Engine {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
            facet_tables: Default::default(),
            facet_counts: FacetCountCache::new(FACET_COUNT_ENTRIES, FACET_COUNT_BYTES),
            pruned_pages: Default::default(),
            suggester: Suggester::new(),
            stores: Default::default(),
        })
    }

    /// A facet collector sharing this engine's per-segment facet tables (built once
    /// per segment; tables of segments gone since the last commit are dropped).
    pub fn facet_collector(&self, max_buckets: usize) -> super::facets::FacetCollector {
        self.facet_tables.retain(&self.searcher());
        super::facets::FacetCollector::with_tables(
            max_buckets,
            std::sync::Arc::clone(&self.facet_tables),
        )
    }

    /// [`Engine::search`] with the counts of the facet values of every match
    /// (at most `max_buckets` values per facet). The counts depend only on what
    /// matches — the query, how its words must match and the filters — not on
    /// the page, its size or the order, so they are kept per index version in a
    /// bounded cache (256 searches, 8 MiB; listed by [`Engine::cache_usage`]): the next
    /// page of a search, or the same search again, counts nothing, and ranks only
    /// the matches that can reach its page (`prune.rs`; the page is the same).
    pub fn search_with_facets(
        &self,
        req: &SearchRequest,
        max_buckets: usize,
    ) -> Result<(SearchResults, std::sync::Arc<super::facets::FacetCounts>)> {
        let key = (
            self.version(),
            format!(
                "{max_buckets}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
                req.query, req.matching, req.filters
            ),
        );
        if let Some(known) = self.facet_counts.get(&key) {
            let before = known.essential.weight();
            let (results, _) =
                self.search_known(req, None::<super::facets::FacetCollector>, Some(&known))?;
            let facets = std::sync::Arc::clone(&known.facets);
            if known.essential.weight() != before {
                // Essential matches were found and kept: weigh the entry again.
                self.facet_counts.put(key, known);
            }
            return Ok((results, facets));
        }
        let (results, counts) = self.search_with(req, self.facet_collector(max_buckets))?;
        let counts = std::sync::Arc::new(counts);
        let known = Counted {
            facets: std::sync::Arc::clone(&counts),
            total: results.total,
            unsettled: std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(usize::MAX)),
            essential: Found::default(),
        };
        self.facet_counts.put(key, known);
        Ok((results, counts))
    }

    /// How many pages were ranked among their search's essential matches only,
    /// since the engine opened (see [`Engine::search_with_facets`]).
    pub fn pruned_pages(&self) -> u64 {
        self.pruned_pages.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the latest commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Makes the latest commit visible now (instead of shortly after it lands).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// The version of the index's contents: equal for two searchers over the same
    /// segments and deletions, whatever their generation (a reload that changes nothing
    /// keeps it), different after a commit that changes anything. Keys response caches.
    pub fn version(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for r in self.searcher().segment_readers() {
            r.segment_id().hash(&mut h);
            r.num_deleted_docs().hash(&mut h);
        }
        h.finish()
    }

    /// The engine's own caches (facet tables, accent restoration), for `/healthz`.
    pub fn cache_usage(&self) -> Vec<super::CacheUsage> {
        let mut out = vec![
            self.facet_tables.usage(),
            self.facet_counts.usage(
                "facet counts",
                "per search (query, matching, filters) of the current index, not per page, \
                 with its total and the matches its page can be ranked among",
            ),
        ];
        out.extend(self.suggester.usage());
        out
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Builds the query (text and filters) of a request, with what to highlight.
    pub fn build_query(&self, req: &SearchRequest) -> Result<(Box<dyn Query>, Highlight)> {
        let parsed = parser::parse(&req.query)?;
        let p = self.compile(
            &self.searcher(),
            &parsed,
            &self.filter_queries(&req.filters)?,
            &CompileOptions::for_text(&req.query),
        )?;
        Ok((p.query, p.highlight))
    }

    fn filter_queries(&self, f: &Filters) -> Result<Vec<Box<dyn Query>>> {
        let searcher = self.searcher();
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let fl = &self.fields;
        let facets = [
            (fl.province, &f.province),
            (fl.province_current, &f.province_current),
            (fl.level, &f.level),
            (fl.commune, &f.commune),
            (fl.themes, &f.theme),
            (fl.doc_type, &f.doc_type),
            (fl.issuer, &f.issuer),
        ];
        for (field, values) in facets {
            if values.is_empty() {
                continue;
            }
            let terms = values
                .iter()
                .map(|v| resolve_facet_value(&searcher, field, v))
                .collect::<Result<Vec<_>>>()?;
            out.push(any_of(field, &terms));
        }
        if !f.refs.is_empty() {
            let keys: Vec<String> = f
                .refs
                .iter()
                .map(|r| crate::document::references::fold_number(r))
                .collect();
            out.push(any_of(fl.refs, &keys));
        }
        if !f.year.is_empty() {
            let subs = f
                .year
                .iter()
                .map(|&y| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_u64(fl.year, u64::from(y)),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            out.push(Box::new(BooleanQuery::new(subs)));
        }
        if f.from.is_some() || f.to.is_some() {
            let lower = match &f.from {
                Some(s) => Bound::Included(Term::from_field_date_for_search(
                    fl.date,
                    filter_date("from", s, false)?,
                )),
                None => Bound::Unbounded,
            };
            let upper = match &f.to {
                Some(s) => Bound::Included(Term::from_field_date_for_search(
                    fl.date,
                    filter_date("to", s, true)?,
                )),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        Ok(out)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(self
            .search_with(req, None::<super::facets::FacetCollector>)?
            .0)
    }

    /// Runs a search and, in the same pass over the matching documents, `extra`
    /// (e.g. facet counts). With [`Match::Auto`], a query whose words never all
    /// occur together is run again matching any word (`relaxed` in the results);
    /// with [`Match::Fill`], partial matches follow the full ones up to the limit.
    pub fn search_with<C: Collector + Clone>(
        &self,
        req: &SearchRequest,
        extra: C,
    ) -> Result<(SearchResults, C::Fruit)> {
        self.search_known(req, extra, None)
    }

    /// [`Engine::search_with`], what the request matches already `known` (its
    /// total, kept with its facet counts): the page may then be ranked among fewer
    /// documents (see [`Engine::collect`]), and `extra` is not wanted.
    fn search_known<C: Collector + Clone>(
        &self,
        req: &SearchRequest,
        extra: C,
        known: Option<&Counted>,
    ) -> Result<(SearchResults, C::Fruit)> {
        check_page(req)?;
        // With `Fill`, the total counts partial matches too: not this query's.
        let known = known.filter(|_| req.matching != Match::Fill);
        let parsed = parser::parse(&req.query)?;
        let searcher = self.searcher();
        let typed = View::of(&req.query);
        let suggestion = self.suggestion(&searcher, &parsed, &req.query)?;
        let attempts = attempts(typed, req.matching, parsed.positive_clauses());
        let opts = |(view, any): (View, bool)| CompileOptions {
            view,
            any,
            suggestion: suggestion.as_ref().map(|(s, _)| s.clone()),
        };
        // Filters are resolved once (a loosely spelled facet value may scan its terms).
        let filters = self.filter_queries(&req.filters)?;
        let mut chosen = None;
        for (k, attempt) in attempts.iter().enumerate() {
            let mut prepared = self.compile(&searcher, &parsed, &filters, &opts(*attempt))?;
            prepared.attempt = k;
            let (total, page, fruit) = self.collect(
                &searcher,
                &prepared,
                req,
                (req.offset, req.limit),
                extra.clone(),
                known,
            )?;
            let last = k + 1 == attempts.len();
            // A reduced query already matches any of its words.
            if total > 0 || last || prepared.reduced.is_some() {
                chosen = Some((*attempt, prepared, total, page, fruit));
                break;
            }
        }
        let Some(((view, any), prepared, mut total, page, fruit)) = chosen else {
            return Err(Error::Query {
                position: 0,
                message: "the query has no word to search for".into(),
            });
        };
        let mut partial_from = any.then_some(0);
        let page = if !any
            && prepared.reduced.is_none()
            && req.matching == Match::Fill
            && parsed.positive_clauses() >= 2
            && page.len() < req.limit
        {
            // Fill the page with partial matches after the full ones.
            let partial_query = self.compile(&searcher, &parsed, &filters, &opts((view, true)))?;
            let want = req.offset + req.limit;
            let (t, more, _) = self.collect(
                &searcher,
                &partial_query,
                req,
                (0, want),
                None::<Count>,
                None,
            )?;
            partial_from = Some(page.len());
            let page = fill_page(req, page, total, more);
            total = t.max(total);
            page
        } else {
            page
        };
        let page = if req.limit == 0 { Vec::new() } else { page };
        let hits = page
            .into_iter()
            .enumerate()
            .map(|(i, (score, addr))| {
                let mut h = self.hit(&searcher, addr, score, &prepared.highlight, req)?;
                h.partial = partial_from.is_some_and(|p| i >= p);
                Ok(h)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((
            SearchResults {
                total,
                hits,
                relaxed: any,
                accents_ignored: view != typed,
                reduced: prepared.reduced,
                expanded: prepared.expanded,
                suggestion: suggestion.map(|(_, text)| text),
            },
            fruit,
        ))
    }

    /// The options a search of `text` compiles with first: the view its accents ask
    /// for, every word required, and for an unaccented query the likeliest accented
    /// spelling in this corpus (what [`Engine::search`] uses; for checking rankings).
    pub fn options(&self, text: &str) -> Result<CompileOptions> {
        let parsed = parser::parse(text)?;
        let suggestion = self.suggestion(&self.searcher(), &parsed, text)?;
        Ok(CompileOptions {
            suggestion: suggestion.map(|(s, _)| s),
            ..CompileOptions::for_text(text)
        })
    }

    /// The most likely accented spelling of a query typed without diacritics, as
    /// syllables (aligned with the query's words and phrases) and as the query text
    /// with those syllables replaced; `None` when the query has diacritics,
    /// alternatives or exclusions, or nothing to restore.
    fn suggestion(
        &self,
        searcher: &Searcher,
        parsed: &parser::ParsedQuery,
        text: &str,
    ) -> Result<Option<(Vec<String>, String)>> {
        let structured = parsed
            .clauses
            .iter()
            .any(|c| matches!(c, parser::Clause::Or(_) | parser::Clause::Not(_)));
        if structured || View::of(text) != View::Folded {
            return Ok(None);
        }
        let syls = super::syllables::syllables(text);
        let folded: Vec<&str> = syls.iter().map(|s| s.1.as_str()).collect();
        if folded.is_empty() {
            return Ok(None);
        }
        let Some(accented) = self.suggester.suggest(searcher, &self.fields, &folded)? else {
            return Ok(None);
        };
        if accented.len() != folded.len() || accented.iter().zip(&folded).all(|(a, f)| a == f) {
            return Ok(None);
        }
        // The query text with each syllable's span replaced (the first token of each
        // position carries the span).
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        let mut last_pos = usize::MAX;
        let mut k = 0;
        for t in crate::analysis::analyze(text) {
            if t.position == last_pos {
                continue;
            }
            last_pos = t.position;
            let Some(a) = accented.get(k) else { break };
            k += 1;
            out.push_str(&text[at..t.start]);
            if *a == t.folded {
                out.push_str(&text[t.start..t.end]);
            } else {
                out.push_str(a);
            }
            at = t.end;
        }
        out.push_str(&text[at..]);
        Ok(Some((accented, out)))
    }

    /// The query (with its filters), ranking levels, adjacency bonus, what to
    /// highlight, and what was reduced or expanded.
    fn compile(
        &self,
        searcher: &Searcher,
        parsed: &parser::ParsedQuery,
        filters: &[Box<dyn Query>],
        opts: &CompileOptions,
    ) -> Result<Prepared> {
        let compiled = build::compile(parsed, searcher, &self.fields, opts)?;
        let (text_query, levels, bonus, highlight, reduced, expanded) = match compiled {
            Some(c) => (
                Some(c.query),
                c.levels,
                c.bonus,
                c.highlight,
                c.reduced,
                c.expanded,
            ),
            None => (
                None,
                Vec::new(),
                Vec::new(),
                Highlight::default(),
                None,
                Vec::new(),
            ),
        };
        let query: Box<dyn Query> = if filters.is_empty() {
            text_query.unwrap_or_else(|| Box::new(AllQuery))
        } else {
            let mut subs: Vec<(Occur, Box<dyn Query>)> = filters
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect();
            if let Some(q) = text_query {
                subs.push((Occur::Must, q));
            }
            Box::new(BooleanQuery::new(subs))
        };
        Ok(Prepared {
            query,
            levels,
            bonus,
            highlight,
            reduced,
            expanded,
            attempt: 0,
        })
    }

    /// Runs a prepared query: total count, one page in the request's order, and
    /// `extra`. By relevance, documents are ranked by their level first (see
    /// [`build::Compiled::levels`]); without levels, the best [`RERANK_WINDOW`] base
    /// matches (at least the page) get the bonus query's score added before the page
    /// is cut: the bonus changes the order of good matches, never what matches.
    ///
    /// With what this query matches `known` (when it matches anything), a ranking by
    /// level without bonus is first collected among the essential matches
    /// ([`Pruning`]); when that settles the page, `extra` runs over no document.
    #[allow(clippy::type_complexity)]
    fn collect<C: Collector>(
        &self,
        searcher: &Searcher,
        p: &Prepared,
        req: &SearchRequest,
        (offset, limit): (usize, usize),
        extra: C,
        known: Option<&Counted>,
    ) -> Result<(usize, Vec<(f32, DocAddress)>, C::Fruit)> {
        let query = &*p.query;
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        Ok(match req.sort {
            Sort::Relevance if !p.levels.is_empty() => {
                use tantivy::query::EnableScoring;
                let scoring = EnableScoring::enabled_from_searcher(searcher);
                let weights = || {
                    p.levels
                        .iter()
                        .map(|alternatives| {
                            alternatives
                                .iter()
                                .map(|q| q.weight(scoring))
                                .collect::<tantivy::Result<Vec<_>>>()
                        })
                        .collect::<tantivy::Result<Vec<_>>>()
                };
                let want = offset + limit.max(1);
                let cut = |docs: Vec<Ranked>| -> Vec<(f32, DocAddress)> {
                    docs.into_iter()
                        .skip(offset)
                        .take(limit.max(1))
                        .map(|r| (r.score, r.address))
                        .collect()
                };
                use std::sync::atomic::Ordering::Relaxed;
                let known =
                    known.filter(|k| p.bonus.is_empty() && want < k.unsettled.load(Relaxed));
                if let Some(known) = known {
                    if let Some(page) = self.pruned_page(searcher, p, want, weights()?, known)? {
                        let fruit = searcher.search(&EmptyQuery, &extra)?;
                        self.pruned_pages.fetch_add(1, Relaxed);
                        return Ok((known.total, cut(page), fruit));
                    }
                }
                let weights = weights()?;
                let window = if !p.bonus.is_empty() {
                    want.max(RERANK_WINDOW)
                } else {
                    want
                };
                let best = LevelTopDocs::new(window, weights);
                let (total, mut docs, fruit) = searcher.search(query, &(Count, best, extra))?;
                // Not tried again for this page end or a later one, unless this was an
                // attempt matching nothing (an accented query before its folded one).
                if let Some(known) = known.filter(|_| total > 0) {
                    known.unsettled.fetch_min(want, Relaxed);
                }
                if !p.bonus.is_empty() {
                    let bonus = &p.bonus;
                    // Within its level, a match's bonus counts (best matches only).
                    let mut scored: Vec<(f32, DocAddress)> =
                        docs.iter().map(|r| (r.score, r.address)).collect();
                    add_scores(searcher, bonus, &mut scored)?;
                    for (r, (s, _)) in docs.iter_mut().zip(&scored) {
                        r.score = *s;
                    }
                    docs.sort_by(Ranked::cmp_best_first);
                }
                (total, cut(docs), fruit)
            }
            Sort::Relevance => match p.bonus.as_slice() {
                [] => searcher.search(query, &(Count, top.order_by_score(), extra))?,
                bonus => {
                    let window = (offset + limit.max(1)).max(RERANK_WINDOW);
                    let best = TopDocs::with_limit(window).order_by_score();
                    let (total, mut docs, fruit) = searcher.search(query, &(Count, best, extra))?;
                    add_scores(searcher, bonus, &mut docs)?;
                    docs.sort_by(|a, b| {
                        b.0.total_cmp(&a.0)
                            .then_with(|| a.1.segment_ord.cmp(&b.1.segment_ord))
                            .then_with(|| a.1.doc_id.cmp(&b.1.doc_id))
                    });
                    let page = docs.into_iter().skip(offset).take(limit.max(1)).collect();
                    (total, page, fruit)
                }
            },
            Sort::Date => {
                let (total, by_date, fruit) = searcher.search(
                    query,
                    &(
                        Count,
                        top.order_by_fast_field::<DateTime>(names::DATE, Order::Desc),
                        extra,
                    ),
                )?;
                (
                    total,
                    by_date.into_iter().map(|(_, a)| (0.0, a)).collect(),
                    fruit,
                )
            }
        })
    }

    /// The best `want` documents of `p` by (level, score) when they can be found
    /// among its essential matches alone ([`Pruning`]); `None` when they cannot
    /// (then every match must be ranked).
    fn pruned_page(
        &self,
        searcher: &Searcher,
        p: &Prepared,
        want: usize,
        levels: Vec<Vec<Box<dyn tantivy::query::Weight>>>,
        known: &Counted,
    ) -> Result<Option<Vec<Ranked>>> {
        let f = &self.fields;
        let body = [f.body, f.body_folded, f.body_pairs, f.body_folded_pairs];
        let found = (&known.essential, p.attempt);
        let Some(pruning) = Pruning::plan(searcher, &body, p.query.as_ref(), &p.levels, found)?
        else {
            return Ok(None);
        };
        let docs = searcher.search(pruning.query(), &LevelTopDocs::new(want, levels))?;
        let settled = docs.len() == want && docs.last().is_some_and(|w| pruning.settles(w));
        Ok(settled.then_some(docs))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        hl: &Highlight,
        req: &SearchRequest,
    ) -> Result<Hit> {
        let fragments = req.fragments;
        let segment = searcher.segment_reader(addr.segment_ord);
        let store = self.stores.get_or_build(segment, || {
            self.stores.retain(searcher);
            Ok(segment.get_store_reader(0)?)
        })?;
        let doc = StoredDoc::read(&store, addr.doc_id)?;
        let f = &self.fields;
        let body = doc.text(f.text).unwrap_or_default();
        let meta: HitMeta = doc
            .text(f.meta)
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default();
        let title = meta.title.clone().unwrap_or_else(|| first_line(body));
        let stored = doc
            .bytes(f.syllables)
            .zip(doc.bytes(f.spans))
            .map(|(stream, spans)| snippet::Stored { stream, spans });
        let frags = if fragments > 0 {
            snippet::fragments(body, stored, hl, fragments, snippet::DEFAULT_WIDTH)
        } else {
            Vec::new()
        };
        let html: Vec<String> = frags.iter().map(|fr| snippet::to_html(body, fr)).collect();
        let plain: Vec<String> = if req.plain_snippets {
            frags
                .iter()
                .map(|fr| snippet::to_plain(body, fr, "", ""))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Hit {
            id: doc.text(f.id).unwrap_or_default().to_string(),
            title,
            number: meta.number,
            date: meta.date.map(|d| d.to_string()),
            province: meta.province,
            province_current: meta.province_current,
            doc_type: meta.doc_type,
            issuer: meta.issuer,
            theme_labels: meta
                .themes
                .iter()
                .map(|t| {
                    if t.label.is_empty() {
                        crate::document::builtin_theme_label(&t.id)
                            .unwrap_or_default()
                            .to_string()
                    } else {
                        t.label.clone()
                    }
                })
                .collect(),
            themes: meta.themes.into_iter().map(|t| t.id).collect(),
            score,
            snippet: html.join(" "),
            fragments: html,
            snippet_text: plain.join(" "),
            partial: false,
        })
    }

    /// Looks a document up by id.
    pub fn document(&self, id: &str) -> Result<StoredDocument> {
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Err(Error::NotFound(id.to_string()));
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        let mut record: Record = text(f.meta)
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default();
        record.text = text(f.text).unwrap_or_default();
        Ok(StoredDocument {
            id: id.to_string(),
            source: text(f.source).unwrap_or_default(),
            markup: markup::layout(&record.text),
            record,
        })
    }
}

/// Rejects a page beyond [`SearchRequest::MAX_LIMIT`] or [`SearchRequest::MAX_OFFSET`].
fn check_page(req: &SearchRequest) -> Result<()> {
    if req.limit > SearchRequest::MAX_LIMIT {
        return Err(invalid(
            "limit",
            format!(
                "{} is too large; at most {}",
                req.limit,
                SearchRequest::MAX_LIMIT
            ),
        ));
    }
    if req.offset > SearchRequest::MAX_OFFSET {
        return Err(invalid(
            "offset",
            format!(
                "{} is too large; at most {}",
                req.offset,
                SearchRequest::MAX_OFFSET
            ),
        ));
    }
    Ok(())
}

/// The (view, any word) attempts of a search, in order; the first that finds
/// something wins.
fn attempts(typed: View, matching: Match, positive_clauses: usize) -> Vec<(View, bool)> {
    // Attempts in order, the first that finds something wins: the view typed with
    // every word; the folded view when accents were typed; then (unless every word
    // is demanded) any word, in the same two views.
    let mut attempts = vec![(typed, false)];
    if typed == View::Accented {
        attempts.push((View::Folded, false));
    }
    if matching != Match::All && positive_clauses >= 2 {
        attempts.push((typed, true));
        if typed == View::Accented {
            attempts.push((View::Folded, true));
        }
    }
    attempts
}

/// Fills a `page` of full matches (`total` of them) with the partial matches `more`
/// (the first `offset + limit`, full ones among them), up to the limit: those the
/// offset leaves, below the full ones.
fn fill_page(
    req: &SearchRequest,
    mut page: Vec<(f32, DocAddress)>,
    total: usize,
    more: Vec<(f32, DocAddress)>,
) -> Vec<(f32, DocAddress)> {
    let full: std::collections::HashSet<DocAddress> = page.iter().map(|(_, a)| *a).collect();
    let skip_partial = req.offset.saturating_sub(total);
    let mut partial: Vec<(f32, DocAddress)> = more
        .into_iter()
        .filter(|(_, a)| !full.contains(a))
        .skip(skip_partial)
        .take(req.limit.saturating_sub(page.len()))
        .collect();
    // Partial matches rank below full ones: scale their scores under the last
    // full match's, keeping their order.
    let floor = page.iter().map(|(s, _)| *s).fold(f32::INFINITY, f32::min);
    let top = partial.first().map_or(0.0, |(s, _)| *s);
    if req.sort == Sort::Relevance && floor.is_finite() && top >= floor && top > 0.0 {
        let k = 0.99 * floor / top;
        partial.iter_mut().for_each(|(s, _)| *s *= k);
    }
    page.extend(partial);
    page
}

fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    let subs = values
        .iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(subs))
}

/// Finds the indexed value of a facet field that a user meant: the exact value if
/// indexed, else one equal up to case and accents ("kien giang" → "Kiên Giang").
pub fn resolve_facet_value(searcher: &Searcher, field: Field, value: &str) -> Result<String> {
    let value = value.trim();
    let term = Term::from_field_text(field, value);
    if searcher.doc_freq(&term)? > 0 {
        return Ok(value.to_string());
    }
    let want = crate::analysis::fold(value);
    let want: Vec<&str> = want.split_whitespace().collect();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv.terms().stream().map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                let f = crate::analysis::fold(s);
                if f.split_whitespace().eq(want.iter().copied()) {
                    return Ok(s.to_string());
                }
            }
        }
    }
    Ok(value.to_string())
}

/// The title shown for a document that has none: its first line that reads like
/// a headline, at most 200 characters. Lines that are layout, not words, are
/// skipped: table rows and rules (`| BỘ XÂY DỰNG ------- |`, `|---|`), gazette
/// mastheads (`CÔNG BÁO/Số 295 + 296/Ngày 22-3-2020`), page numbers, the motto
/// (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`), number and
/// place–date lines. Empty when no line qualifies (the page then shows the number
/// or the id).
pub(crate) fn first_line(body: &str) -> String {
    body.lines()
        .map(str::trim)
        .find(|l| reads_like_a_headline(l))
        .map(|l| l.chars().take(200).collect())
        .unwrap_or_default()
}

fn reads_like_a_headline(line: &str) -> bool {
    if line.is_empty() || line.starts_with('|') || line.contains("---") || line.contains("___") {
        return false;
    }
    let folded = crate::analysis::fold(line);
    let words = folded.split_whitespace().count();
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    let layout = [
        "cong bao",
        "cong hoa xa hoi chu nghia viet nam",
        "doc lap - tu do",
        "so:",
        "so :",
        "kinh gui",
    ];
    words >= 2
        && letters * 2 >= line.chars().count()
        && !layout.iter().any(|p| folded.starts_with(p))
        && !is_place_date_line(&folded)
}

/// `Hà Nội, ngày 15 tháng 11 năm 2013` and the like, folded.
fn is_place_date_line(folded: &str) -> bool {
    folded.split_once(',').is_some_and(|(place, rest)| {
        place.split_whitespace().count() <= 5 && rest.trim_start().starts_with("ngay")
    })
}

/// What a hit shows of a document's stored record: read instead of the whole
/// [`Record`] (its citations, with their sentences, and the themes' evidence are
/// not parsed for every hit).
#[derive(Debug, Default, serde::Deserialize)]
struct HitMeta {
    number: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    date: Option<crate::document::PartialDate>,
    title: Option<String>,
    issuer: Option<String>,
    province: Option<String>,
    province_current: Option<String>,
    #[serde(default)]
    themes: Vec<HitTheme>,
}

/// A theme of a [`HitMeta`].
#[derive(Debug, Default, serde::Deserialize)]
struct HitTheme {
    id: String,
    #[serde(default)]
    label: String,
}

#[cfg(test)]
mod tests {
    use super::first_line;

    #[test]
    fn the_fallback_title_skips_layout_lines() {
        for (body, title) in [
            (
                "| BỘ XÂY DỰNG ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n| Số: 2428/BXD-QLN | Hà Nội, ngày 15 tháng 11 năm 2013 |\n\nKính gửi: Ủy ban nhân dân các tỉnh\n\nThực hiện Quyết định số 22/2013/QĐ-TTg về hỗ trợ nhà ở",
                "Thực hiện Quyết định số 22/2013/QĐ-TTg về hỗ trợ nhà ở",
            ),
            (
                "CÔNG BÁO/Số 295 + 296/Ngày 22-3-2020\n41\n\nVĂN BẢN HỢP NHẤT - BỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "VĂN BẢN HỢP NHẤT - BỘ TÀI CHÍNH",
            ),
            ("Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 3 tháng 8 năm 2020\nSố: 12/KH\n", ""),
            ("Tin nhanh: tỉnh ban hành kế hoạch chuyển đổi số\nNội dung", "Tin nhanh: tỉnh ban hành kế hoạch chuyển đổi số"),
        ] {
            assert_eq!(first_line(body), title, "{body:?}");
        }
    }
}
