//! Laying out the glyphs of a PDF page as text in reading order.
//!
//! Input: glyphs with their left edge, width, baseline and font size, in any
//! order. Output: lines top to bottom; within a line, glyphs left to right with a
//! space wherever the gap is at least [`SPACE_EM`] of the font size. The space
//! characters of the PDF itself are not trusted: justified Vietnamese text places
//! letters apart and extractors' guesses split syllables ("xây d ựng"); the gap
//! between two glyphs is what a reader sees.
//!
//! A line with a gap of [`COLUMN_EM`] or more holds two columns (the header table of
//! an official document: issuer | motto, number | place and date). Consecutive such
//! lines, and lines that fit in one of their columns, form a block that is read
//! column by column — the left cell's lines, then the right cell's.

/// One glyph on a page. Coordinates in PDF points, y growing upwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The character.
    pub c: char,
    /// Left edge.
    pub x: f32,
    /// Advance width.
    pub width: f32,
    /// Baseline.
    pub y: f32,
    /// Font size.
    pub size: f32,
}

/// A gap of this many ems between two glyphs is a space.
pub const SPACE_EM: f32 = 0.18;
/// A gap of this many ems inside a line separates two columns.
pub const COLUMN_EM: f32 = 2.2;
/// Glyphs whose baselines differ by less than this many ems share a line.
const BASELINE_EM: f32 = 0.4;

/// A run of glyphs without a column gap: its text and horizontal extent.
#[derive(Debug, Clone)]
struct Segment {
    text: String,
    left: f32,
    right: f32,
}

/// The text of one page, in reading order.
pub fn page_text(glyphs: Vec<Glyph>) -> String {
    page_text_spaced(glyphs, SPACE_EM, COLUMN_EM)
}

/// [`page_text`] with other word-gap and column-gap thresholds, in ems (OCR word
/// boxes are tight around the ink, and their "em" is the line's height).
pub fn page_text_spaced(mut glyphs: Vec<Glyph>, space_em: f32, column_em: f32) -> String {
    glyphs.retain(|g| {
        !g.c.is_whitespace()
            && !g.c.is_control()
            && g.x.is_finite()
            && g.y.is_finite()
            && g.width.is_finite()
    });
    for g in &mut glyphs {
        if !(g.size.is_finite() && g.size > 0.5) {
            g.size = 10.0;
        }
    }
    let lines = lines(glyphs);
    let segmented: Vec<Vec<Segment>> = lines
        .into_iter()
        .map(|l| segments(l, space_em, column_em))
        .collect();
    rejoin_numbers(&read_columns(&segmented))
}

/// Rejoins a document number broken at the end of a line after its `-` or `/`
/// ("Số: 1668/NQ-" + "UBTVQH15"): the line ends in a letter or digit and the
/// sign, the next begins with a capital or a digit. A dash after a space
/// ("Tự do -") is punctuation, not a break inside a number, and stays.
fn rejoin_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let mut tail = line.chars().rev();
        let broken = matches!(tail.next(), Some('-' | '/'))
            && tail.next().is_some_and(char::is_alphanumeric)
            && lines
                .peek()
                .and_then(|n| n.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !broken {
            out.push('\n');
        }
    }
    out
}

/// Groups glyphs into lines, top to bottom, each sorted left to right.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    let mut base = f32::NAN;
    for g in glyphs {
        let same = out
            .last()
            .is_some_and(|_| (base - g.y).abs() < BASELINE_EM * g.size);
        if same {
            if let Some(line) = out.last_mut() {
                line.push(g);
            }
        } else {
            base = g.y;
            out.push(vec![g]);
        }
    }
    out.into_iter().map(attach_marks).collect()
}

/// Sorts a line left to right (stable: glyphs drawn at one x keep their drawing
/// order) and puts each combining mark right after the letter it sits on — the
/// letter whose centre is nearest — wherever the PDF drew it.
fn attach_marks(line: Vec<Glyph>) -> Vec<Glyph> {
    let (mut bases, marks): (Vec<Glyph>, Vec<Glyph>) =
        line.into_iter().partition(|g| !is_combining(g.c));
    bases.sort_by(|a, b| a.x.total_cmp(&b.x));
    if marks.is_empty() || bases.is_empty() {
        bases.extend(marks);
        return bases;
    }
    let mut after: Vec<Vec<Glyph>> = vec![Vec::new(); bases.len()];
    for m in marks {
        let at = m.x + m.width / 2.0;
        let nearest = bases
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                let da = (a.x + a.width / 2.0 - at).abs();
                let db = (b.x + b.width / 2.0 - at).abs();
                da.total_cmp(&db)
            })
            .map_or(0, |(i, _)| i);
        after[nearest].push(m);
    }
    let mut out = Vec::with_capacity(bases.len());
    for (b, ms) in bases.into_iter().zip(after) {
        out.push(b);
        out.extend(ms);
    }
    out
}

