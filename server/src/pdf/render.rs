//! The invoice and statement PDFs: what goes where, in which words. Layout mechanics live in
//! `layout.rs`; every amount and date goes through `app::domain::locale`.

use std::path::Path;

use anyhow::{Context, bail};
use app::domain::invoice::DocumentKind;
use app::domain::locale::{Lang, format_date, format_money};
use app::domain::money::Money;
use app::domain::statement::{DueTiming, StatementItem};
use app::i18n;
use krilla::metadata::Metadata;

use super::layout::{A4, Column, Face, Faces, Layout, Rgb, Style, Table, Weight};
use super::{InvoiceDoc, LetterDoc, Party, ReceiptDoc, ScheduleDoc, StatementDoc};

/// The regular and bold fonts every document is set in. Load once at start-up and share.
#[derive(Debug, Clone)]
pub struct FontSet {
    regular: Face,
    bold: Face,
}

/// Characters our own texts and formats print; a font without them would show empty boxes.
const REQUIRED_CHARS: &str = "0123456789€$£¥%éèêàâçôûÉÈÀÇ«»’–—\u{A0}\u{202F}";

impl FontSet {
    pub fn load(
        regular_path: impl AsRef<Path>,
        bold_path: impl AsRef<Path>,
    ) -> anyhow::Result<FontSet> {
        let read = |p: &Path| {
            std::fs::read(p).with_context(|| format!("cannot read the font {}", p.display()))
        };
        FontSet::from_bytes(read(regular_path.as_ref())?, read(bold_path.as_ref())?)
    }

    /// Checks both fonts can print French amounts and accents, so a wrong font fails at
    /// start-up rather than in a debtor's PDF.
    pub fn from_bytes(regular: Vec<u8>, bold: Vec<u8>) -> anyhow::Result<FontSet> {
        let regular = Face::from_bytes(regular).context("regular font")?;
        let bold = Face::from_bytes(bold).context("bold font")?;
        for (name, face) in [("regular", &regular), ("bold", &bold)] {
            let missing: String = REQUIRED_CHARS
                .chars()
                .filter(|c| !face.covers(*c))
                .collect();
            if !missing.is_empty() {
                bail!("the {name} font lacks characters the documents need: {missing:?}");
            }
        }
        Ok(FontSet { regular, bold })
    }

    fn faces(&self) -> Faces<'_> {
        Faces {
            regular: &self.regular,
            bold: &self.bold,
        }
    }
}

const INK: Rgb = (33, 37, 41);
const MUTED: Rgb = (96, 104, 112);
const RULE: Rgb = (214, 218, 222);
const HEADER_FILL: Rgb = (240, 242, 245);
const LATE: Rgb = (168, 29, 38);

const BODY: Style = Style::new(Weight::Regular, 9.5, INK);
const STRONG: Style = Style::new(Weight::Bold, 9.5, INK);
const SMALL: Style = Style::new(Weight::Regular, 8.5, MUTED);
const LABEL: Style = Style::new(Weight::Bold, 7.5, MUTED);
const NAME: Style = Style::new(Weight::Bold, 12.0, INK);
const HEADING: Style = Style::new(Weight::Bold, 11.0, INK);
const TH: Style = Style::new(Weight::Bold, 8.0, INK);
const TD: Style = Style::new(Weight::Regular, 8.5, INK);
const TD_STRONG: Style = Style::new(Weight::Bold, 8.5, INK);
/// The open items table is the widest: a notch smaller, so dates and "en retard de 100 jours" fit.
const ITEM: Style = Style::new(Weight::Regular, 8.0, INK);
const ITEM_STRONG: Style = Style::new(Weight::Bold, 8.0, INK);
const FOOTER: Style = Style::new(Weight::Regular, 7.5, MUTED);

/// Space each side of a table cell's text; shared so totals line up with the lines table.
const CELL_PAD: f32 = 3.0;

fn title_style(accent: Rgb) -> Style {
    Style::new(Weight::Bold, 18.0, accent)
}

pub fn render_invoice(doc: &InvoiceDoc, font: &FontSet) -> anyhow::Result<Vec<u8>> {
    let lang = doc.lang;
    let title = i18n::pdf_document_title(lang, doc.kind, &doc.number);
    let mut layout = Layout::new(font.faces(), A4);
    layout.set_running_header(format!("{title} — {}", doc.creditor.name), SMALL);

    parties(
        &mut layout,
        &doc.creditor,
        (i18n::PDF_BILL_TO.get(lang), &doc.debtor),
    );
    document_title(&mut layout, &title, doc.accent);

    let mut dates = Table::new(
        A4.margin_left,
        vec![Column::left(110.0), Column::left(150.0)],
    );
    dates.pad = 0.0;
    for (label, date) in [
        (i18n::PDF_ISSUE_DATE, doc.issue_date),
        (i18n::PDF_DUE_DATE, doc.due_date),
    ] {
        let date = format_date(date, lang);
        layout.table_row(&dates, &[(label.get(lang), SMALL), (&date, STRONG)]);
    }
    layout.gap(16.0);

    invoice_lines(&mut layout, doc);
    invoice_totals(&mut layout, doc);
    if doc.kind == DocumentKind::Invoice {
        payment_details(&mut layout, doc);
    }

    let pages = layout.finish(
        Some((&doc.creditor.name, FOOTER)),
        |n, total| i18n::pdf_page_of(lang, n, total),
        FOOTER,
    );
    pages.to_pdf(metadata(title, lang, &doc.creditor))
}

pub fn render_statement(doc: &StatementDoc, font: &FontSet) -> anyhow::Result<Vec<u8>> {
    let lang = doc.lang;
    let st = &doc.statement;
    let title = i18n::pdf_statement_title(lang, &format_date(st.as_of, lang));
    let mut layout = Layout::new(font.faces(), A4);
    layout.set_running_header(format!("{title} — {}", doc.debtor.name), SMALL);

    parties(
        &mut layout,
        &doc.creditor,
        (i18n::PDF_CUSTOMER.get(lang), &doc.debtor),
    );
    document_title(&mut layout, &title, doc.accent);

    if st.totals.is_empty() {
        layout.paragraph(
            A4.margin_left,
            A4.content_width(),
            i18n::NOTHING_OWED.get(lang),
            STRONG,
        );
    } else {
        statement_totals(&mut layout, doc);
        aged_balance(&mut layout, doc);
    }
    open_items(&mut layout, doc);
    recent_payments(&mut layout, doc);

    // The sentence ends in "write to us:", so it only makes sense with an address.
    if let Some(email) = doc.creditor.email.as_deref().filter(|e| !e.is_empty()) {
        let question = format!("{} {email}", i18n::QUESTIONS.get(lang));
        layout.gap(18.0);
        layout.ensure(BODY.line_height() * 2.0);
        layout.paragraph(A4.margin_left, A4.content_width(), &question, BODY);
    }

    let pages = layout.finish(
        Some((&doc.creditor.name, FOOTER)),
        |n, total| i18n::pdf_page_of(lang, n, total),
        FOOTER,
    );
    pages.to_pdf(metadata(title, lang, &doc.creditor))
}

