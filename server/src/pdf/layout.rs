//! A small text layout engine over krilla, enough for invoices and statements.
//!
//! krilla places glyphs at coordinates and does no line breaking, and its font metrics are
//! private, so a [`Face`] reads the two tables we need (character map and advance widths)
//! itself. Text is drawn from those same glyphs and advances, so what we measure is exactly
//! what is printed (no kerning): right-aligned amounts line up to the point.
//!
//! Layout first builds pages as plain drawing operations ([`Op`]), then [`Pages::to_pdf`]
//! paints them. Knowing every page before painting is what lets footers say "Page 1 / 3",
//! and it keeps page-break decisions testable without opening a PDF.
//!
//! Coordinates are PDF points (1/72 in) from the page's top-left corner, y growing downwards,
//! as in krilla. Text is placed by its baseline.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// A font we can both measure and draw with.
#[derive(Clone)]
pub struct Face {
    font: Font,
    units_per_em: f32,
    /// Character → glyph id, from the font's Unicode `cmap` subtable.
    glyphs: HashMap<char, u16>,
    /// Advance width of each glyph in font units (`hmtx`); later glyphs repeat the last one.
    advances: Vec<u16>,
}

impl fmt::Debug for Face {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Face")
            .field("units_per_em", &self.units_per_em)
            .field("characters", &self.glyphs.len())
            .finish_non_exhaustive()
    }
}

impl Face {
    /// Reads a TrueType or OpenType font (not a collection).
    pub fn from_bytes(data: Vec<u8>) -> anyhow::Result<Face> {
        let data = Arc::new(data);
        let (units_per_em, glyphs, advances) = read_metrics(&data)
            .context("the font file is damaged or not a TrueType/OpenType font")?;
        let font =
            Font::new(data.into(), 0).ok_or_else(|| anyhow!("krilla cannot read this font"))?;
        Ok(Face {
            font,
            units_per_em,
            glyphs,
            advances,
        })
    }

    /// Whether the font has a glyph for `c` (otherwise it prints as an empty box).
    pub fn covers(&self, c: char) -> bool {
        self.glyphs.contains_key(&c)
    }

    /// Advance of one character at size 1, in em; missing characters use the `.notdef` glyph.
    fn glyph(&self, c: char) -> (u16, f32) {
        let id = self.glyphs.get(&c).copied().unwrap_or(0);
        let units = self
            .advances
            .get(usize::from(id))
            .or(self.advances.last())
            .copied()
            .unwrap_or(0);
        (id, f32::from(units) / self.units_per_em)
    }

