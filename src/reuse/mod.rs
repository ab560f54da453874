//! Text reuse: which document copied which, passage by passage, and what each
//! copy changed.
//!
//! Plans are written by copying: a department's plan copies the province's, which
//! copies the ministry's. [`align`] finds the passages two texts share — verbatim,
//! or with numbers, dates, places and words edited, words inserted or deleted,
//! sentences reordered — as byte spans into both texts, with the edits classified
//! ([`EditKind`]). Over an index, [`Reuse`] finds for a document the others that
//! share passages with it (candidates from a fingerprint index of the corpus,
//! [`corpus`]), aligns them, says which is the source ([`Direction`], [`Rule`]) and
//! how much of the document is reused.
//!
//! ```
//! use kehoach::reuse::{align, AlignOptions, EditKind};
//!
//! let source = "Huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá nhân của tỉnh Kiên \
//!               Giang khắc phục khó khăn, phấn đấu hoàn thành nhiệm vụ năm 2020 và các chỉ tiêu \
//!               Nghị quyết Đại hội Đảng bộ tỉnh đã đề ra.";
//! let copy = "Kế hoạch này nhằm: phát huy sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá \
//!             nhân của tỉnh Hậu Giang khắc phục khó khăn, phấn đấu hoàn thành nhiệm vụ năm 2021 \
//!             và các chỉ tiêu Nghị quyết Đại hội Đảng bộ tỉnh đã đề ra.";
//! let found = align(copy, source, &AlignOptions::default());
//! assert_eq!(found.len(), 1);
//! let kinds: Vec<EditKind> = found[0].edits.iter().map(|e| e.kind).collect();
//! assert!(kinds.contains(&EditKind::Date) && kinds.contains(&EditKind::Place));
//! ```

mod align;
mod boilerplate;
pub mod corpus;
mod edits;
mod syllables;

pub use align::{align, AlignOptions, Edit, Match, MAX_SEED_REPEATS, SEED};
pub use boilerplate::{is_boilerplate, prose_share, SHINGLE};
pub use corpus::{Direction, DocumentReuse, Passage, Reuse, ReusePair, ReusePairs, Rule, Share};
pub use edits::{classify, EditKind};
pub use syllables::recipient_lists;
