//! Markdown layout in plain-text documents: where it is, and the text a person reads.
//!
//! Portals' `.txt` exports are often Markdown inside: `**CHÍNH PHỦ**`, header
//! tables whose cells are split over lines by lone `|` lines, `-------` rules under
//! the issuer, `|---|---|` table rules, `*italic*` preambles, `# headings`. The
//! stored text keeps them, since citations, highlights and reuse passages are byte
//! spans into it; [`layout`] finds the markup as spans with what to show instead,
//! and [`display`] applies them.
//!
//! ```
//! use kehoach::document::markup;
//!
//! let text = "**CHÍNH PHỦ**\n-------\n|\n| STT | Nội dung |\n|---|---|\n*Căn cứ Luật số 63/2020/QH14;*";
//! assert_eq!(
//!     markup::display(text),
//!     "CHÍNH PHỦ\nSTT · Nội dung\nCăn cứ Luật số 63/2020/QH14;"
//! );
//! // Spans point into the original text, so a citation's span still applies.
//! let spans = markup::layout(text);
//! assert_eq!(&text[spans[0].start..spans[0].end], "**");
//! ```
//!
//! The rules, in order:
//! * a line made only of table bars, rules and emphasis marks (`|`, `-------`,
//!   `|---|:--:|`, `***`) is dropped with its line break;
//! * `**` / `***` / `__` are dropped, and so is a single `*` used for italics (not
//!   one in `(*)`, a footnote mark); the `*` of a `* ` bullet at the start of a line becomes `•`;
//! * a run of three or more `-` or `=` inside a line (a rule next to a cell) is dropped;
//! * table bars: at either end of a line they are dropped, between cells they
//!   become ` · `;
//! * `#`…`######` heading marks at the start of a line and the backslash of a
//!   Markdown escape (`\*`, `\.`) are dropped.
//!
//! Words, numbers and their order are never touched.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// One piece of markup: the bytes `start..end` of the text are shown as `with`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Markup {
    /// Byte offset of the markup's start in the text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// What a reader sees instead: nothing, `" · "` between table cells, or `"•"`.
    pub with: &'static str,
}

/// Inline markup inside a line that is kept.
static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
          (?P<bars>[\ \t]*\|(?:[\ \t]*\|)*[\ \t]*)   # table bars, empty cells folded
        | (?P<strong>\*\*\*?)                        # bold, bold italic
        | (?P<under>__)                              # bold
        | (?P<star>\*)                               # italic or bullet
        | (?P<rule>[\ \t]*(?:-{3,}|={3,}))            # a rule beside a cell
        | (?P<heading>^\#{1,6}[\ \t]+)               # heading marks
        | (?P<escape>\\)[\\`*_{}\[\]()\#+.!|-]       # a Markdown escape's backslash
        ",
    )
    .expect("built-in regex")
});

/// The markup of `text`, as sorted, non-overlapping byte spans (see the module
/// documentation for the rules).
pub fn layout(text: &str) -> Vec<Markup> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if is_layout_line(body) {
            out.push(Markup {
                start: at,
                end: at + line.len(),
                with: "",
            });
        } else {
            inline(body, at, &mut out);
        }
        at += line.len();
    }
    out
}

/// `text` as a person reads it: [`layout`] applied.
pub fn display(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in layout(text) {
        out.push_str(&text[at..m.start]);
        out.push_str(m.with);
        at = m.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A line with nothing but table bars, rules and emphasis marks, and at least one
/// bar or rule (a line of one `-` or `*` is text).
fn is_layout_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | '=' | '_' | '*' | ':' | ' ' | '\t'))
        && (t.contains('|')
            || ["---", "===", "___", "***"]
                .iter()
                .any(|run| t.contains(run)))
}

fn inline(line: &str, offset: usize, out: &mut Vec<Markup>) {
    for c in INLINE.captures_iter(line) {
        let Some(whole) = c.get(0) else { continue };
        let (s, e) = (whole.start(), whole.end());
        let with = if c.name("bars").is_some() {
            let at_edge = line[..s].trim().is_empty() || line[e..].trim().is_empty();
            if at_edge {
                ""
            } else {
                " · "
            }
        } else if c.name("star").is_some() || c.name("strong").is_some() {
            let before = line[..s].chars().next_back();
            let after = line[e..].chars().next();
            if before == Some('(') || after == Some(')') {
                continue; // a footnote mark: (*), (**)
            }
            if c.name("star").is_some()
                && line[..s].trim().is_empty()
                && after.is_some_and(|ch| ch == ' ' || ch == '\t')
            {
                // A bullet: "* item" → "• item" (the blank after it is text).
                out.push(Markup {
                    start: offset + s,
                    end: offset + e,
                    with: "•",
                });
                continue;
            }
            ""
        } else if let Some(b) = c.name("escape") {
            out.push(Markup {
                start: offset + b.start(),
                end: offset + b.end(),
                with: "",
            });
            continue;
        } else {
            ""
        };
        out.push(Markup {
            start: offset + s,
            end: offset + e,
            with,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_table_of_a_portal_export() {
        // The head of a real Markdown export (gov-docs tnt305/0008.txt).
        let text = "**CHÍNH PHỦ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n\
                    Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 389/NQ-CP\n|\n\
                    *Hà Nội, ngày 02\ntháng 12 năm 2025 *\n|\n**NGHỊ QUYẾT**\n";
        assert_eq!(
            display(text),
            "CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
             Số: 389/NQ-CP\nHà Nội, ngày 02\ntháng 12 năm 2025 \nNGHỊ QUYẾT\n"
        );
    }

    #[test]
    fn table_rows_become_cells_with_dots() {
        let text = "| STT | Nội dung | | Thời gian |\n|:---|---:|---|\n| 1 | Tuyên truyền | | Quý I/2025 |";
        assert_eq!(
            display(text),
            "STT · Nội dung · Thời gian\n1 · Tuyên truyền · Quý I/2025"
        );
        assert_eq!(
            display("| BỘ XÂY DỰNG ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |"),
            "BỘ XÂY DỰNG · CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        );
    }

    #[test]
    fn text_that_only_looks_like_markup_is_kept() {
        for text in [
            "Độc lập - Tự do - Hạnh phúc",
            "Ghi chú (*): số liệu ước tính; (**) chưa kiểm toán.",
            "-",
            "a_b_c và 2 - 1",
            "Luật số 63/2020/QH14",
        ] {
            assert_eq!(display(text), text, "{text}");
        }
    }

    #[test]
    fn bullets_headings_and_escapes() {
        assert_eq!(display("* Mục tiêu\n* Nhiệm vụ"), "• Mục tiêu\n• Nhiệm vụ");
        assert_eq!(
            display("## I. MỤC ĐÍCH\n1\\. Nội dung"),
            "I. MỤC ĐÍCH\n1. Nội dung"
        );
    }

    #[test]
    fn spans_are_sorted_disjoint_and_on_char_boundaries() {
        let text = "**Điều 1.** | Ấp | *Xã* |\n|---|\nĐây là \\*văn bản\\*";
        let spans = layout(text);
        let mut at = 0;
        for m in &spans {
            assert!(
                m.start >= at && m.start < m.end && m.end <= text.len(),
                "{m:?}"
            );
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            at = m.end;
        }
        assert_eq!(display(text), "Điều 1. · Ấp · Xã\nĐây là *văn bản*");
    }
}