    /// Width of one character in points at `size`.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.glyph(c).1 * size
    }

    /// Width of `text` in points at `size`, exactly as [`Pages::to_pdf`] will draw it.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// One glyph per character, each tied to its bytes so the PDF's text extracts as typed.
    fn glyph_run(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (id, advance) = self.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(u32::from(id)),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

fn be_u16(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn be_u32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The bytes of one table of an sfnt font, found through the table directory.
fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(be_u16(font, 4)?);
    (0..count).find_map(|i| {
        let record = 12 + 16 * i;
        if font.get(record..record + 4)? != tag {
            return None;
        }
        let offset = be_u32(font, record + 8)? as usize;
        let length = be_u32(font, record + 12)? as usize;
        font.get(offset..offset.checked_add(length)?)
    })
}

type Metrics = (f32, HashMap<char, u16>, Vec<u16>);

fn read_metrics(font: &[u8]) -> anyhow::Result<Metrics> {
    if font.get(0..4) == Some(b"ttcf") {
        bail!("font collections (.ttc) are not supported; extract one font");
    }
    let head = table(font, b"head").context("no head table")?;
    let units_per_em = be_u16(head, 18)
        .filter(|u| *u > 0)
        .context("no units per em")?;
    let hhea = table(font, b"hhea").context("no hhea table")?;
    let metrics_count = usize::from(be_u16(hhea, 34).context("short hhea table")?);
    let hmtx = table(font, b"hmtx").context("no hmtx table")?;
    let advances = (0..metrics_count)
        .map(|i| be_u16(hmtx, 4 * i))
        .collect::<Option<Vec<u16>>>()
        .context("short hmtx table")?;
    if advances.is_empty() {
        bail!("the font has no glyph advances");
    }
    let glyph_count =
        be_u16(table(font, b"maxp").context("no maxp table")?, 4).context("short maxp table")?;
    let cmap = table(font, b"cmap").context("no cmap table")?;
    let mut glyphs = read_cmap(cmap).context("no usable Unicode character map")?;
    // A glyph id past the end of the font would make krilla's subsetting fail later.
    glyphs.retain(|_, id| *id < glyph_count);
    Ok((f32::from(units_per_em), glyphs, advances))
}

/// Reads the best Unicode subtable: format 12 (all of Unicode) over format 4 (the BMP).
fn read_cmap(cmap: &[u8]) -> Option<HashMap<char, u16>> {
    let count = usize::from(be_u16(cmap, 2)?);
    let mut best: Option<(u8, &[u8])> = None;
    for i in 0..count {
        let record = 4 + 8 * i;
        let platform = be_u16(cmap, record)?;
        let encoding = be_u16(cmap, record + 2)?;
        let sub = cmap.get(be_u32(cmap, record + 4)? as usize..)?;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        let rank = match be_u16(sub, 0)? {
            12 if unicode => 2,
            4 if unicode => 1,
            _ => continue,
        };
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, sub));
        }
    }
    let (rank, sub) = best?;
    let mut map = HashMap::new();
    if rank == 2 {
        // Bounds the work a malformed font with huge overlapping groups could cause.
        let mut budget = 0x110000usize * 2;
        for g in 0..be_u32(sub, 12)? as usize {
            let at = 16usize.checked_add(g.checked_mul(12)?)?;
            let (first, last, glyph) =
                (be_u32(sub, at)?, be_u32(sub, at + 4)?, be_u32(sub, at + 8)?);
            for code in first..=last.min(0x10FFFF) {
                budget = budget.checked_sub(1)?;
                let id = glyph
                    .checked_add(code - first)
                    .and_then(|id| u16::try_from(id).ok())
                    .unwrap_or(0);
                if let (Some(c), true) = (char::from_u32(code), id != 0) {
                    map.insert(c, id);
                }
            }
        }
    } else {
        let seg_x2 = usize::from(be_u16(sub, 6)?);
        let (ends, starts) = (14, 16 + seg_x2);
        let (deltas, range_offsets) = (starts + seg_x2, starts + 2 * seg_x2);
        for s in 0..seg_x2 / 2 {
            let (first, last) = (be_u16(sub, starts + 2 * s)?, be_u16(sub, ends + 2 * s)?);
            let delta = be_u16(sub, deltas + 2 * s)?;
            let range_offset = usize::from(be_u16(sub, range_offsets + 2 * s)?);
            for code in first..=last {
                let id = if range_offset == 0 {
                    code.wrapping_add(delta)
                } else {
                    // The offset is relative to this very idRangeOffset entry (OpenType spec).
                    let at = range_offsets + 2 * s + range_offset + 2 * usize::from(code - first);
                    match be_u16(sub, at)? {
                        0 => 0,
                        g => g.wrapping_add(delta),
                    }
                };
                if let (Some(c), true) = (char::from_u32(u32::from(code)), id != 0) {
                    map.insert(c, id);
                }
            }
        }
    }
    Some(map)
}