fn metadata(title: String, lang: Lang, creditor: &Party) -> Metadata {
    Metadata::new()
        .title(title)
        .language(lang.code().to_owned())
        .authors(vec![creditor.name.clone()])
        .creator("Amiable".to_owned())
}

/// Name, address, identifiers and email of one party, under an optional small label.
fn party_lines<'a>(label: Option<&'a str>, party: &'a Party) -> Vec<(&'a str, Style)> {
    let mut lines = Vec::new();
    if let Some(label) = label {
        lines.push((label, LABEL));
    }
    lines.push((party.name.as_str(), NAME));
    lines.extend(party.address_lines.iter().map(|l| (l.as_str(), BODY)));
    lines.extend(party.identifiers.iter().map(|l| (l.as_str(), SMALL)));
    lines.extend(party.email.iter().map(|l| (l.as_str(), SMALL)));
    lines
}

/// The creditor on the left, the debtor on the right (where a window envelope shows it).
fn parties(layout: &mut Layout<'_>, creditor: &Party, (label, debtor): (&str, &Party)) {
    let gutter = 30.0;
    let width = (A4.content_width() - gutter) / 2.0;
    let left = layout.block(A4.margin_left, width, &party_lines(None, creditor));
    let right = layout.block(
        A4.margin_left + width + gutter,
        width,
        &party_lines(Some(label), debtor),
    );
    layout.advance(left.max(right) + 26.0);
}

fn document_title(layout: &mut Layout<'_>, title: &str, accent: Rgb) {
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        title,
        title_style(accent),
    );
    layout.advance(3.0);
    layout.rule(1.5, accent);
    layout.advance(12.0);
}

/// A section heading, kept on the same page as the start of what follows it.
fn heading(layout: &mut Layout<'_>, text: &str, keep_with_next: f32) {
    layout.gap(18.0);
    layout.ensure(HEADING.line_height() + 4.0 + keep_with_next);
    layout.paragraph(A4.margin_left, A4.content_width(), text, HEADING);
    layout.advance(4.0);
}

/// A full-width table with a shaded header, accent rule, and hairlines between rows.
fn data_table(columns: Vec<Column>, accent: Rgb) -> Table {
    let mut table = Table::new(A4.margin_left, columns);
    table.pad = CELL_PAD;
    table.header_fill = Some(HEADER_FILL);
    table.header_rule = Some(accent);
    table.row_rule = Some(RULE);
    table
}

/// Widths of the columns after the first, which takes what is left of the content width.
fn columns(rest: &[(f32, bool)]) -> Vec<Column> {
    let first = A4.content_width() - rest.iter().map(|(w, _)| w).sum::<f32>();
    std::iter::once(Column::left(first))
        .chain(rest.iter().map(|&(w, right)| {
            if right {
                Column::right(w)
            } else {
                Column::left(w)
            }
        }))
        .collect()
}

fn invoice_lines(layout: &mut Layout<'_>, doc: &InvoiceDoc) {
    if doc.lines.is_empty() {
        return;
    }
    let lang = doc.lang;
    let table = data_table(
        columns(&[(45.0, true), (85.0, true), (50.0, true), (100.0, true)]),
        doc.accent,
    );
    let header = [
        i18n::PDF_DESCRIPTION.get(lang),
        i18n::PDF_QUANTITY.get(lang),
        i18n::PDF_UNIT_PRICE.get(lang),
        i18n::PDF_VAT_RATE.get(lang),
        i18n::PDF_LINE_TOTAL.get(lang),
    ];
    let rows: Vec<[String; 5]> = doc
        .lines
        .iter()
        .map(|line| {
            [
                line.description.clone(),
                format_quantity(line.quantity_milli, lang),
                format_money(line.unit_price, lang),
                format_rate(line.tax_rate_bp, lang),
                format_money(line.total_excl_tax, lang),
            ]
        })
        .collect();
    fn cells(row: &[String; 5]) -> [(&str, Style); 5] {
        row.each_ref().map(|c| (c.as_str(), TD))
    }
    let first = rows
        .first()
        .map_or(0.0, |r| layout.measure_row(&table, &cells(r)));
    layout.table_header(&table, &header.map(|h| (h, TH)), first);
    for row in &rows {
        layout.table_row(&table, &cells(row));
    }
    layout.end_table();
}

fn invoice_totals(layout: &mut Layout<'_>, doc: &InvoiceDoc) {
    let lang = doc.lang;
    let big = Style::new(Weight::Bold, 10.5, doc.accent);
    let remaining_label = match doc.kind {
        DocumentKind::Invoice => i18n::REMAINING,
        DocumentKind::CreditNote => i18n::CREDIT_LEFT,
    };
    let rows = [
        (
            i18n::PDF_TOTAL_EXCL_TAX.get(lang),
            format_money(doc.total_excl_tax, lang),
            BODY,
            BODY,
        ),
        (
            i18n::PDF_TOTAL_TAX.get(lang),
            format_money(doc.total_tax, lang),
            BODY,
            BODY,
        ),
        (
            i18n::PDF_TOTAL_INCL_TAX.get(lang),
            format_money(doc.total_incl_tax, lang),
            STRONG,
            STRONG,
        ),
        (
            remaining_label.get(lang),
            format_money(doc.remaining, lang),
            big,
            big,
        ),
    ];
    // Right-aligned under the lines table, so amounts line up with its last column.
    let width = 250.0;
    let x = A4.right() - width;
    let mut table = Table::new(x, vec![Column::left(140.0), Column::right(width - 140.0)]);
    table.pad = CELL_PAD;
    let gap_before_due = 6.0;
    let height = rows
        .iter()
        .map(|(l, v, ls, vs)| layout.measure_row(&table, &[(l, *ls), (v, *vs)]))
        .sum::<f32>();
    layout.gap(10.0);
    layout.ensure(height + gap_before_due);
    for (i, (label, value, label_style, value_style)) in rows.iter().enumerate() {
        if i == rows.len() - 1 {
            layout.advance(gap_before_due / 2.0);
            layout.line(x, A4.right(), 0.8, doc.accent);
            layout.advance(gap_before_due / 2.0);
        }
        layout.table_row(&table, &[(label, *label_style), (value, *value_style)]);
    }
}

