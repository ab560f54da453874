//! The query language.
//!
//! ```text
//! chuyển đổi số            all words required, ranked higher when adjacent
//! "nông thôn mới"          a phrase: adjacent syllables only
//! thi đua -khen            exclusion
//! "kinh tế số" OR "xã hội số"   alternatives
//! 136/KH-UBND              a document number: also matches own numbers and citations
//! ```
//! Errors carry the character position of the problem.

use crate::{Error, Result};

/// One element of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A plain word (may analyse into several syllables, e.g. a document number).
    Word(String),
    /// A quoted phrase.
    Phrase(String),
    /// A clause that must not match.
    Not(Box<Clause>),
    /// Alternatives: at least one must match.
    Or(Vec<Clause>),
}

/// A parsed query: every clause is required (exclusions must not match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The clauses, in the order typed.
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Number of clauses that are not exclusions.
    pub fn positive_clauses(&self) -> usize {
        self.clauses
            .iter()
            .filter(|c| !matches!(c, Clause::Not(_)))
            .count()
    }
}

/// Longest query accepted, in characters: far above a question (legal questions run
/// to 90 words, ~500 characters) or a pasted passage of a page or two. Long queries
/// are answered, reduced to their most discriminative syllables
/// ([`super::build::MAX_TERMS`]).
pub const MAX_QUERY_CHARS: usize = 20_000;
/// Most phrases, exclusions and alternatives in one query (plain words are not
/// counted: there may be as many as the length allows; each alternative of an OR
/// counts, so `a OR b OR c` is 3).
pub const MAX_CLAUSES: usize = 256;

#[derive(Debug)]
enum Lexeme {
    Word { text: String, neg: bool, at: usize },
    Phrase { text: String, neg: bool, at: usize },
    Or { at: usize },
}

fn bad(position: usize, message: impl Into<String>) -> Error {
    Error::Query {
        position,
        message: message.into(),
    }
}

fn lex(q: &str) -> Result<Vec<Lexeme>> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let neg = c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if neg {
            i += 1;
        }
        if chars.get(i) == Some(&'"') {
            let open = i;
            i += 1;
            let body_start = i;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            if i >= chars.len() {
                return Err(bad(
                    open,
                    "this quotation mark is never closed; add a closing \" after the phrase",
                ));
            }
            let text: String = chars[body_start..i].iter().collect();
            i += 1;
            if text.trim().is_empty() {
                return Err(bad(
                    open,
                    "empty phrase \"\"; put words between the quotation marks",
                ));
            }
            out.push(Lexeme::Phrase {
                text,
                neg,
                at: start,
            });
            continue;
        }
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let text: String = chars[if neg { start + 1 } else { start }..i]
            .iter()
            .collect();
        if text == "OR" && !neg {
            out.push(Lexeme::Or { at: start });
        } else if text.chars().any(char::is_alphanumeric) {
            // Punctuation-only words ("-", "–", "&") have nothing to search for.
            out.push(Lexeme::Word {
                text,
                neg,
                at: start,
            });
        }
    }
    Ok(out)
}