/// Splits `text` into lines no wider than `max_width`, measuring with `advance` per character.
/// Breaks at spaces and tabs only (never at the no-break spaces inside amounts), keeps explicit
/// line breaks, and cuts a word that is wider than a whole line. Always returns a line.
pub fn wrap(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    // Tolerance for float sums, so text measured to exactly the width is not pushed down.
    let limit = max_width + 0.01;
    let measure = |s: &str| s.chars().map(&advance).sum::<f32>();
    let space = advance(' ');
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split([' ', '\t', '\r']).filter(|w| !w.is_empty()) {
            let word_width = measure(word);
            if !line.is_empty() && line_width + space + word_width <= limit {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            if word_width <= limit {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            for c in word.chars() {
                let w = advance(c);
                if !line.is_empty() && line_width + w > limit {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub weight: Weight,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub const fn new(weight: Weight, size: f32, color: Rgb) -> Style {
        Style {
            weight,
            size,
            color,
        }
    }

    /// Distance between baselines of consecutive lines.
    pub fn line_height(&self) -> f32 {
        self.size * 1.3
    }

    /// From the top of a line box to its baseline; the rest leaves room for descenders.
    fn baseline(&self) -> f32 {
        self.size * 1.0
    }
}

/// One drawing instruction on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        baseline: f32,
        text: String,
        style: Style,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Rgb,
    },
}

/// Page size and margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSpec {
    pub width: f32,
    pub height: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    pub margin_top: f32,
    /// Content stops here; the footer lives below it.
    pub margin_bottom: f32,
}

/// A4 portrait with margins of about 18 mm and room for a footer.
pub const A4: PageSpec = PageSpec {
    width: 595.28,
    height: 841.89,
    margin_left: 50.0,
    margin_right: 50.0,
    margin_top: 50.0,
    margin_bottom: 62.0,
};

impl PageSpec {
    pub fn content_width(&self) -> f32 {
        self.width - self.margin_left - self.margin_right
    }

    pub fn right(&self) -> f32 {
        self.width - self.margin_right
    }

    /// The lowest y that content may reach.
    pub fn bottom(&self) -> f32 {
        self.height - self.margin_bottom
    }
}

/// The regular and bold faces a layout draws with.
#[derive(Debug, Clone, Copy)]
pub struct Faces<'f> {
    pub regular: &'f Face,
    pub bold: &'f Face,
}

impl<'f> Faces<'f> {
    pub fn get(&self, weight: Weight) -> &'f Face {
        match weight {
            Weight::Regular => self.regular,
            Weight::Bold => self.bold,
        }
    }

    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.get(style.weight).width(text, style.size)
    }

    pub fn wrap(&self, text: &str, style: Style, max_width: f32) -> Vec<String> {
        let face = self.get(style.weight);
        wrap(text, max_width, |c| face.char_width(c, style.size))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub const fn left(width: f32) -> Column {
        Column {
            width,
            align: Align::Left,
        }
    }

    pub const fn right(width: f32) -> Column {
        Column {
            width,
            align: Align::Right,
        }
    }
}

/// Columns side by side from `x`. Each cell keeps `pad` points clear on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub x: f32,
    pub columns: Vec<Column>,
    pub pad: f32,
    /// Thin rule under each body row.
    pub row_rule: Option<Rgb>,
    /// Background of the header row, and the rule under it.
    pub header_fill: Option<Rgb>,
    pub header_rule: Option<Rgb>,
}

impl Table {
    pub fn new(x: f32, columns: Vec<Column>) -> Table {
        Table {
            x,
            columns,
            pad: 4.0,
            row_rule: None,
            header_fill: None,
            header_rule: None,
        }
    }

    pub fn width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }
}

/// Space above and below the text of a table row.
const ROW_PAD: f32 = 3.0;

/// Builds pages top to bottom, starting a new page when the next row would not fit.
#[derive(Debug)]
pub struct Layout<'f> {
    faces: Faces<'f>,
    spec: PageSpec,
    pages: Vec<Vec<Op>>,
    /// Top of the next thing to place, on the last page.
    y: f32,
    /// Where content starts on the current page (below any running header).
    page_start: f32,
    /// Drawn at the top of every page after the first.
    running_header: Option<(String, Style)>,
    /// The open table's header, drawn again at the top of a page the table flows onto.
    table_header: Option<(Table, Vec<(String, Style)>)>,
}

impl<'f> Layout<'f> {
    pub fn new(faces: Faces<'f>, spec: PageSpec) -> Layout<'f> {
        Layout {
            faces,
            spec,
            pages: vec![Vec::new()],
            y: spec.margin_top,
            page_start: spec.margin_top,
            running_header: None,
            table_header: None,
        }
    }

    #[cfg(test)]
    fn y(&self) -> f32 {
        self.y
    }

    #[cfg(test)]
    fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn set_running_header(&mut self, text: String, style: Style) {
        self.running_header = Some((text, style));
    }

    /// Whether `height` more points fit on the current page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= self.spec.bottom() + 0.01
    }

    /// Whether nothing has been placed on this page yet besides repeated headers.
    fn at_page_start(&self) -> bool {
        self.y <= self.page_start + 0.01
    }