fn payment_details(layout: &mut Layout<'_>, doc: &InvoiceDoc) {
    let lang = doc.lang;
    let mut table = Table::new(
        A4.margin_left,
        vec![
            Column::left(140.0),
            Column::left(A4.content_width() - 140.0),
        ],
    );
    table.pad = 0.0;
    let mut rows = vec![(
        i18n::PDF_PAYMENT_REFERENCE.get(lang),
        doc.payment_reference.as_str(),
        STRONG,
    )];
    if let Some(bank) = doc.bank_details.as_deref().filter(|b| !b.trim().is_empty()) {
        rows.push((i18n::PDF_BANK_DETAILS.get(lang), bank, BODY));
    }
    let note = i18n::PDF_QUOTE_REFERENCE.get(lang);
    let height = rows
        .iter()
        .map(|(l, v, s)| layout.measure_row(&table, &[(l, SMALL), (v, *s)]))
        .sum::<f32>()
        + layout.block_height(A4.content_width(), &[(note, SMALL)])
        + 6.0;
    heading(layout, i18n::PDF_PAYMENT.get(lang), height);
    for (label, value, style) in rows {
        layout.table_row(&table, &[(label, SMALL), (value, style)]);
    }
    layout.advance(6.0);
    layout.paragraph(A4.margin_left, A4.content_width(), note, SMALL);
}

/// "dont échu" as a column heading: "Dont échu".
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn statement_totals(layout: &mut Layout<'_>, doc: &StatementDoc) {
    let lang = doc.lang;
    let table = data_table(
        columns(&[(135.0, true), (135.0, true), (135.0, true)]),
        doc.accent,
    );
    let header = [
        i18n::CURRENCY.get(lang).to_owned(),
        i18n::BALANCE.get(lang).to_owned(),
        capitalized(i18n::OVERDUE.get(lang)),
        i18n::CREDITS.get(lang).to_owned(),
    ];
    let header: Vec<(&str, Style)> = header.iter().map(|h| (h.as_str(), TH)).collect();
    heading(layout, i18n::YOUR_BALANCE.get(lang), 3.0 * TD.line_height());
    layout.table_header(&table, &header, 2.0 * TD.line_height());
    for t in &doc.statement.totals {
        let overdue_style = if t.overdue.is_zero() {
            TD
        } else {
            Style { color: LATE, ..TD }
        };
        layout.table_row(
            &table,
            &[
                (t.currency.code(), TD),
                (&format_money(t.balance, lang), TD_STRONG),
                (&format_money(t.overdue, lang), overdue_style),
                (&format_money(t.credits, lang), TD),
            ],
        );
    }
    layout.end_table();
}

fn aged_balance(layout: &mut Layout<'_>, doc: &StatementDoc) {
    let lang = doc.lang;
    let table = data_table(columns(&[(85.0, true); 5]), doc.accent);
    let header = [
        i18n::CURRENCY,
        i18n::NOT_DUE,
        i18n::DAYS_1_30,
        i18n::DAYS_31_60,
        i18n::DAYS_61_90,
        i18n::OVER_90,
    ]
    .map(|t| (t.get(lang), TH));
    heading(layout, i18n::AGED_BALANCE.get(lang), 4.0 * TD.line_height());
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        i18n::AGED_CAPTION.get(lang),
        SMALL,
    );
    layout.advance(4.0);
    layout.table_header(&table, &header, 2.0 * TD.line_height());
    for t in &doc.statement.totals {
        let amounts = t.aged.buckets().map(|m| format_money(m, lang));
        let mut row = vec![(t.currency.code(), TD)];
        row.extend(amounts.iter().map(|a| (a.as_str(), TD)));
        layout.table_row(&table, &row);
    }
    layout.end_table();
}

/// Credit notes count against the balance, so they print as negative amounts.
fn signed(kind: DocumentKind, m: Money) -> Money {
    match kind {
        DocumentKind::Invoice => m,
        DocumentKind::CreditNote => Money::new(m.minor.saturating_neg(), m.currency),
    }
}

fn timing(lang: Lang, item: &StatementItem) -> (String, Style) {
    match (item.invoice.kind, item.timing) {
        // A credit note is not "overdue": it is there to be used.
        (DocumentKind::CreditNote, _) => (String::new(), ITEM),
        (_, DueTiming::Overdue(days)) => (
            i18n::days_overdue(lang, days),
            Style {
                color: LATE,
                ..ITEM
            },
        ),
        (_, DueTiming::DueToday) => (i18n::due_today(lang).to_owned(), ITEM),
        (_, DueTiming::DueIn(days)) => (i18n::due_in_days(lang, days), ITEM),
    }
}

/// Number, kind, issued, due, timing, amount, remaining: sized so typical values of both
/// languages stay on one line (see the test).
fn open_items_table(accent: Rgb) -> Table {
    data_table(
        columns(&[
            (52.0, false),
            (58.0, false),
            (58.0, false),
            (103.0, false),
            (80.0, true),
            (80.0, true),
        ]),
        accent,
    )
}

fn open_items(layout: &mut Layout<'_>, doc: &StatementDoc) {
    let lang = doc.lang;
    let items = &doc.statement.items;
    heading(layout, i18n::OPEN_ITEMS.get(lang), 3.0 * TD.line_height());
    if items.is_empty() {
        layout.paragraph(
            A4.margin_left,
            A4.content_width(),
            i18n::NO_OPEN_ITEMS.get(lang),
            BODY,
        );
        return;
    }
    let table = open_items_table(doc.accent);
    let header = [
        i18n::PDF_NUMBER,
        i18n::PDF_KIND,
        i18n::ISSUED,
        i18n::DUE,
        i18n::PDF_TIMING,
        i18n::AMOUNT,
        i18n::REMAINING,
    ]
    .map(|t| (t.get(lang), TH));
    layout.table_header(&table, &header, 2.0 * ITEM.line_height());
    for item in items {
        let inv = &item.invoice;
        let (timing, timing_style) = timing(lang, item);
        layout.table_row(
            &table,
            &[
                (&inv.number, ITEM),
                (i18n::document_kind(lang, inv.kind), ITEM),
                (&format_date(inv.issue_date, lang), ITEM),
                (&format_date(inv.due_date, lang), ITEM),
                (&timing, timing_style),
                (&format_money(signed(inv.kind, inv.amount), lang), ITEM),
                (
                    &format_money(signed(inv.kind, inv.remaining), lang),
                    ITEM_STRONG,
                ),
            ],
        );
    }
    layout.end_table();
}