/// Splits a line at column gaps and spells each part, with spaces at word gaps.
fn segments(line: Vec<Glyph>, space_em: f32, column_em: f32) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut prev: Option<Glyph> = None;
    for g in line {
        let mark = is_combining(g.c);
        if let Some(p) = prev {
            // The same glyph drawn twice at one place (fake bold) is one glyph.
            if p.c == g.c && (g.x - p.x).abs() < 0.1 * g.size {
                continue;
            }
            let gap = g.x - (p.x + p.width);
            let em = p.size.max(g.size);
            if !mark && gap >= column_em * em {
                out.push(Segment {
                    text: String::new(),
                    left: g.x,
                    right: g.x,
                });
            } else if !mark && gap >= space_em * em {
                if let Some(s) = out.last_mut() {
                    s.text.push(' ');
                }
            }
        }
        if out.is_empty() {
            out.push(Segment {
                text: String::new(),
                left: g.x,
                right: g.x,
            });
        }
        if let Some(s) = out.last_mut() {
            s.text.push(g.c);
            s.right = s.right.max(g.x + g.width);
        }
        if !mark {
            prev = Some(g);
        }
    }
    out
}

/// Combining marks attach to the glyph before them, whatever the gap.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Reads segmented lines in order; blocks of two-column lines column by column.
fn read_columns(lines: &[Vec<Segment>]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.len() == 2 {
            // The column boundary: the gap of this line. Later lines continue the
            // block while they split around it or lie on one side of it.
            let boundary = (line[0].right, line[1].left);
            let mut left: Vec<&str> = Vec::new();
            let mut right: Vec<&str> = Vec::new();
            let mut j = i;
            while let Some(l) = lines.get(j) {
                match l.as_slice() {
                    [a, b] if a.right <= boundary.1 && b.left >= boundary.0 => {
                        left.push(&a.text);
                        right.push(&b.text);
                    }
                    [a] if j > i && a.right <= boundary.1 && a.left < boundary.0 => {
                        left.push(&a.text)
                    }
                    [a] if j > i && a.left >= boundary.1 - 1.0 => right.push(&a.text),
                    _ => break,
                }
                j += 1;
            }
            for t in left.into_iter().chain(right) {
                push_line(&mut out, t);
            }
            i = j;
        } else {
            let texts: Vec<&str> = line.iter().map(|s| s.text.as_str()).collect();
            push_line(&mut out, &texts.join(" "));
            i += 1;
        }
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` set from `x` on baseline `y`, each `w` wide, words
    /// separated by `gap`.
    fn set(text: &str, x: f32, y: f32, w: f32, gap: f32) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut at = x;
        for c in text.chars() {
            if c == ' ' {
                at += gap;
                continue;
            }
            out.push(Glyph {
                c,
                x: at,
                width: w,
                y,
                size: 13.0,
            });
            at += w;
        }
        out
    }

    #[test]
    fn words_by_gaps_not_by_font_changes() {
        // "TỈNH" drawn as T, Ỉ (another font), N, H: no gap, one word.
        let mut g = set("TỈNH ĐỒNG NAI", 100.0, 700.0, 9.0, 3.25);
        g.reverse(); // drawing order does not matter
        assert_eq!(page_text(g), "TỈNH ĐỒNG NAI\n");
        // Justified: wide word gaps are still single spaces.
        let g = set("xây dựng", 100.0, 700.0, 7.0, 20.0);
        assert_eq!(page_text(g), "xây dựng\n");
    }

    #[test]
    fn two_column_header_reads_left_cell_then_right_cell() {
        let mut g = set("ỦY BAN NHÂN DÂN", 90.0, 800.0, 8.0, 3.0);
        g.extend(set("CỘNG HÒA XÃ HỘI", 300.0, 800.0, 8.0, 3.0));
        g.extend(set("TỈNH ĐỒNG NAI", 100.0, 785.0, 8.0, 3.0));
        g.extend(set("Độc lập", 330.0, 785.0, 8.0, 3.0));
        g.extend(set("Số: 12/KH-UBND", 95.0, 770.0, 8.0, 3.0));
        g.extend(set("Biên Hòa, ngày 1", 320.0, 770.0, 8.0, 3.0));
        g.extend(set(
            "KẾ HOẠCH dài hơn cả hai cột của bảng",
            90.0,
            740.0,
            8.0,
            3.0,
        ));
        assert_eq!(
            page_text(g),
            "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 12/KH-UBND\n\
             CỘNG HÒA XÃ HỘI\nĐộc lập\nBiên Hòa, ngày 1\n\
             KẾ HOẠCH dài hơn cả hai cột của bảng\n"
        );
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let g = vec![
            Glyph {
                c: 'a',
                x: 10.0,
                width: 6.0,
                y: 10.0,
                size: 12.0,
            },
            Glyph {
                c: '\u{301}',
                x: 11.0,
                width: 0.0,
                y: 10.0,
                size: 12.0,
            },
            Glyph {
                c: 'n',
                x: 16.0,
                width: 6.0,
                y: 10.0,
                size: 12.0,
            },
        ];
        // Drawn last, it still belongs to the letter it sits on.
        assert_eq!(page_text(g), "a\u{301}n\n");
    }

    #[test]
    fn a_number_broken_after_its_dash_is_rejoined() {
        assert_eq!(
            rejoin_numbers("Số: 1668/NQ-\nUBTVQH15\nĐộc lập - Tự do -\nHạnh phúc\n"),
            "Số: 1668/NQ-UBTVQH15\nĐộc lập - Tự do -\nHạnh phúc\n"
        );
        assert_eq!(rejoin_numbers("kinh tế -\nxã hội\n"), "kinh tế -\nxã hội\n");
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(page_text(Vec::new()), "");
    }
}