    /// Makes sure `height` fits, starting a new page if not. A block taller than a page is
    /// not pushed off a fresh page (that would loop); it overflows instead. Returns whether
    /// a page was started.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.fits(height) || self.at_page_start() {
            return false;
        }
        self.new_page();
        true
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.spec.margin_top;
        if let Some((text, style)) = self.running_header.clone() {
            self.push(Op::Text {
                x: self.spec.margin_left,
                baseline: self.y + style.baseline(),
                text,
                style,
            });
            self.y += style.line_height() + 2.0;
            self.rule(0.5, (200, 200, 200));
            self.y += 10.0;
        }
        if let Some((table, cells)) = self.table_header.clone() {
            self.draw_header(&table, &cells);
        }
        self.page_start = self.y;
    }

    /// Vertical space; swallowed at the top of a page.
    pub fn gap(&mut self, height: f32) {
        if !self.at_page_start() {
            self.y += height;
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// A horizontal rule across the content width at the cursor.
    pub fn rule(&mut self, width: f32, color: Rgb) {
        let (x1, x2) = (self.spec.margin_left, self.spec.right());
        self.push(Op::Line {
            x1,
            x2,
            y: self.y,
            width,
            color,
        });
    }

    /// A horizontal line from `x1` to `x2` at the cursor.
    pub fn line(&mut self, x1: f32, x2: f32, width: f32, color: Rgb) {
        self.push(Op::Line {
            x1,
            x2,
            y: self.y,
            width,
            color,
        });
    }

    /// Draws text with its baseline at `baseline`; the cursor does not move.
    pub fn text_at(&mut self, x: f32, baseline: f32, text: &str, style: Style) {
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                baseline,
                text: text.to_owned(),
                style,
            });
        }
    }

    /// Wrapped text from `x`, `width` wide, breaking pages between lines.
    pub fn paragraph(&mut self, x: f32, width: f32, text: &str, style: Style) {
        for line in self.faces.wrap(text, style, width) {
            self.ensure(style.line_height());
            self.text_at(x, self.y + style.baseline(), &line, style);
            self.y += style.line_height();
        }
    }

    /// Height of a stack of wrapped lines in `width`, as [`Layout::block`] draws them.
    pub fn block_height(&self, width: f32, lines: &[(&str, Style)]) -> f32 {
        lines
            .iter()
            .map(|(text, style)| {
                self.faces.wrap(text, *style, width).len() as f32 * style.line_height()
            })
            .sum()
    }

    /// Draws a stack of wrapped lines at the cursor without moving it, and returns its height:
    /// for blocks set side by side, after which the caller advances past the taller one.
    pub fn block(&mut self, x: f32, width: f32, lines: &[(&str, Style)]) -> f32 {
        let mut y = self.y;
        for (text, style) in lines {
            for line in self.faces.wrap(text, *style, width) {
                self.text_at(x, y + style.baseline(), &line, *style);
                y += style.line_height();
            }
        }
        y - self.y
    }

    /// Moves the cursor down.
    pub fn advance(&mut self, height: f32) {
        self.y += height;
    }

    /// Each cell's text wrapped to its column.
    fn wrap_cells(&self, table: &Table, cells: &[(String, Style)]) -> Vec<Vec<String>> {
        table
            .columns
            .iter()
            .zip(cells)
            .map(|(col, (text, style))| {
                self.faces
                    .wrap(text, *style, (col.width - 2.0 * table.pad).max(1.0))
            })
            .collect()
    }

    /// Height of the tallest cell's lines `from..to`, plus the row's padding.
    fn row_height(
        cells: &[(String, Style)],
        wrapped: &[Vec<String>],
        from: usize,
        to: usize,
    ) -> f32 {
        let body = cells
            .iter()
            .zip(wrapped)
            .map(|((_, style), lines)| {
                lines.len().min(to).saturating_sub(from) as f32 * style.line_height()
            })
            .fold(0.0, f32::max);
        body + 2.0 * ROW_PAD
    }

    /// Draws lines `from..to` of each cell at the cursor and moves below them.
    fn draw_cells(
        &mut self,
        table: &Table,
        cells: &[(String, Style)],
        wrapped: &[Vec<String>],
        from: usize,
        to: usize,
    ) {
        let top = self.y + ROW_PAD;
        let mut x = table.x;
        for ((col, (_, style)), lines) in table.columns.iter().zip(cells).zip(wrapped) {
            for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                let baseline = top + (i - from) as f32 * style.line_height() + style.baseline();
                let left = match col.align {
                    Align::Left => x + table.pad,
                    Align::Right => x + col.width - table.pad - self.faces.width(line, *style),
                };
                self.text_at(left, baseline, line, *style);
            }
            x += col.width;
        }
        self.y += Self::row_height(cells, wrapped, from, to);
    }

    fn draw_header(&mut self, table: &Table, cells: &[(String, Style)]) {
        let wrapped = self.wrap_cells(table, cells);
        let height = Self::row_height(cells, &wrapped, 0, usize::MAX);
        if let Some(color) = table.header_fill {
            self.push(Op::Rect {
                x: table.x,
                y: self.y,
                width: table.width(),
                height,
                color,
            });
        }
        self.draw_cells(table, cells, &wrapped, 0, usize::MAX);
        if let Some(color) = table.header_rule {
            self.push(Op::Line {
                x1: table.x,
                x2: table.x + table.width(),
                y: self.y,
                width: 0.8,
                color,
            });
        }
    }

    /// Starts a table with a header row that is repeated on every page the table reaches.
    /// The header is kept with at least one body row.
    pub fn table_header(&mut self, table: &Table, cells: &[(&str, Style)], first_row_height: f32) {
        let cells: Vec<(String, Style)> =
            cells.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
        let wrapped = self.wrap_cells(table, &cells);
        self.ensure(Self::row_height(&cells, &wrapped, 0, usize::MAX) + first_row_height);
        self.draw_header(table, &cells);
        self.table_header = Some((table.clone(), cells));
    }

    /// Ends the table: later page breaks no longer repeat its header.
    pub fn end_table(&mut self) {
        self.table_header = None;
    }

    /// Height a row would take, to keep a following block together with it.
    pub fn measure_row(&self, table: &Table, cells: &[(&str, Style)]) -> f32 {
        let cells: Vec<(String, Style)> =
            cells.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
        let wrapped = self.wrap_cells(table, &cells);
        Self::row_height(&cells, &wrapped, 0, usize::MAX)
    }

    /// A body row. It moves whole to the next page when it does not fit; only a row taller
    /// than a page is split between pages, line by line.
    pub fn table_row(&mut self, table: &Table, cells: &[(&str, Style)]) {
        let cells: Vec<(String, Style)> =
            cells.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
        let wrapped = self.wrap_cells(table, &cells);
        let total = wrapped.iter().map(Vec::len).max().unwrap_or(0);
        let mut from = 0;
        while from < total {
            // The most lines, from `from`, that fit in what is left of this page.
            let mut to = total;
            while to > from && !self.fits(Self::row_height(&cells, &wrapped, from, to)) {
                to -= 1;
            }
            let whole_rest = to == total;
            if !whole_rest && !self.at_page_start() {
                self.new_page();
                continue;
            }
            // On a fresh page, place at least one line so an oversized row cannot loop.
            let to = to.max(from + 1);
            self.draw_cells(table, &cells, &wrapped, from, to);
            from = to;
            if from < total {
                self.new_page();
            }
        }
        if let Some(color) = table.row_rule {
            self.push(Op::Line {
                x1: table.x,
                x2: table.x + table.width(),
                y: self.y,
                width: 0.4,
                color,
            });
        }
    }

    /// Adds a footer line to every page, given (page number from 1, page count), and hands
    /// the pages over for painting.
    pub fn finish(
        mut self,
        footer_left: Option<(&str, Style)>,
        footer_right: impl Fn(usize, usize) -> String,
        style: Style,
    ) -> Pages<'f> {
        let total = self.pages.len();
        let baseline = self.spec.height - self.spec.margin_bottom + 30.0;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let text = footer_right(i + 1, total);
            let x = self.spec.right() - self.faces.width(&text, style);
            page.push(Op::Text {
                x,
                baseline,
                text,
                style,
            });
            if let Some((left, left_style)) = footer_left.filter(|(t, _)| !t.is_empty()) {
                page.push(Op::Text {
                    x: self.spec.margin_left,
                    baseline,
                    text: left.to_owned(),
                    style: left_style,
                });
            }
        }
        Pages {
            faces: self.faces,
            spec: self.spec,
            pages: self.pages,
        }
    }
}