fn recent_payments(layout: &mut Layout<'_>, doc: &StatementDoc) {
    let lang = doc.lang;
    let payments = &doc.statement.recent_payments;
    heading(
        layout,
        i18n::RECENT_PAYMENTS.get(lang),
        3.0 * TD.line_height(),
    );
    if payments.is_empty() {
        layout.paragraph(
            A4.margin_left,
            A4.content_width(),
            i18n::NO_PAYMENTS.get(lang),
            BODY,
        );
        return;
    }
    let table = data_table(
        columns(&[(110.0, false), (190.0, false), (105.0, true)]),
        doc.accent,
    );
    let header = [
        i18n::RECEIVED_ON,
        i18n::METHOD,
        i18n::REFERENCE,
        i18n::AMOUNT,
    ]
    .map(|t| (t.get(lang), TH));
    layout.table_header(&table, &header, 2.0 * TD.line_height());
    for p in payments {
        layout.table_row(
            &table,
            &[
                (&format_date(p.received_on, lang), TD),
                (&i18n::payment_method(lang, &p.method), TD),
                (&p.reference, TD),
                (&format_money(p.amount, lang), TD),
            ],
        );
    }
    layout.end_table();
}

/// Groups of three digits, with the language's separator.
fn group_thousands(digits: &str, lang: Lang) -> String {
    let sep = match lang {
        Lang::Fr => '\u{202F}',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A fixed-point number with `scale` implied decimals, trailing zeros dropped: 1500/1000 → "1,5".
fn format_decimal(value: i64, scale: u64, lang: Lang) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let int = group_thousands(&(abs / scale).to_string(), lang);
    let width = scale.ilog10() as usize;
    let frac = format!("{:0width$}", abs % scale);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        return format!("{sign}{int}");
    }
    let point = match lang {
        Lang::Fr => ',',
        Lang::En => '.',
    };
    format!("{sign}{int}{point}{frac}")
}

/// Quantity in thousandths: 1500 → "1,5" (fr), "1.5" (en).
fn format_quantity(milli: i64, lang: Lang) -> String {
    format_decimal(milli, 1000, lang)
}

/// VAT rate in basis points: 2000 → "20 %" (fr, narrow no-break space as CLDR), "20%" (en).
fn format_rate(bp: i64, lang: Lang) -> String {
    let n = format_decimal(bp, 100, lang);
    match lang {
        Lang::Fr => format!("{n}\u{202F}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A payment receipt: what was received, how, what it settled, and what is still owed.
pub fn render_receipt(doc: &ReceiptDoc, font: &FontSet) -> anyhow::Result<Vec<u8>> {
    let lang = doc.lang;
    let title = format!("{} {}", i18n::RECEIPT_PDF_TITLE.get(lang), doc.number);
    let mut layout = Layout::new(font.faces(), A4);
    layout.set_running_header(format!("{title} — {}", doc.creditor.name), SMALL);
    parties(
        &mut layout,
        &doc.creditor,
        (i18n::PDF_CUSTOMER.get(lang), &doc.debtor),
    );
    document_title(&mut layout, &title, doc.accent);

    let method = i18n::payment_method(lang, &doc.method);
    let method = if doc.method_detail.is_empty() {
        method
    } else {
        format!("{method} — {}", doc.method_detail)
    };
    let mut facts = Table::new(
        A4.margin_left,
        vec![
            Column::left(140.0),
            Column::left(A4.content_width() - 140.0),
        ],
    );
    facts.pad = 0.0;
    let received = format_date(doc.received_on, lang);
    for (label, value) in [
        (i18n::RECEIVED_ON.get(lang), received.as_str()),
        (i18n::METHOD.get(lang), method.as_str()),
    ] {
        layout.table_row(&facts, &[(label, SMALL), (value, STRONG)]);
    }
    layout.gap(10.0);
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        i18n::RECEIPT_AMOUNT.get(lang),
        LABEL,
    );
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        &format_money(doc.amount, lang),
        Style::new(Weight::Bold, 20.0, doc.accent),
    );

    if !doc.lines.is_empty() {
        let table = data_table(columns(&[(130.0, true), (130.0, true)]), doc.accent);
        let header = [
            i18n::PAY_INVOICE.get(lang),
            i18n::PAY_APPLIED.get(lang),
            i18n::PAY_LEFT_AFTER.get(lang),
        ]
        .map(|h| (h, TH));
        heading(
            &mut layout,
            i18n::PAY_SETTLES.get(lang),
            3.0 * TD.line_height(),
        );
        layout.table_header(&table, &header, 2.0 * TD.line_height());
        for l in &doc.lines {
            let (applied, left) = (
                format_money(l.applied, lang),
                format_money(l.remaining_after, lang),
            );
            layout.table_row(
                &table,
                &[
                    (l.invoice_number.as_str(), TD),
                    (&applied, TD_STRONG),
                    (&left, TD),
                ],
            );
        }
        layout.end_table();
    }

    layout.gap(12.0);
    let mut totals = Table::new(
        A4.right() - 260.0,
        vec![Column::left(160.0), Column::right(100.0)],
    );
    totals.pad = CELL_PAD;
    if doc.credit.minor > 0 {
        let credit = format_money(doc.credit, lang);
        layout.table_row(
            &totals,
            &[(i18n::RECEIPT_CREDIT.get(lang), BODY), (&credit, STRONG)],
        );
    }
    let owed = format_money(doc.balance_after, lang);
    layout.table_row(
        &totals,
        &[(i18n::PAY_BALANCE_AFTER.get(lang), STRONG), (&owed, STRONG)],
    );
    layout.gap(18.0);
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        i18n::RECEIPT_THANKS.get(lang),
        BODY,
    );

    let pages = layout.finish(
        Some((&doc.creditor.name, FOOTER)),
        |n, total| i18n::pdf_page_of(lang, n, total),
        FOOTER,
    );
    pages.to_pdf(metadata(title, lang, &doc.creditor))
}