/// Parses a query string.
///
/// ```
/// use kehoach::query::{parse, Clause};
///
/// let q = parse(r#"chuyển đổi "nông thôn mới" -covid"#)?;
/// assert_eq!(
///     q.clauses,
///     [
///         Clause::Word("chuyển".into()),
///         Clause::Word("đổi".into()),
///         Clause::Phrase("nông thôn mới".into()),
///         Clause::Not(Box::new(Clause::Word("covid".into()))),
///     ]
/// );
/// // Errors say where the problem is.
/// let e = parse(r#"thi đua "khen thưởng"#).unwrap_err();
/// assert!(e.to_string().contains("character 8: this quotation mark is never closed"), "{e}");
/// # Ok::<(), kehoach::Error>(())
/// ```
pub fn parse(q: &str) -> Result<ParsedQuery> {
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(bad(
            MAX_QUERY_CHARS,
            format!("query is too long ({n} characters; at most {MAX_QUERY_CHARS})"),
        ));
    }
    let lexemes = lex(q)?;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or: Option<usize> = None;
    let mut last_at = 0;
    for lx in lexemes {
        let (clause, at) = match lx {
            Lexeme::Or { at } => {
                if clauses.is_empty() || pending_or.is_some() {
                    return Err(bad(at, "OR needs a word or phrase on both sides"));
                }
                if matches!(clauses.last(), Some(Clause::Not(_))) {
                    return Err(bad(at, "OR cannot follow an exclusion (-word)"));
                }
                pending_or = Some(at);
                continue;
            }
            Lexeme::Word { text, neg, at } => {
                let c = Clause::Word(text);
                (if neg { Clause::Not(Box::new(c)) } else { c }, at)
            }
            Lexeme::Phrase { text, neg, at } => {
                let c = Clause::Phrase(text);
                (if neg { Clause::Not(Box::new(c)) } else { c }, at)
            }
        };
        last_at = at;
        if let Some(or_at) = pending_or.take() {
            if matches!(clause, Clause::Not(_)) {
                return Err(bad(
                    at,
                    "an exclusion (-word) cannot be an alternative of OR",
                ));
            }
            let Some(prev) = clauses.pop() else {
                return Err(bad(or_at, "OR needs a word or phrase on both sides"));
            };
            let merged = match prev {
                Clause::Or(mut alts) => {
                    alts.push(clause);
                    Clause::Or(alts)
                }
                other => Clause::Or(vec![other, clause]),
            };
            clauses.push(merged);
        } else {
            clauses.push(clause);
        }
        // Every alternative of an OR counts: a 400-way OR is 400 queries to run.
        let structured: usize = clauses
            .iter()
            .map(|c| match c {
                Clause::Word(_) => 0,
                Clause::Or(alts) => alts.len(),
                _ => 1,
            })
            .sum();
        if structured > MAX_CLAUSES {
            return Err(bad(
                at,
                format!(
                    "too many phrases, exclusions and alternatives ({MAX_CLAUSES} at most); \
                     remove quotation marks, - or OR to search the words"
                ),
            ));
        }
    }
    if let Some(at) = pending_or {
        return Err(bad(at, "OR needs a word or phrase on both sides"));
    }
    if !clauses.is_empty() && clauses.iter().all(|c| matches!(c, Clause::Not(_))) {
        return Err(bad(
            last_at,
            "a query of exclusions only matches nothing; add a word to search for",
        ));
    }
    Ok(ParsedQuery { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Clause {
        Clause::Word(s.into())
    }

    #[test]
    fn words_phrases_not_or() {
        let q = parse(r#"thi đua "nông thôn mới" -khen a OR b OR "c d""#).unwrap();
        assert_eq!(
            q.clauses,
            vec![
                w("thi"),
                w("đua"),
                Clause::Phrase("nông thôn mới".into()),
                Clause::Not(Box::new(w("khen"))),
                Clause::Or(vec![w("a"), w("b"), Clause::Phrase("c d".into())]),
            ]
        );
    }

    #[test]
    fn lone_dash_is_punctuation_and_or_lowercase_is_a_word() {
        let q = parse("2021 - 2025 or").unwrap();
        assert_eq!(q.clauses, vec![w("2021"), w("2025"), w("or")]);
    }

    #[test]
    fn errors_say_where() {
        let pos = |q: &str| match parse(q) {
            Err(Error::Query { position, .. }) => position,
            other => panic!("expected an error for {q:?}, got {other:?}"),
        };
        assert_eq!(pos(r#"thi "đua"#), 4);
        assert_eq!(pos("OR thi"), 0);
        assert_eq!(pos("thi OR"), 4);
        assert_eq!(pos("a OR OR b"), 5);
        assert_eq!(pos(r#"a """#), 2);
        assert_eq!(pos("-a -b"), 3);
        assert_eq!(pos("a OR -b"), 5);
        assert!(parse(&"\"a\" ".repeat(300)).is_err());
        assert!(parse(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn long_questions_and_passages_parse() {
        // A 65-word question and a 10,000-character passage are queries, not errors.
        let question = "người lao động có được hưởng chế độ ".repeat(9) + "không";
        assert!(question.split_whitespace().count() > 64);
        assert_eq!(
            parse(&question).unwrap().clauses.len(),
            question.split_whitespace().count()
        );
        let passage =
            "Ủy ban nhân dân tỉnh triển khai kế hoạch chuyển đổi số năm 2024. ".repeat(160);
        assert!(passage.chars().count() >= 10_000);
        assert!(parse(&passage).is_ok());
    }

    #[test]
    fn every_alternative_of_an_or_counts_toward_the_limit() {
        let ok = vec!["thi"; MAX_CLAUSES].join(" OR ");
        assert!(parse(&ok).is_ok());
        let too_many = vec!["thi"; MAX_CLAUSES + 1].join(" OR ");
        assert!(parse(&too_many).is_err());
        assert!(parse(&vec!["thi"; 400].join(" OR ")).is_err());
    }

    #[test]
    fn empty_is_fine() {
        assert_eq!(parse("   ").unwrap().clauses, vec![]);
    }
}