/// Laid-out pages, ready to paint.
#[derive(Debug)]
pub struct Pages<'f> {
    faces: Faces<'f>,
    spec: PageSpec,
    pub pages: Vec<Vec<Op>>,
}

impl Pages<'_> {
    /// Every text run on every page, in order: what a reader of the PDF will find.
    #[cfg(test)]
    fn texts(&self) -> impl Iterator<Item = (usize, &str)> {
        self.pages.iter().enumerate().flat_map(|(i, ops)| {
            ops.iter().filter_map(move |op| match op {
                Op::Text { text, .. } => Some((i, text.as_str())),
                _ => None,
            })
        })
    }

    pub fn to_pdf(&self, metadata: Metadata) -> anyhow::Result<Vec<u8>> {
        let mut document = Document::new();
        document.set_metadata(metadata);
        let settings = PageSettings::from_wh(self.spec.width, self.spec.height)
            .context("invalid page size")?;
        for ops in &self.pages {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        baseline,
                        text,
                        style,
                    } => {
                        let face = self.faces.get(style.weight);
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(style.color)));
                        let glyphs = face.glyph_run(text);
                        surface.draw_glyphs(
                            Point::from_xy(*x, *baseline),
                            &glyphs,
                            face.font.clone(),
                            text,
                            style.size,
                            false,
                        );
                    }
                    Op::Line {
                        x1,
                        x2,
                        y,
                        width,
                        color,
                    } => {
                        let mut path = PathBuilder::new();
                        path.move_to(*x1, *y);
                        path.line_to(*x2, *y);
                        if let Some(path) = path.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: rgb::Color::new(color.0, color.1, color.2).into(),
                                width: *width,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Rect {
                        x,
                        y,
                        width,
                        height,
                        color,
                    } => {
                        let mut path = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                            path.push_rect(rect);
                        }
                        if let Some(path) = path.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(Some(fill(*color)));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| anyhow!("could not write the PDF: {e}"))
    }
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        ..Fill::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    const BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    fn faces() -> (Face, Face) {
        let load = |p: &str| Face::from_bytes(std::fs::read(p).unwrap()).unwrap();
        (load(REGULAR), load(BOLD))
    }

    const BODY: Style = Style::new(Weight::Regular, 10.0, (0, 0, 0));

    /// Every character one point wide, so expectations can be counted by hand.
    fn mono(_: char) -> f32 {
        1.0
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("aaa bbb ccc", 7.0, mono), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("aaa bbb ccc", 11.0, mono), ["aaa bbb ccc"]);
        assert_eq!(wrap("aaa  bbb", 3.0, mono), ["aaa", "bbb"]);
    }

    #[test]
    fn cuts_words_longer_than_a_line_and_keeps_line_breaks() {
        assert_eq!(wrap("abcdefgh ij", 3.0, mono), ["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("one\ntwo three", 20.0, mono), ["one", "two three"]);
        assert_eq!(wrap("", 5.0, mono), [""]);
    }

    #[test]
    fn never_breaks_at_no_break_spaces() {
        // A French amount must stay on one line, even if that overflows.
        let amount = "1\u{202F}234,56\u{A0}€";
        assert_eq!(
            wrap(&format!("Total {amount}"), 12.0, mono),
            ["Total", amount]
        );
    }

    #[test]
    fn measures_with_the_fonts_advances() {
        let (regular, bold) = faces();
        // DejaVu Sans: 2048 units per em, digits 1303 units wide, space 651.
        assert!((regular.width("0", 10.0) - 1303.0 / 2048.0 * 10.0).abs() < 1e-4);
        assert!(
            (regular.width("00 0", 10.0) - (3.0 * 1303.0 + 651.0) / 2048.0 * 10.0).abs() < 1e-3
        );
        assert!(bold.width("Hôtel", 10.0) > regular.width("Hôtel", 10.0));
        assert!((regular.width("abc", 20.0) - 2.0 * regular.width("abc", 10.0)).abs() < 1e-4);
        for c in [
            'é', 'É', 'ô', '€', '«', '»', '\u{202F}', '\u{A0}', '’', '—', '–', '…', '°',
        ] {
            assert!(regular.covers(c) && bold.covers(c), "DejaVu lacks {c:?}");
            assert!(
                regular.width(&c.to_string(), 10.0) > 0.0,
                "{c:?} has no width"
            );
        }
        assert!(!regular.covers('\u{E000}'));
    }

    fn words(values: &[u16]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_be_bytes()).collect()
    }

    /// A cmap table holding the given (platform, encoding, subtable) entries.
    fn cmap_table(subtables: &[(u16, u16, Vec<u8>)]) -> Vec<u8> {
        let mut out = words(&[0, subtables.len() as u16]);
        let mut offset = 4 + 8 * subtables.len();
        for (platform, encoding, sub) in subtables {
            out.extend(words(&[*platform, *encoding]));
            out.extend((offset as u32).to_be_bytes());
            offset += sub.len();
        }
        subtables.iter().for_each(|(_, _, sub)| out.extend(sub));
        out
    }

    /// Format 4: 'A'..'C' by delta (ids 10..12); 'a'..'b' through the glyph array (20, none).
    fn format4() -> Vec<u8> {
        let delta = 10u16.wrapping_sub(0x41);
        words(&[
            4, 0, 0, 6, 0, 0, 0, 0x43, 0x62, 0xFFFF, 0, 0x41, 0x61, 0xFFFF, delta, 0, 1, 0, 4, 0,
            20, 0,
        ])
    }

    #[test]
    fn reads_format_4_by_delta_and_through_the_glyph_array() {
        let map = read_cmap(&cmap_table(&[(3, 1, format4())])).unwrap();
        let mut pairs: Vec<(char, u16)> = map.into_iter().collect();
        pairs.sort();
        assert_eq!(pairs, [('A', 10), ('B', 11), ('C', 12), ('a', 20)]);
    }

    #[test]
    fn prefers_format_12_for_characters_beyond_the_bmp() {
        let mut format12 = words(&[12, 0]);
        for v in [0u32, 0, 2, 0x1F600, 0x1F601, 30, 0x41, 0x41, 5] {
            format12.extend(v.to_be_bytes());
        }
        let map = read_cmap(&cmap_table(&[(3, 1, format4()), (3, 10, format12)])).unwrap();
        assert_eq!(map.get(&'😀'), Some(&30));
        assert_eq!(map.get(&'😁'), Some(&31));
        assert_eq!(map.get(&'A'), Some(&5));
        assert_eq!(map.get(&'a'), None, "the format 4 subtable is not mixed in");
        // Symbol and Mac subtables are no Unicode map.
        assert!(read_cmap(&cmap_table(&[(3, 0, format4())])).is_none());
    }

    #[test]
    fn rejects_what_is_not_a_font() {
        assert!(Face::from_bytes(b"not a font at all".to_vec()).is_err());
        assert!(Face::from_bytes(Vec::new()).is_err());
        let mut truncated = std::fs::read(REGULAR).unwrap();
        truncated.truncate(2000);
        assert!(Face::from_bytes(truncated).is_err());
    }

    #[test]
    fn face_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Face>();
    }

    fn one_column_table() -> Table {
        Table::new(A4.margin_left, vec![Column::left(A4.content_width())])
    }

    #[test]
    fn rows_break_to_a_new_page_exactly_when_they_no_longer_fit() {
        let (regular, bold) = faces();
        let mut layout = Layout::new(
            Faces {
                regular: &regular,
                bold: &bold,
            },
            A4,
        );
        let table = one_column_table();
        let row = BODY.line_height() + 2.0 * ROW_PAD;
        let per_page = ((A4.bottom() - A4.margin_top + 0.01) / row).floor() as usize;
        for i in 0..per_page {
            layout.table_row(&table, &[(&format!("row {i}"), BODY)]);
        }
        assert_eq!(
            layout.page_count(),
            1,
            "{per_page} rows fill the first page"
        );
        assert!(!layout.fits(row));
        layout.table_row(&table, &[("one more", BODY)]);
        assert_eq!(layout.page_count(), 2);
        assert!(
            (layout.y() - (A4.margin_top + row)).abs() < 1e-3,
            "the row starts the new page"
        );
    }

    #[test]
    fn table_header_and_running_header_repeat_on_each_new_page() {
        let (regular, bold) = faces();
        let mut layout = Layout::new(
            Faces {
                regular: &regular,
                bold: &bold,
            },
            A4,
        );
        layout.set_running_header("Relevé".into(), BODY);
        let table = one_column_table();
        layout.table_header(&table, &[("Numéro", BODY)], 20.0);
        for i in 0..200 {
            layout.table_row(&table, &[(&format!("F-{i:03}"), BODY)]);
        }
        layout.end_table();
        let pages = layout.finish(None, |n, total| format!("Page {n} / {total}"), BODY);
        let count = pages.pages.len();
        assert!(count >= 3);
        let on_page = |p: usize, s: &str| pages.texts().filter(|(i, t)| *i == p && *t == s).count();
        for p in 0..count {
            assert_eq!(on_page(p, "Numéro"), 1, "header on page {p}");
            assert_eq!(on_page(p, &format!("Page {} / {count}", p + 1)), 1);
            assert_eq!(
                on_page(p, "Relevé"),
                usize::from(p > 0),
                "running header only after page 1"
            );
        }
        for i in 0..200 {
            assert_eq!(
                pages
                    .texts()
                    .filter(|(_, t)| *t == format!("F-{i:03}"))
                    .count(),
                1
            );
        }
        // Nothing is drawn below the content area except the footer.
        for ops in &pages.pages {
            for op in ops {
                if let Op::Text { baseline, text, .. } = op {
                    assert!(
                        *baseline <= A4.bottom() || text.starts_with("Page "),
                        "{text} at {baseline}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_instead_of_looping() {
        let (regular, bold) = faces();
        let mut layout = Layout::new(
            Faces {
                regular: &regular,
                bold: &bold,
            },
            A4,
        );
        let long = vec!["line"; 120].join("\n");
        layout.table_row(&one_column_table(), &[(&long, BODY)]);
        assert!(layout.page_count() >= 2);
        let pages = layout.finish(None, |_, _| String::new(), BODY);
        assert_eq!(pages.texts().filter(|(_, t)| *t == "line").count(), 120);
    }

    #[test]
    fn ensure_keeps_a_block_together_but_not_on_an_empty_page() {
        let (regular, bold) = faces();
        let mut layout = Layout::new(
            Faces {
                regular: &regular,
                bold: &bold,
            },
            A4,
        );
        assert!(
            !layout.ensure(5000.0),
            "an empty page takes even an oversized block"
        );
        layout.advance(700.0);
        assert!(layout.ensure(100.0));
        assert_eq!(layout.page_count(), 2);
        assert!(!layout.ensure(100.0));
    }

    #[test]
    fn right_aligned_cells_end_at_the_column_edge() {
        let (regular, bold) = faces();
        let faces = Faces {
            regular: &regular,
            bold: &bold,
        };
        let mut layout = Layout::new(faces, A4);
        let table = Table::new(100.0, vec![Column::left(100.0), Column::right(120.0)]);
        layout.table_row(&table, &[("Total", BODY), ("1\u{202F}234,56\u{A0}€", BODY)]);
        layout.table_row(&table, &[("TVA", BODY), ("12,00\u{A0}€", BODY)]);
        let pages = layout.finish(None, |_, _| String::new(), BODY);
        let ends: Vec<f32> = pages.pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Text { x, text, style, .. } if text.ends_with('€') => {
                    Some(x + faces.width(text, *style))
                }
                _ => None,
            })
            .collect();
        assert_eq!(ends.len(), 2);
        for end in ends {
            assert!(
                (end - (100.0 + 220.0 - table.pad)).abs() < 1e-3,
                "ends at {end}"
            );
        }
    }

    #[test]
    fn paints_a_valid_pdf() {
        let (regular, bold) = faces();
        let mut layout = Layout::new(
            Faces {
                regular: &regular,
                bold: &bold,
            },
            A4,
        );
        layout.paragraph(A4.margin_left, 200.0, "Société Générale d’Équipement", BODY);
        let pdf = layout
            .finish(None, |n, t| format!("Page {n} / {t}"), BODY)
            .to_pdf(Metadata::new())
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