/// The agreed schedule: what it covers, then each instalment's date and amount.
pub fn render_schedule(doc: &ScheduleDoc, font: &FontSet) -> anyhow::Result<Vec<u8>> {
    let lang = doc.lang;
    let title = format!("{} {}", i18n::SCHEDULE_PDF_TITLE.get(lang), doc.number);
    let mut layout = Layout::new(font.faces(), A4);
    layout.set_running_header(format!("{title} — {}", doc.creditor.name), SMALL);
    parties(
        &mut layout,
        &doc.creditor,
        (i18n::PDF_CUSTOMER.get(lang), &doc.debtor),
    );
    document_title(&mut layout, &title, doc.accent);

    let mut facts = Table::new(
        A4.margin_left,
        vec![
            Column::left(140.0),
            Column::left(A4.content_width() - 140.0),
        ],
    );
    facts.pad = 0.0;
    let accepted = format_date(doc.accepted_on, lang);
    let total = format_money(doc.total, lang);
    let invoices = doc
        .invoices
        .iter()
        .map(|(n, m)| format!("{n} ({})", format_money(*m, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    for (label, value) in [
        (i18n::SCHEDULE_AGREED_ON.get(lang), accepted.as_str()),
        (i18n::AMOUNT.get(lang), total.as_str()),
        (i18n::SCHEDULE_COVERS.get(lang), invoices.as_str()),
    ] {
        layout.table_row(&facts, &[(label, SMALL), (value, STRONG)]);
    }

    let table = data_table(
        vec![
            Column::left(60.0),
            Column::left(A4.content_width() - 190.0),
            Column::right(130.0),
        ],
        doc.accent,
    );
    let header = [
        i18n::SCHEDULE_INSTALMENT.get(lang),
        i18n::SCHEDULE_PDF_DATE.get(lang),
        i18n::AMOUNT.get(lang),
    ]
    .map(|h| (h, TH));
    heading(
        &mut layout,
        i18n::SCHEDULE_INSTALMENTS.get(lang),
        3.0 * TD.line_height(),
    );
    layout.table_header(&table, &header, 2.0 * TD.line_height());
    for (seq, due, amount) in &doc.instalments {
        let (seq, due, amount) = (
            seq.to_string(),
            format_date(*due, lang),
            format_money(*amount, lang),
        );
        layout.table_row(
            &table,
            &[(seq.as_str(), TD), (&due, TD), (&amount, TD_STRONG)],
        );
    }
    layout.end_table();
    layout.gap(18.0);
    layout.paragraph(
        A4.margin_left,
        A4.content_width(),
        i18n::SCHEDULE_PDF_TERMS.get(lang),
        BODY,
    );

    let pages = layout.finish(
        Some((&doc.creditor.name, FOOTER)),
        |n, total| i18n::pdf_page_of(lang, n, total),
        FOOTER,
    );
    pages.to_pdf(metadata(title, lang, &doc.creditor))
}

/// A reminder letter or formal notice: the parties, the date, the step's text, the invoices
/// owed, and on a formal notice to a business the late charges apart, with the legal mentions.
pub fn render_letter(doc: &LetterDoc, font: &FontSet) -> anyhow::Result<Vec<u8>> {
    use app::i18n::reminder_actions as words;
    let lang = doc.lang;
    let title = if doc.formal_notice {
        words::PDF_FORMAL_NOTICE.get(lang)
    } else {
        words::PDF_LETTER.get(lang)
    }
    .to_string();
    let mut layout = Layout::new(font.faces(), A4);
    layout.set_running_header(format!("{title} — {}", doc.creditor.name), SMALL);
    parties(
        &mut layout,
        &doc.creditor,
        (i18n::PDF_CUSTOMER.get(lang), &doc.debtor),
    );
    document_title(&mut layout, &title, doc.accent);
    let dated = format!(
        "{} {}",
        words::PDF_DATED.get(lang),
        format_date(doc.dated, lang)
    );
    layout.paragraph(A4.margin_left, A4.content_width(), &dated, SMALL);
    layout.gap(10.0);
    for p in doc
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        for line in p.lines() {
            layout.paragraph(A4.margin_left, A4.content_width(), line, BODY);
        }
        layout.gap(6.0);
    }

    let table = data_table(
        vec![
            Column::left(A4.content_width() - 240.0),
            Column::left(110.0),
            Column::right(130.0),
        ],
        doc.accent,
    );
    heading(
        &mut layout,
        words::PDF_INVOICES_OWED.get(lang),
        3.0 * TD.line_height(),
    );
    let header = [
        words::PDF_INVOICE.get(lang),
        i18n::PDF_DUE_DATE.get(lang),
        words::PDF_REMAINING.get(lang),
    ]
    .map(|h| (h, TH));
    layout.table_header(&table, &header, 2.0 * TD.line_height());
    for (number, due, remaining) in &doc.invoices {
        let (due, remaining) = (format_date(*due, lang), format_money(*remaining, lang));
        layout.table_row(
            &table,
            &[(number.as_str(), TD), (&due, TD), (&remaining, TD_STRONG)],
        );
    }
    layout.table_row(
        &table,
        &[
            (words::PDF_TOTAL_OWED.get(lang), TD_STRONG),
            ("", TD),
            (&doc.total, TD_STRONG),
        ],
    );
    layout.end_table();

    if let Some(c) = &doc.charges {
        let table = data_table(
            vec![
                Column::left(A4.content_width() - 260.0),
                Column::right(130.0),
                Column::right(130.0),
            ],
            doc.accent,
        );
        heading(
            &mut layout,
            words::PDF_LATE_CHARGES.get(lang),
            3.0 * TD.line_height(),
        );
        let header = [
            (words::PDF_INVOICE.get(lang), TH),
            (words::PDF_INDEMNITY.get(lang), TH),
            (words::PDF_INTEREST.get(lang), TH),
        ];
        layout.table_header(&table, &header, 2.0 * TD.line_height());
        for (number, indemnity, interest) in &c.lines {
            let (a, b) = (
                format_money(*indemnity, lang),
                format_money(*interest, lang),
            );
            layout.table_row(&table, &[(number.as_str(), TD), (&a, TD), (&b, TD)]);
        }
        layout.table_row(
            &table,
            &[
                (words::PDF_CHARGES_TOTAL.get(lang), TD_STRONG),
                ("", TD),
                (&c.total, TD_STRONG),
            ],
        );
        layout.end_table();
        layout.gap(8.0);
        layout.paragraph(
            A4.margin_left,
            A4.content_width(),
            words::PDF_CHARGES_APART.get(lang),
            SMALL,
        );
    }
    if doc.formal_notice {
        heading(
            &mut layout,
            words::PDF_LEGAL.get(lang),
            3.0 * SMALL.line_height(),
        );
        layout.paragraph(
            A4.margin_left,
            A4.content_width(),
            words::PDF_LEGAL_NOTICE.get(lang),
            SMALL,
        );
        if doc.charges.is_some() {
            layout.gap(4.0);
            layout.paragraph(
                A4.margin_left,
                A4.content_width(),
                words::PDF_LEGAL_CHARGES.get(lang),
                SMALL,
            );
        }
    }

    let pages = layout.finish(
        Some((&doc.creditor.name, FOOTER)),
        |n, total| i18n::pdf_page_of(lang, n, total),
        FOOTER,
    );
    pages.to_pdf(metadata(title, lang, &doc.creditor))
}

#[cfg(test)]
mod tests {
    use super::super::{InvoiceLine, ReceiptLine};
    use super::*;
    use app::domain::invoice::InvoiceStatus;
    use app::domain::money::Currency;
    use app::domain::statement::{InvoiceFacts, PaymentFacts, Statement};
    use chrono::NaiveDate;
    use std::process::Command;

    const REGULAR: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    const BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    const DEBTOR: &str = "Société Générale d'Équipement — Hôtel Côte d'Azur";

    fn fonts() -> FontSet {
        FontSet::load(REGULAR, BOLD).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    fn creditor() -> Party {
        Party {
            name: "Atelier « Les Tilleuls » SARL".into(),
            address_lines: vec!["12, rue de l’Église".into(), "69002 Lyon".into()],
            identifiers: vec!["SIREN 552 100 554".into(), "TVA FR12 552100554".into()],
            email: Some("compta@tilleuls.example".into()),
        }
    }

    fn debtor() -> Party {
        Party {
            name: DEBTOR.into(),
            address_lines: vec!["4, promenade des Anglais".into(), "06000 Nice".into()],
            identifiers: vec!["SIRET 123 456 789 00012".into()],
            email: None,
        }
    }

    pub(super) fn invoice(lang: Lang) -> InvoiceDoc {
        let line = |description: &str, quantity_milli, unit, rate, total| InvoiceLine {
            description: description.into(),
            quantity_milli,
            unit_price: eur(unit),
            tax_rate_bp: rate,
            total_excl_tax: eur(total),
        };
        InvoiceDoc {
            lang,
            kind: DocumentKind::Invoice,
            number: "F-2026-0042".into(),
            issue_date: day("2026-11-22"),
            due_date: day("2026-12-22"),
            creditor: creditor(),
            debtor: debtor(),
            accent: (0, 92, 151),
            lines: vec![
                line(
                    "Entretien des espaces verts — tonte, taille des haies et évacuation des déchets végétaux, conformément au contrat « Jardins 2026 »",
                    1500,
                    40000,
                    2000,
                    60000,
                ),
                line("Déplacement", 1000, 4880, 2000, 4880),
                line("Fourniture de terreau", 12000, 3840, 550, 46080),
            ],
            total_excl_tax: eur(110960),
            total_tax: eur(12496),
            total_incl_tax: eur(123456),
            remaining: eur(123456),
            payment_reference: "RF18 5390 0754 7034".into(),
            bank_details: Some("IBAN FR76 3000 6000 0112 3456 7890 189 — BIC AGRIFRPP".into()),
        }
    }

    pub(super) fn statement(rows: usize) -> StatementDoc {
        let today = day("2026-11-22");
        let invoices = (1..=rows)
            .map(|i| {
                let due = today + chrono::Duration::days(i as i64 - 100);
                let kind = if i % 17 == 0 {
                    DocumentKind::CreditNote
                } else {
                    DocumentKind::Invoice
                };
                let amount = eur(10_000 + i as i64 * 1_234);
                InvoiceFacts {
                    id: format!("id-{i}"),
                    number: format!("F-2026-{i:04}"),
                    kind,
                    issue_date: due - chrono::Duration::days(30),
                    due_date: due,
                    amount,
                    remaining: if i % 5 == 0 {
                        eur(amount.minor / 2)
                    } else {
                        amount
                    },
                    status: InvoiceStatus::Open,
                }
            })
            .collect();
        let payments = (1..=3)
            .map(|i| PaymentFacts {
                received_on: today - chrono::Duration::days(i * 9),
                amount: eur(50_000 * i),
                method: if i == 2 {
                    "cheque".into()
                } else {
                    "transfer".into()
                },
                reference: format!("VIR-{i:03} « solde »"),
                unallocated: eur(0),
            })
            .collect();
        StatementDoc {
            lang: Lang::Fr,
            creditor: creditor(),
            debtor: debtor(),
            accent: (0, 92, 151),
            statement: Statement::build(invoices, payments, today).unwrap(),
        }
    }

    /// Writes the PDF where the command-line tools can read it; removed when dropped.
    struct TempPdf(std::path::PathBuf);

    impl TempPdf {
        fn new(name: &str, bytes: &[u8]) -> TempPdf {
            let path =
                std::env::temp_dir().join(format!("amiable-{}-{name}.pdf", std::process::id()));
            std::fs::write(&path, bytes).unwrap();
            TempPdf(path)
        }

        /// Runs `tool before… <file> after…` and returns its standard output.
        fn run(&self, tool: &str, before: &[&str], after: &[&str]) -> String {
            let out = Command::new(tool)
                .args(before)
                .arg(&self.0)
                .args(after)
                .output()
                .unwrap_or_else(|e| panic!("{tool} did not run: {e}"));
            let (stdout, stderr) = (
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
            assert!(out.status.success(), "{tool} failed: {stdout}{stderr}");
            stdout.into_owned()
        }

        /// The text as pdftotext extracts it in drawing order (so side-by-side blocks don't
        /// interleave), line breaks and space runs made one space (so a wrapped name reads
        /// whole). pdftotext prints every kind of space as an ASCII space.
        fn text(&self) -> String {
            squeeze(&self.run("pdftotext", &["-raw", "-enc", "UTF-8"], &["-"]))
        }

        /// The text through poppler's HTML export, which keeps no-break spaces as they are.
        fn exact_text(&self) -> String {
            let html = self.run("pdftohtml", &["-stdout", "-i", "-noframes", "-q"], &[]);
            let mut text = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push(' ');
                    }
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = text
                .replace("&#160;", "\u{A0}")
                .replace("&#39;", "'")
                .replace("&quot;", "\"");
            squeeze(
                &text
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        }

        fn pages(&self) -> usize {
            let info = self.run("pdfinfo", &[], &[]);
            info.lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        }
    }

    /// Runs of ASCII whitespace made one space; other spaces (U+00A0, U+202F) kept.
    fn squeeze(s: &str) -> String {
        s.split([' ', '\n', '\r', '\t', '\x0c'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// How pdftotext shows an amount: its no-break spaces become plain ones.
    fn plain(s: &str) -> String {
        s.replace(['\u{A0}', '\u{202F}'], " ")
    }

    impl Drop for TempPdf {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn french_invoice_is_valid_and_its_text_extracts_intact() {
        let pdf = TempPdf::new(
            "invoice-fr",
            &render_invoice(&invoice(Lang::Fr), &fonts()).unwrap(),
        );
        assert!(
            pdf.run("qpdf", &["--check"], &[])
                .contains("No syntax or stream encoding errors")
        );
        let text = pdf.text();
        for needle in [
            "Facture N° F-2026-0042",
            DEBTOR,
            "Atelier « Les Tilleuls » SARL",
            "12, rue de l’Église",
            "Date d’émission 22/11/2026",
            "Date d’échéance 22/12/2026",
            "Total TTC 1 234,56 €",
            "Reste à payer 1 234,56 €",
            "Référence de paiement RF18 5390 0754 7034",
            "IBAN FR76 3000 6000 0112 3456 7890 189 — BIC AGRIFRPP",
            "Page 1 / 1",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        // The first line, as a reader sees it: description, quantity, price, rate, total.
        assert!(
            text.contains("« Jardins 2026 » 1,5 400,00 € 20 % 600,00 €"),
            "{text}"
        );
        assert!(
            text.contains("Fourniture de terreau 12 38,40 € 5,5 % 460,80 €"),
            "{text}"
        );
        // The no-break spaces survive in the PDF's text (pdftotext just prints them as spaces).
        let exact = pdf.exact_text();
        for needle in [
            "1\u{202F}234,56\u{A0}€",
            "5,5\u{202F}%",
            "Hôtel Côte d'Azur",
            "« Les Tilleuls »",
        ] {
            assert!(exact.contains(needle), "{needle:?} missing from:\n{exact}");
        }
        assert_eq!(pdf.pages(), 1);
    }

    #[test]
    fn fonts_are_embedded_and_metadata_set() {
        let pdf = TempPdf::new(
            "fonts",
            &render_invoice(&invoice(Lang::Fr), &fonts()).unwrap(),
        );
        let listing = pdf.run("pdffonts", &[], &[]);
        // Columns: name, type, encoding, emb, sub, uni, object number, generation.
        let rows: Vec<Vec<&str>> = listing
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(rows.len(), 2, "{listing}");
        let names: Vec<&str> = rows
            .iter()
            .map(|r| r[0].split('+').next_back().unwrap())
            .collect();
        assert!(
            names.contains(&"DejaVuSans") && names.contains(&"DejaVuSans-Bold"),
            "{listing}"
        );
        for row in &rows {
            assert_eq!(
                row[row.len() - 5..row.len() - 2],
                ["yes", "yes", "yes"],
                "emb, sub, uni:\n{listing}"
            );
        }
        let info = pdf.run("pdfinfo", &[], &[]);
        let field = |name: &str| {
            info.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
                .unwrap_or("")
        };
        assert_eq!(field("Title:"), "Facture N° F-2026-0042");
        assert_eq!(field("Author:"), "Atelier « Les Tilleuls » SARL");
        let raw = pdf.run("qpdf", &["--qdf", "--object-streams=disable"], &["-"]);
        assert!(raw.contains("/Lang (fr)"), "no document language");
    }

    #[test]
    fn english_invoice_uses_english_formats() {
        let pdf = TempPdf::new(
            "invoice-en",
            &render_invoice(&invoice(Lang::En), &fonts()).unwrap(),
        );
        let text = pdf.text();
        for needle in [
            "Invoice No. F-2026-0042",
            "Bill to",
            "Issue date 22 Nov 2026",
            "« Jardins 2026 » 1.5 €400.00 20% €600.00",
            "5.5%",
            "Total incl. tax €1,234.56",
            "Page 1 of 1",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        assert!(!text.contains("Facture"));
    }

    #[test]
    fn credit_note_has_its_own_title_and_no_payment_request() {
        let mut doc = invoice(Lang::Fr);
        doc.kind = DocumentKind::CreditNote;
        doc.number = "AV-7".into();
        let text = TempPdf::new("credit", &render_invoice(&doc, &fonts()).unwrap()).text();
        assert!(text.contains("Avoir N° AV-7"), "{text}");
        assert!(text.contains("Reste à utiliser 1 234,56 €"));
        assert!(!text.contains("Référence de paiement"));
    }

    #[test]
    fn long_invoice_breaks_pages_and_numbers_them_all() {
        let mut doc = invoice(Lang::Fr);
        let line = doc.lines[0].clone();
        doc.lines = (0..60)
            .map(|i| InvoiceLine {
                description: format!("Ligne {i:02} — {}", line.description),
                ..line.clone()
            })
            .collect();
        let pdf = TempPdf::new("long-invoice", &render_invoice(&doc, &fonts()).unwrap());
        let pages = pdf.pages();
        assert!(pages >= 3, "{pages} pages");
        let text = pdf.text();
        for p in 1..=pages {
            assert!(text.contains(&format!("Page {p} / {pages}")), "page {p}");
        }
        for i in 0..60 {
            assert_eq!(
                text.matches(&format!("Ligne {i:02} —")).count(),
                1,
                "line {i}"
            );
        }
        // The table header is repeated on each page the lines reach.
        assert!(text.matches("Désignation Qté").count() >= pages - 1);
        assert!(text.contains("Total TTC 1 234,56 €"));
    }

    #[test]
    fn long_statement_runs_over_several_pages_with_every_row() {
        let doc = statement(120);
        assert_eq!(doc.statement.items.len(), 120);
        let pdf = TempPdf::new("statement", &render_statement(&doc, &fonts()).unwrap());
        assert!(
            pdf.run("qpdf", &["--check"], &[])
                .contains("No syntax or stream encoding errors")
        );
        let pages = pdf.pages();
        assert!(pages > 1, "{pages} pages");
        let text = pdf.text();
        for i in 1..=120 {
            assert_eq!(
                text.matches(&format!("F-2026-{i:04}")).count(),
                1,
                "row {i}"
            );
        }
        for p in 1..=pages {
            assert!(text.contains(&format!("Page {p} / {pages}")), "page {p}");
        }
        // Item 1 fell due 99 days ago, item 120 falls due in 20 days; item 17 is a credit note.
        for needle in [
            "Relevé de compte au 22/11/2026",
            DEBTOR,
            "Balance âgée",
            "Plus de 90 jours",
            "F-2026-0001 Facture 16/07/2026 15/08/2026 en retard de 99 jours",
            "F-2026-0120 Facture 12/11/2026 12/12/2026 échéance dans 20 jours",
            "F-2026-0017 Avoir",
            "Derniers paiements reçus",
            "Chèque",
            "VIR-001 « solde »",
            "compta@tilleuls.example",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        let item = |n: usize| {
            &doc.statement
                .items
                .iter()
                .find(|i| i.invoice.number == format!("F-2026-{n:04}"))
                .unwrap()
                .invoice
        };
        let credit = item(17);
        assert!(
            text.contains(&plain(&format!(
                "-{}",
                format_money(credit.remaining, Lang::Fr)
            ))),
            "credit notes print negative"
        );
        let t = &doc.statement.totals[0];
        for amount in [
            t.balance,
            t.overdue,
            t.credits,
            t.aged.not_due,
            t.aged.over_90,
        ] {
            assert!(
                text.contains(&plain(&format_money(amount, Lang::Fr))),
                "{amount:?}"
            );
        }
        assert!(
            pdf.exact_text()
                .contains(&format_money(t.balance, Lang::Fr))
        );
    }

    #[test]
    fn empty_statement_says_nothing_is_owed() {
        let mut doc = statement(0);
        doc.lang = Lang::En;
        let text = TempPdf::new("empty", &render_statement(&doc, &fonts()).unwrap()).text();
        for needle in [
            "Statement of account as of 22 Nov 2026",
            "You owe nothing today. Thank you!",
            "No open invoices.",
            "Received Method Reference Amount",
            "Page 1 of 1",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from {text}");
        }
    }

    #[test]
    fn typical_open_item_cells_stay_on_one_line() {
        let fonts = fonts();
        let faces = fonts.faces();
        let table = open_items_table((0, 0, 0));
        for lang in Lang::ALL {
            let widest_date = format_date(day("2026-11-28"), lang);
            let cells = [
                // Credit-note numbers are the widest common ones: capitals A and V, 12 characters.
                ("AV-2026-0007".to_owned(), ITEM),
                (
                    i18n::document_kind(lang, DocumentKind::CreditNote).to_owned(),
                    ITEM,
                ),
                (widest_date.clone(), ITEM),
                (widest_date, ITEM),
                (i18n::days_overdue(lang, 100), ITEM),
                (format_money(eur(-123_456_789), lang), ITEM),
                (format_money(eur(-1_234_567_890), lang), ITEM_STRONG),
            ];
            for ((text, style), col) in cells.iter().zip(&table.columns) {
                let lines = faces.wrap(text, *style, col.width - 2.0 * table.pad);
                assert_eq!(lines.len(), 1, "{text:?} wraps: {lines:?}");
            }
            let timing = i18n::due_in_days(lang, 20);
            assert_eq!(
                faces
                    .wrap(&timing, ITEM, table.columns[4].width - 2.0 * table.pad)
                    .len(),
                1,
                "{timing}"
            );
        }
    }

    #[test]
    fn quantities_and_rates_follow_the_language() {
        assert_eq!(format_quantity(1500, Lang::Fr), "1,5");
        assert_eq!(format_quantity(1500, Lang::En), "1.5");
        assert_eq!(format_quantity(1000, Lang::Fr), "1");
        assert_eq!(format_quantity(125, Lang::En), "0.125");
        assert_eq!(format_quantity(-2500, Lang::Fr), "-2,5");
        assert_eq!(format_quantity(12_345_000, Lang::Fr), "12\u{202F}345");
        assert_eq!(format_quantity(12_345_600, Lang::En), "12,345.6");
        assert_eq!(format_rate(2000, Lang::Fr), "20\u{202F}%");
        assert_eq!(format_rate(2000, Lang::En), "20%");
        assert_eq!(format_rate(550, Lang::Fr), "5,5\u{202F}%");
        assert_eq!(format_rate(210, Lang::En), "2.1%");
        assert_eq!(format_rate(0, Lang::Fr), "0\u{202F}%");
    }

    #[test]
    fn fonts_without_the_needed_characters_or_unreadable_are_refused() {
        assert!(FontSet::from_bytes(b"junk".to_vec(), b"junk".to_vec()).is_err());
        assert!(FontSet::load("/nonexistent/regular.ttf", BOLD).is_err());
        let mut truncated = std::fs::read(REGULAR).unwrap();
        truncated.truncate(4096);
        assert!(FontSet::from_bytes(truncated, std::fs::read(BOLD).unwrap()).is_err());
    }

    fn receipt(lang: Lang, credit: i64) -> ReceiptDoc {
        ReceiptDoc {
            lang,
            creditor: creditor(),
            debtor: debtor(),
            accent: (15, 110, 92),
            number: "R-0A1B2C3D4E".into(),
            received_on: day("2026-11-22"),
            amount: eur(173_456),
            method: "card".into(),
            method_detail: "pi_3Nx".into(),
            lines: vec![
                ReceiptLine {
                    invoice_number: "F-2026-0042".into(),
                    applied: eur(123_456),
                    remaining_after: eur(0),
                },
                ReceiptLine {
                    invoice_number: "F-2026-0043".into(),
                    applied: eur(40_000),
                    remaining_after: eur(10_000),
                },
            ],
            credit: eur(credit),
            balance_after: eur(10_000 - credit),
        }
    }

    #[test]
    fn a_receipt_says_what_was_paid_and_settled_in_both_languages() {
        let fr_pdf = TempPdf::new(
            "receipt-fr",
            &render_receipt(&receipt(Lang::Fr, 10_000), &fonts()).unwrap(),
        );
        assert!(
            fr_pdf
                .run("qpdf", &["--check"], &[])
                .contains("No syntax or stream encoding errors")
        );
        let fr = fr_pdf.text();
        for want in [
            "Reçu de paiement R-0A1B2C3D4E",
            DEBTOR,
            "1 734,56",
            "1 234,56",
            "F-2026-0043",
            "Carte",
            "Crédit sur votre compte",
            "100,00",
            "Merci",
        ] {
            assert!(fr.contains(want), "missing {want:?} in {fr}");
        }
        let en = TempPdf::new(
            "receipt-en",
            &render_receipt(&receipt(Lang::En, 0), &fonts()).unwrap(),
        )
        .text();
        for want in [
            "Payment receipt R-0A1B2C3D4E",
            "€1,734.56",
            "Card",
            "Still owed after this payment",
            "€100.00",
            "Thank you",
        ] {
            assert!(en.contains(want), "missing {want:?} in {en}");
        }
        assert!(
            !en.contains("Credit on your account"),
            "no credit line without a credit"
        );
    }

    fn letter(lang: Lang, charges: bool) -> LetterDoc {
        LetterDoc {
            lang,
            creditor: creditor(),
            debtor: debtor(),
            accent: (0, 92, 151),
            formal_notice: charges,
            dated: day("2026-12-04"),
            body: "Malgré nos relances, la facture reste due.\n\nNous vous mettons en demeure de la régler sous huit jours.".into(),
            invoices: vec![("F-2026-0042".into(), day("2026-10-01"), eur(123_456))],
            total: "1\u{202F}234,56\u{A0}€".into(),
            charges: charges.then(|| super::super::LetterCharges {
                lines: vec![("F-2026-0042".into(), eur(4_000), eur(2_673))],
                total: "66,73\u{A0}€".into(),
            }),
        }
    }

    #[test]
    fn a_formal_notice_lists_the_late_charges_apart_with_the_legal_mentions() {
        let pdf = TempPdf::new(
            "notice-fr",
            &render_letter(&letter(Lang::Fr, true), &fonts()).unwrap(),
        );
        assert!(
            pdf.run("qpdf", &["--check"], &[])
                .contains("No syntax or stream encoding errors")
        );
        let text = pdf.text();
        for want in [
            "Mise en demeure de payer",
            DEBTOR,
            "F-2026-0042",
            "1 234,56",
            "Indemnité forfaitaire",
            "40,00",
            "26,73",
            "66,73",
            "L441-10",
            "D441-5",
            "huit jours",
        ] {
            assert!(text.contains(want), "missing {want:?} in {text}");
        }
        // A plain letter: no charges, no legal mentions.
        let plain = TempPdf::new(
            "letter-en",
            &render_letter(&letter(Lang::En, false), &fonts()).unwrap(),
        )
        .text();
        assert!(
            plain.contains("Reminder") && plain.contains("F-2026-0042"),
            "{plain}"
        );
        assert!(
            !plain.contains("indemnity") && !plain.contains("L441-10"),
            "{plain}"
        );
    }
}
