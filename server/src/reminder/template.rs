//! Creditor-edited reminder texts, rendered by minijinja in a small sandbox: no loader, a fixed
//! set of variables (an unknown one is refused with its name and line), `if` and `for` as the
//! only statements, an allowlist of filters, fuel and an output cap so no template can run or
//! grow without bound. Templates are checked when an admin saves them, against sample data, so
//! the run never meets a broken one.
//!
//! Why the restrictions: minijinja bounds instructions (fuel) but not memory. `"x" * 10**8`,
//! `{% set s = s ~ s %}` repeated, `indent(10**9)`, nested `join`s or `{% filter %}` blocks
//! each build gigabytes in a few bytes of template, and one save would take the server down.
//! So operators that build text (`*`, `+`, `~`), statements that capture or name output, and
//! filters that grow their input are refused; `join` shares one byte budget per render.

use std::borrow::Cow;
use std::io;

use app::components::escape_html;
use minijinja::tests as is;
use minijinja::value::{Kwargs, Rest, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value, filters};
use serde::Serialize;

/// Which text of a step a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Subject,
    Body,
    /// The wording beside one invoice. It sees that invoice's fields at the top level
    /// (`number`, `amount`, `remaining`, `due_date`, `days_overdue`), plus `debtor`,
    /// `creditor`, `link` and `total`; not `invoices`, `charges` or its own `wording`.
    Line,
}

/// What is wrong with a template, for the UI to translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateErrorKind {
    Empty,
    /// Longer than [`MAX_BYTES`] as written, or than [`MAX_OUTPUT`] once rendered.
    TooLong,
    /// A subject or a line spanning several lines.
    MultiLine,
    Syntax,
    UnknownVariable,
    /// Markup that runs (`<script`, `on…=`, `javascript:`, `<iframe`…).
    Script,
    /// A statement, operator or filter the sandbox does not offer (`{% set %}`, `~`, `|indent`).
    Unsupported,
    Render,
}

/// A refused template: what is wrong and where, in words a creditor admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub kind: TemplateErrorKind,
    /// 1-based, when known.
    pub line: Option<usize>,
    pub message: String,
}

fn refuse(
    kind: TemplateErrorKind,
    line: Option<usize>,
    message: impl Into<String>,
) -> TemplateError {
    let message = message.into();
    let message = match line {
        Some(l) => format!("line {l}: {message}"),
        None => message,
    };
    TemplateError {
        kind,
        line,
        message,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtorData {
    pub name: String,
    pub reference: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CreditorData {
    pub name: String,
    pub email: String,
    /// May be empty.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvoiceData {
    pub number: String,
    pub amount: String,
    pub remaining: String,
    pub due_date: String,
    /// Negative before the due date.
    pub days_overdue: i64,
    /// The invoice's own step wording, already rendered.
    pub wording: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChargesData {
    pub indemnity: String,
    pub interest: String,
    pub total: String,
}

/// What a reminder is rendered with, already formatted for the debtor's language: templates
/// do no arithmetic.
#[derive(Debug, Clone, Serialize)]
pub struct ReminderData {
    pub debtor: DebtorData,
    pub creditor: CreditorData,
    pub link: String,
    pub total: String,
    pub invoices: Vec<InvoiceData>,
    /// Only on formal notices to business debtors.
    pub charges: Option<ChargesData>,
}

/// What a `Line` template sees: one invoice, flattened, and the letter's common fields.
#[derive(Serialize)]
struct LineContext<'a> {
    debtor: &'a DebtorData,
    creditor: &'a CreditorData,
    link: &'a str,
    total: &'a str,
    number: &'a str,
    amount: &'a str,
    remaining: &'a str,
    due_date: &'a str,
    days_overdue: i64,
}

/// A pasted novel is refused before it is parsed.
pub const MAX_BYTES: usize = 20_000;
/// A letter listing a few hundred invoices fits; this also bounds `join`'s output.
pub const MAX_OUTPUT: usize = 256 * 1024;
/// Instructions per render: a few hundred invoices in a loop use a few tens of thousands.
const FUEL: u64 = 200_000;

const INVOICE: [&str; 6] = [
    "number",
    "amount",
    "remaining",
    "due_date",
    "days_overdue",
    "wording",
];
const DEBTOR: [&str; 2] = ["name", "reference"];
const CREDITOR: [&str; 3] = ["name", "email", "phone"];
const CHARGES: [&str; 3] = ["indemnity", "interest", "total"];

const STATEMENTS: [&str; 8] = [
    "if", "elif", "else", "endif", "for", "endfor", "raw", "endraw",
];
/// None of these builds more than its input (`join` has a budget); `safe` and `escape` are
/// left out because escaping is ours to do, `replace`, `indent`, `format`, `batch`, `slice`,
/// `chain`, `zip`, `string` and `list` because they multiply their input.
const FILTERS: [&str; 28] = [
    "upper",
    "lower",
    "capitalize",
    "title",
    "trim",
    "length",
    "count",
    "default",
    "d",
    "first",
    "last",
    "reverse",
    "round",
    "abs",
    "int",
    "float",
    "bool",
    "min",
    "max",
    "sum",
    "join",
    "sort",
    "unique",
    "map",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
];
const TESTS: [&str; 24] = [
    "defined",
    "undefined",
    "none",
    "true",
    "false",
    "number",
    "string",
    "sequence",
    "mapping",
    "odd",
    "even",
    "divisibleby",
    "startingwith",
    "endingwith",
    "in",
    "eq",
    "equalto",
    "ne",
    "lt",
    "lessthan",
    "le",
    "gt",
    "greaterthan",
    "ge",
];

// ---------------------------------------------------------------------------------------------
// The engine

/// Sequence filters turn a text into one value per character (about 30 times its size): they
/// are for lists such as `invoices`.
fn list_only(v: &Value, filter: &str) -> Result<(), Error> {
    if v.kind() == ValueKind::String {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("the filter “{filter}” applies to a list such as invoices, not to a text"),
        ));
    }
    Ok(())
}

fn map(state: &State, v: Value, args: Rest<Value>) -> Result<Vec<Value>, Error> {
    list_only(&v, "map")?;
    filters::map(state, v, args)
}

fn sort(state: &State, v: Value, kwargs: Kwargs) -> Result<Value, Error> {
    list_only(&v, "sort")?;
    filters::sort(state, v, kwargs)
}

fn unique(state: &State, v: Value, kwargs: Kwargs) -> Result<Value, Error> {
    list_only(&v, "unique")?;
    filters::unique(state, v, kwargs)
}

fn select(
    state: &State,
    v: Value,
    test: Option<Cow<'_, str>>,
    args: Rest<Value>,
) -> Result<Vec<Value>, Error> {
    list_only(&v, "select")?;
    filters::select(state, v, test, args)
}

fn reject(
    state: &State,
    v: Value,
    test: Option<Cow<'_, str>>,
    args: Rest<Value>,
) -> Result<Vec<Value>, Error> {
    list_only(&v, "reject")?;
    filters::reject(state, v, test, args)
}

fn selectattr(
    state: &State,
    v: Value,
    attr: Cow<'_, str>,
    test: Option<Cow<'_, str>>,
    args: Rest<Value>,
) -> Result<Vec<Value>, Error> {
    list_only(&v, "selectattr")?;
    filters::selectattr(state, v, attr, test, args)
}

fn rejectattr(
    state: &State,
    v: Value,
    attr: Cow<'_, str>,
    test: Option<Cow<'_, str>>,
    args: Rest<Value>,
) -> Result<Vec<Value>, Error> {
    list_only(&v, "rejectattr")?;
    filters::rejectattr(state, v, attr, test, args)
}

const JOIN_BUDGET: &str = "amiable.join_bytes";

/// `join`, sharing one budget of [`MAX_OUTPUT`] bytes across the render: nested joins would
/// otherwise multiply each other's length.
fn join(state: &State, v: &Value, sep: Option<Cow<'_, str>>) -> Result<String, Error> {
    let sep = sep.as_deref().unwrap_or("");
    let spent = state
        .get_temp(JOIN_BUDGET)
        .and_then(|b| b.as_usize())
        .unwrap_or(0);
    let mut out = String::new();
    for (n, item) in v.try_iter()?.enumerate() {
        if n > 0 {
            out.push_str(sep);
        }
        match item.as_str() {
            Some(s) => out.push_str(s),
            None => out.push_str(&item.to_string()),
        }
        if spent + out.len() > MAX_OUTPUT {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "join makes too long a text",
            ));
        }
    }
    state.set_temp(JOIN_BUDGET, Value::from(spent + out.len()));
    Ok(out)
}

fn environment<'s>() -> Environment<'s> {
    // `empty`, not `new`: the filters, tests and functions are ours to choose (no `range`,
    // `safe`, `indent`…). Without a loader nothing can be included.
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.add_filter("upper", filters::upper);
    env.add_filter("lower", filters::lower);
    env.add_filter("capitalize", filters::capitalize);
    env.add_filter("title", filters::title);
    env.add_filter("trim", filters::trim);
    env.add_filter("length", filters::length);
    env.add_filter("count", filters::length);
    env.add_filter("default", filters::default);
    env.add_filter("d", filters::default);
    env.add_filter("first", filters::first);
    env.add_filter("last", filters::last);
    env.add_filter("reverse", filters::reverse);
    env.add_filter("round", filters::round);
    env.add_filter("abs", filters::abs);
    env.add_filter("int", filters::int);
    env.add_filter("float", filters::float);
    env.add_filter("bool", filters::bool);
    env.add_filter("min", filters::min);
    env.add_filter("max", filters::max);
    env.add_filter("sum", filters::sum);
    env.add_filter("join", join);
    env.add_filter("sort", sort);
    env.add_filter("unique", unique);
    env.add_filter("map", map);
    env.add_filter("select", select);
    env.add_filter("reject", reject);
    env.add_filter("selectattr", selectattr);
    env.add_filter("rejectattr", rejectattr);
    env.add_test("defined", is::is_defined);
    env.add_test("undefined", is::is_undefined);
    env.add_test("none", is::is_none);
    env.add_test("true", is::is_true);
    env.add_test("false", is::is_false);
    env.add_test("number", is::is_number);
    env.add_test("string", is::is_string);
    env.add_test("sequence", is::is_sequence);
    env.add_test("mapping", is::is_mapping);
    env.add_test("odd", is::is_odd);
    env.add_test("even", is::is_even);
    env.add_test("divisibleby", is::is_divisibleby);
    env.add_test("startingwith", is::is_startingwith);
    env.add_test("endingwith", is::is_endingwith);
    env.add_test("in", is::is_in);
    env.add_test("eq", is::is_eq);
    env.add_test("equalto", is::is_eq);
    env.add_test("ne", is::is_ne);
    env.add_test("lt", is::is_lt);
    env.add_test("lessthan", is::is_lt);
    env.add_test("le", is::is_le);
    env.add_test("gt", is::is_gt);
    env.add_test("greaterthan", is::is_gt);
    env.add_test("ge", is::is_ge);
    env
}

/// Output that refuses to grow past [`MAX_OUTPUT`].
#[derive(Default)]
struct Capped(Vec<u8>);

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(io::Error::other("output too long"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn from_minijinja(e: &Error) -> TemplateError {
    use TemplateErrorKind as K;
    let detail = e
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| e.kind().to_string());
    let (kind, message) = match e.kind() {
        ErrorKind::SyntaxError | ErrorKind::BadEscape => (K::Syntax, detail),
        ErrorKind::UndefinedError => (
            K::UnknownVariable,
            "a variable or a field used here does not exist (check the names between {{ }})"
                .to_string(),
        ),
        ErrorKind::UnknownFunction => (K::UnknownVariable, detail),
        ErrorKind::UnknownFilter | ErrorKind::UnknownTest | ErrorKind::UnknownMethod => {
            (K::Unsupported, detail)
        }
        ErrorKind::OutOfFuel => (
            K::Render,
            "the text takes too long to produce (a loop inside a loop?)".to_string(),
        ),
        ErrorKind::WriteFailure => (
            K::TooLong,
            format!("the text is longer than {MAX_OUTPUT} bytes once filled in"),
        ),
        _ => (K::Render, detail),
    };
    refuse(kind, e.line(), message)
}

// ---------------------------------------------------------------------------------------------
// Reading the template's code (between `{{ }}` and `{% %}`) for what the sandbox refuses

fn line_of(source: &str, byte: usize) -> usize {
    source[..byte].matches('\n').count() + 1
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Punct(u8),
    Str,
    Num,
}

/// One `{{ … }}` or `{% … %}`: its tokens with their byte offsets in the whole source.
struct Tag<'a> {
    statement: bool,
    toks: Vec<(Tok<'a>, usize)>,
}

fn tokens(source: &str, from: usize, to: usize) -> Vec<(Tok<'_>, usize)> {
    let b = source.as_bytes();
    let mut out = vec![];
    let mut i = from;
    while i < to {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' || c == b'\'' {
            let start = i;
            i += 1;
            while i < to && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push((Tok::Str, start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < to && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(&source[start..i]), start));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < to && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Num, start));
        } else {
            out.push((Tok::Punct(c), i));
            i += 1;
        }
    }
    out
}

/// The end of the code opened at `from`: the offset of `close` outside string literals.
fn close_of(b: &[u8], from: usize, close: &[u8; 2]) -> Option<usize> {
    let mut i = from;
    while i + 1 < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ if &b[i..i + 2] == close => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The tags of a template that minijinja parsed, in order; `raw` blocks are text.
fn tags(source: &str) -> Vec<Tag<'_>> {
    let b = source.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while let Some(p) = source[i..].find('{').map(|p| p + i) {
        let (close, statement) = match b.get(p + 1) {
            Some(b'{') => (b"}}", false),
            Some(b'%') => (b"%}", true),
            Some(b'#') => {
                i = source[p..].find("#}").map_or(b.len(), |e| p + e + 2);
                continue;
            }
            _ => {
                i = p + 1;
                continue;
            }
        };
        let Some(end) = close_of(b, p + 2, close) else {
            break;
        };
        let (mut from, mut to) = (p + 2, end);
        if from < to && matches!(b[from], b'-' | b'+') {
            from += 1;
        }
        if from < to && matches!(b[to - 1], b'-' | b'+') {
            to -= 1;
        }
        let toks = tokens(source, from, to);
        i = end + 2;
        if statement && matches!(toks.first(), Some((Tok::Ident("raw"), _))) {
            i = source[i..]
                .find("endraw")
                .and_then(|e| source[i + e..].find("%}").map(|c| i + e + c + 2))
                .unwrap_or(b.len());
        }
        out.push(Tag { statement, toks });
    }
    out
}

/// Dotted names (`debtor.name`) in a tag, with their offsets; not attributes of something else.
fn paths<'a>(toks: &[(Tok<'a>, usize)]) -> Vec<(String, usize)> {
    let mut out = vec![];
    let mut k = 0;
    while k < toks.len() {
        let after_dot = k > 0 && toks[k - 1].0 == Tok::Punct(b'.');
        if let (Tok::Ident(head), at) = toks[k]
            && !after_dot
        {
            let mut path = head.to_string();
            while let (Some((Tok::Punct(b'.'), _)), Some((Tok::Ident(f), _))) =
                (toks.get(k + 1), toks.get(k + 2))
            {
                path.push('.');
                path.push_str(f);
                k += 2;
            }
            out.push((path, at));
        }
        k += 1;
    }
    out
}

fn unsupported(source: &str, at: usize, message: String) -> TemplateError {
    refuse(
        TemplateErrorKind::Unsupported,
        Some(line_of(source, at)),
        message,
    )
}

/// Statements, operators, filters and tests outside the sandbox; invoice fields misspelt in a
/// `{% for i in invoices %}` loop (which minijinja's own analysis does not follow).
fn check_code(source: &str, tags: &[Tag<'_>]) -> Result<(), TemplateError> {
    // One entry per open `for`: its variable when it runs over the invoices.
    let mut loops: Vec<Option<&str>> = vec![];
    for tag in tags {
        let toks = &tag.toks;
        if tag.statement {
            let (name, at) = match toks.first() {
                Some((Tok::Ident(n), at)) => (*n, *at),
                _ => continue,
            };
            if !STATEMENTS.contains(&name) {
                return Err(unsupported(
                    source,
                    at,
                    format!(
                        "{{% {name} %}} is not available in reminder texts: use {{% if %}} and {{% for %}}"
                    ),
                ));
            }
            match name {
                "for" => {
                    if let Some((_, at)) = toks.iter().find(|(t, _)| *t == Tok::Ident("recursive"))
                    {
                        return Err(unsupported(
                            source,
                            *at,
                            "recursive loops are not available in reminder texts".into(),
                        ));
                    }
                    let invoice = match toks.get(1..4) {
                        Some(
                            [
                                (Tok::Ident(var), _),
                                (Tok::Ident("in"), _),
                                (Tok::Ident("invoices"), _),
                            ],
                        ) if !toks.iter().any(|(t, _)| *t == Tok::Ident("map")) => Some(*var),
                        _ => None,
                    };
                    loops.push(invoice);
                }
                "endfor" => {
                    loops.pop();
                }
                _ => {}
            }
        }
        for (k, (t, at)) in toks.iter().enumerate() {
            if let Tok::Punct(op @ (b'*' | b'+' | b'~')) = t {
                return Err(unsupported(
                    source,
                    *at,
                    format!(
                        "“{}” is not available: reminder texts do no arithmetic and join no text; write the words around the variables",
                        *op as char
                    ),
                ));
            }
            let prev = k.checked_sub(1).map(|p| toks[p].0);
            let prev2 = k.checked_sub(2).map(|p| toks[p].0);
            if let Tok::Ident(name) = t {
                if prev == Some(Tok::Punct(b'|')) && !FILTERS.contains(name) {
                    return Err(unsupported(
                        source,
                        *at,
                        format!("the filter “{name}” is not available in reminder texts"),
                    ));
                }
                let after_is = prev == Some(Tok::Ident("is"))
                    || (prev == Some(Tok::Ident("not")) && prev2 == Some(Tok::Ident("is")));
                if after_is && *name != "not" && !TESTS.contains(name) {
                    return Err(unsupported(
                        source,
                        *at,
                        format!("the test “is {name}” is not available in reminder texts"),
                    ));
                }
            }
        }
        for (path, at) in paths(toks) {
            let mut parts = path.split('.');
            let head = parts.next().unwrap_or_default();
            let field = parts.next();
            let bound = loops.iter().flatten().any(|v| *v == head);
            if bound
                && let Some(field) = field
                && (!INVOICE.contains(&field) || parts.next().is_some())
            {
                return Err(refuse(
                    TemplateErrorKind::UnknownVariable,
                    Some(line_of(source, at)),
                    format!(
                        "unknown variable “{path}”: an invoice has {}",
                        INVOICE.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Why `var` (as minijinja reports it, `debtor.nom`) is not one this part has, if it is not.
fn unknown(part: Part, var: &str) -> Option<String> {
    let mut parts = var.split('.');
    let head = parts.next().unwrap_or_default();
    let field = parts.next();
    let deeper = parts.next().is_some();
    let fields: &[&str] = match (part, head) {
        (_, "loop") => return None,
        (_, "debtor") => &DEBTOR,
        (_, "creditor") => &CREDITOR,
        (_, "link" | "total") => &[],
        (Part::Line, "number" | "amount" | "remaining" | "due_date" | "days_overdue") => &[],
        (Part::Subject | Part::Body, "charges") => &CHARGES,
        (Part::Subject | Part::Body, "invoices") => {
            return field.map(|_| {
                format!("unknown variable “{var}”: invoices is a list, go through it with {{% for i in invoices %}}…{{{{ i.number }}}}…{{% endfor %}}")
            });
        }
        (Part::Line, _) => {
            return Some(format!(
                "unknown variable “{var}”: a line can use number, amount, remaining, due_date, days_overdue, debtor, creditor, link and total"
            ));
        }
        _ => {
            return Some(format!(
                "unknown variable “{var}”: use debtor, creditor, link, total, invoices or charges"
            ));
        }
    };
    match field {
        None => None,
        Some(f) if fields.contains(&f) && !deeper => None,
        Some(_) if fields.is_empty() => {
            Some(format!("unknown variable “{var}”: “{head}” has no fields"))
        }
        Some(_) => Some(format!(
            "unknown variable “{var}”: {head} has {}",
            fields.join(", ")
        )),
    }
}

/// Markup a creditor should not type into an email: reported, whatever the output escaping.
fn script(source: &str) -> Option<(usize, String)> {
    let lower = source.to_ascii_lowercase();
    let found = [
        "<script",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<style",
    ]
    .iter()
    .filter_map(|n| lower.find(n).map(|at| (at, format!("“{n}”"))))
    .min();
    if found.is_some() {
        return found;
    }
    // An event handler is an attribute inside a tag: `<a onclick=…>`, `<svg/onload=…>`.
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(lt) = lower[i..].find('<').map(|p| p + i) {
        let end = lower[lt..].find('>').map_or(b.len(), |p| p + lt);
        if b.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            for k in lt + 1..end.saturating_sub(2) {
                let boundary =
                    matches!(b[k - 1], b'"' | b'\'' | b'/') || b[k - 1].is_ascii_whitespace();
                if boundary && b[k] == b'o' && b[k + 1] == b'n' {
                    let mut j = k + 2;
                    while j < end && b[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    let name_end = j;
                    while j < end && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if name_end > k + 2 && j < end && b[j] == b'=' {
                        return Some((k, format!("the event handler “{}=”", &lower[k..name_end])));
                    }
                }
            }
        }
        i = lt + 1;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The API

/// Checks a template an admin saves: not too long, not empty, one line for a subject or a
/// line, no markup that runs, valid syntax, only what the sandbox offers, known variables only,
/// and it renders against sample data, with late charges and without.
pub fn validate(part: Part, source: &str) -> Result<(), TemplateError> {
    use TemplateErrorKind as K;
    if source.len() > MAX_BYTES {
        return Err(refuse(
            K::TooLong,
            None,
            format!(
                "the text is {} bytes long, more than the {MAX_BYTES} allowed",
                source.len()
            ),
        ));
    }
    let trimmed = source.trim();
    if trimmed.is_empty() {
        return Err(refuse(K::Empty, None, "the text is empty"));
    }
    if part != Part::Body
        && let Some(nl) = trimmed.find(['\n', '\r'])
    {
        let at = trimmed.as_ptr() as usize - source.as_ptr() as usize + nl;
        return Err(refuse(
            K::MultiLine,
            Some(line_of(source, at)),
            "a subject or an invoice line is a single line: remove the line break",
        ));
    }
    if let Some((at, what)) = script(source) {
        return Err(refuse(
            K::Script,
            Some(line_of(source, at)),
            format!("{what} is not allowed: write plain text, the email is laid out for you"),
        ));
    }
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| from_minijinja(&e))?;
    let tags = tags(source);
    check_code(source, &tags)?;
    let mut unknowns: Vec<(Option<usize>, String)> = template
        .undeclared_variables(true)
        .into_iter()
        .filter_map(|var| unknown(part, &var).map(|why| (var, why)))
        .map(|(var, why)| {
            let head = var.split('.').next().unwrap_or_default().to_string();
            let found = tags.iter().flat_map(|t| paths(&t.toks)).fold(
                (None, None),
                |(exact, first), (p, at)| {
                    let exact = exact.or((p == var).then_some(at));
                    let first =
                        first.or((p.split('.').next() == Some(head.as_str())).then_some(at));
                    (exact, first)
                },
            );
            (found.0.or(found.1), why)
        })
        .collect();
    unknowns.sort_by_key(|(at, _)| at.unwrap_or(usize::MAX));
    if let Some((at, why)) = unknowns.into_iter().next() {
        return Err(refuse(
            K::UnknownVariable,
            at.map(|b| line_of(source, b)),
            why,
        ));
    }
    render(part, source, &sample("fr"), false)?;
    let ordinary = ReminderData {
        charges: None,
        ..sample("en")
    };
    render(part, source, &ordinary, false).map_err(|e| {
        refuse(
            K::UnknownVariable,
            e.line,
            "charges exist only on formal notices to business debtors: put them inside {% if charges %}…{% endif %}",
        )
    })?;
    Ok(())
}

/// Renders a checked template. `html`: everything is HTML-escaped, the creditor's own words
/// included (they write plain text), and a body's line breaks become `<br>`; otherwise plain
/// text. A subject or a line comes out on one line.
pub fn render(
    part: Part,
    source: &str,
    data: &ReminderData,
    html: bool,
) -> Result<String, TemplateError> {
    let text = render_text(part, source, data)?;
    Ok(if html { to_html(part, &text) } else { text })
}

/// The HTML of a rendered text: escaped, and a body's line breaks as `<br>`.
pub fn to_html(part: Part, text: &str) -> String {
    match part {
        Part::Body => escape_html(text).replace('\n', "<br>\n"),
        Part::Subject | Part::Line => escape_html(text),
    }
}

thread_local! {
    /// Templates compiled once per thread, by their source: a run renders the same few
    /// sources for every debtor (compiling each time was most of a run's time).
    static COMPILED: std::cell::RefCell<Environment<'static>> =
        std::cell::RefCell::new(environment());
}

/// Sources kept compiled per thread; past this (previews of texts being typed) all are dropped.
const COMPILED_KEPT: usize = 256;

fn render_text(part: Part, source: &str, data: &ReminderData) -> Result<String, TemplateError> {
    let ctx = match part {
        Part::Line => {
            let i = data.invoices.first();
            let text = |f: fn(&InvoiceData) -> &str| i.map_or("", f);
            Value::from_serialize(LineContext {
                debtor: &data.debtor,
                creditor: &data.creditor,
                link: &data.link,
                total: &data.total,
                number: text(|i| &i.number),
                amount: text(|i| &i.amount),
                remaining: text(|i| &i.remaining),
                due_date: text(|i| &i.due_date),
                days_overdue: i.map_or(0, |i| i.days_overdue),
            })
        }
        Part::Subject | Part::Body => Value::from_serialize(data),
    };
    let mut out = Capped::default();
    COMPILED.with(|cell| {
        if cell.borrow().get_template(source).is_err() {
            let mut env = cell.borrow_mut();
            if env.templates().count() >= COMPILED_KEPT {
                env.clear_templates();
            }
            env.add_template_owned(source.to_string(), source.to_string())
                .map_err(|e| from_minijinja(&e))?;
        }
        let env = cell.borrow();
        let template = env.get_template(source).map_err(|e| from_minijinja(&e))?;
        template
            .render_captured_to(ctx, &mut out)
            .map_err(|e| from_minijinja(&e))
            .map(|_| ())
    })?;
    // Written in whole `str`s, so valid UTF-8; the lossy path is never taken.
    let text = String::from_utf8_lossy(&out.0)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    Ok(match part {
        Part::Body => text.trim_end().to_string(),
        // A newline in a debtor's name must not split a mail header.
        Part::Subject | Part::Line => text.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// Invented data for checks and previews, in "fr" or "en" (anything else is English).
pub fn sample(lang: &str) -> ReminderData {
    let fr = lang == "fr";
    let pick = |f: &str, e: &str| if fr { f.to_string() } else { e.to_string() };
    let invoice =
        |number: &str, amount: String, due: String, days: i64, wording: String| InvoiceData {
            number: number.into(),
            remaining: amount.clone(),
            amount,
            due_date: due,
            days_overdue: days,
            wording,
        };
    ReminderData {
        debtor: DebtorData {
            name: "Boulangerie Martin & Fils".into(),
            reference: "C-0001".into(),
        },
        creditor: CreditorData {
            name: "Équipements Durand".into(),
            email: "recouvrement@durand.example".into(),
            phone: "+33 4 78 00 00 00".into(),
        },
        link: "https://portail.example/l/exemple".into(),
        total: pick("1\u{202f}734,56 €", "€1,734.56"),
        invoices: vec![
            invoice(
                "F-2026-0101",
                pick("1\u{202f}234,56 €", "€1,234.56"),
                pick("15/01/2026", "15 Jan 2026"),
                20,
                pick("en retard de 20 jours", "20 days overdue"),
            ),
            invoice(
                "F-2026-0102",
                pick("500,00 €", "€500.00"),
                pick("07/02/2026", "7 Feb 2026"),
                -3,
                pick("à régler avant le 07/02/2026", "due by 7 Feb 2026"),
            ),
        ],
        charges: Some(ChargesData {
            indemnity: pick("40,00 €", "€40.00"),
            interest: pick("12,33 €", "€12.33"),
            total: pick("52,33 €", "€52.33"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TemplateErrorKind as K;

    fn refused(part: Part, src: &str) -> TemplateError {
        validate(part, src).expect_err(src)
    }

    #[test]
    fn a_body_renders_the_data_in_text_and_in_html() {
        let src = "Bonjour {{ debtor.name }},\nreste {{ total }} :\n{{ link }}";
        validate(Part::Body, src).unwrap();
        let d = sample("fr");
        let text = render(Part::Body, src, &d, false).unwrap();
        assert_eq!(
            text,
            "Bonjour Boulangerie Martin & Fils,\nreste 1\u{202f}734,56 € :\nhttps://portail.example/l/exemple"
        );
        let html = render(Part::Body, src, &d, true).unwrap();
        assert_eq!(
            html,
            "Bonjour Boulangerie Martin &amp; Fils,<br>\nreste 1\u{202f}734,56 € :<br>\nhttps://portail.example/l/exemple"
        );
        // compose turns the escaped link into an anchor by finding it in the body.
        assert!(html.contains(&escape_html(&d.link)));
    }

    #[test]
    fn markup_in_a_debtor_name_is_escaped_in_html_and_raw_in_text() {
        let mut d = sample("en");
        d.debtor.name = "Smith <b>Ltd</b>".into();
        let src = "Dear {{ debtor.name }}";
        assert_eq!(
            render(Part::Body, src, &d, true).unwrap(),
            "Dear Smith &lt;b&gt;Ltd&lt;/b&gt;"
        );
        assert_eq!(
            render(Part::Body, src, &d, false).unwrap(),
            "Dear Smith <b>Ltd</b>"
        );
    }

    #[test]
    fn an_unknown_variable_is_refused_with_its_name_and_line() {
        let e = refused(Part::Body, "Bonjour,\n\nMerci {{ debtor.nom }}.");
        assert_eq!((e.kind, e.line), (K::UnknownVariable, Some(3)));
        assert!(e.message.contains("debtor.nom"), "{}", e.message);
        assert!(e.message.contains("name, reference"), "{}", e.message);
        let e = refused(Part::Body, "{{ montant }}");
        assert_eq!((e.kind, e.line), (K::UnknownVariable, Some(1)));
        assert!(e.message.contains("montant"), "{}", e.message);
    }

    #[test]
    fn a_misspelt_invoice_field_in_a_loop_is_refused_with_its_line() {
        let e = refused(
            Part::Body,
            "{% for i in invoices %}\n{{ i.number }}\n{{ i.montant }}\n{% endfor %}",
        );
        assert_eq!((e.kind, e.line), (K::UnknownVariable, Some(3)), "{e:?}");
        assert!(e.message.contains("i.montant"), "{}", e.message);
    }

    #[test]
    fn a_line_sees_its_invoice_and_a_body_does_not() {
        validate(Part::Line, "en retard de {{ days_overdue }} jours").unwrap();
        let mut d = sample("fr");
        d.invoices.truncate(1);
        assert_eq!(
            render(
                Part::Line,
                "{{ number }} : {{ days_overdue }} jours",
                &d,
                false
            )
            .unwrap(),
            "F-2026-0101 : 20 jours"
        );
        assert_eq!(
            refused(Part::Body, "{{ days_overdue }}").kind,
            K::UnknownVariable
        );
        assert_eq!(
            refused(Part::Line, "{{ wording }}").kind,
            K::UnknownVariable
        );
        assert_eq!(
            refused(Part::Line, "{{ invoices }}").kind,
            K::UnknownVariable
        );
    }

    #[test]
    fn an_unclosed_if_is_refused_with_its_line() {
        let e = refused(Part::Body, "Bonjour\n\n{% if charges %}\nPénalités");
        assert_eq!(e.kind, K::Syntax, "{e:?}");
        assert!(e.line.is_some_and(|l| l >= 3), "{e:?}");
        assert!(e.message.starts_with("line "), "{}", e.message);
    }

    #[test]
    fn scripts_and_event_handlers_are_refused_with_their_line() {
        for (src, line) in [
            ("Bonjour\n<script>alert(1)</script>", 2),
            ("<a href=\"x\" onclick=\"steal()\">ici</a>", 1),
            ("Voir\n\n<img src=x ONERROR = alert(1)>", 3),
            ("<a href=\"JavaScript:alert(1)\">", 1),
            ("<IFRAME src=x>", 1),
            ("<style>p{}</style>", 1),
        ] {
            let e = refused(Part::Body, src);
            assert_eq!((e.kind, e.line), (K::Script, Some(line)), "{src}");
        }
        // Words that happen to start with "on", outside any tag, are prose.
        validate(Part::Body, "Merci, on compte sur vous : online = en ligne").unwrap();
    }

    #[test]
    fn a_megabyte_paste_is_refused_as_too_long_without_parsing() {
        // Broken tags: had it been parsed, it would be refused as a syntax error.
        let big = "{% if %}".repeat(128 * 1024);
        let e = refused(Part::Body, &big);
        assert_eq!((e.kind, e.line), (K::TooLong, None));
    }

    #[test]
    fn an_empty_or_blank_template_is_refused() {
        assert_eq!(refused(Part::Body, "").kind, K::Empty);
        assert_eq!(refused(Part::Subject, "  \n\t ").kind, K::Empty);
    }

    #[test]
    fn a_subject_or_a_line_with_a_line_break_is_refused() {
        let e = refused(Part::Subject, "Rappel\nfacture {{ total }}");
        assert_eq!((e.kind, e.line), (K::MultiLine, Some(1)));
        assert_eq!(refused(Part::Line, "à régler\r\navant").kind, K::MultiLine);
        // A trailing newline from a form field is not a second line.
        validate(Part::Subject, "Rappel : {{ total }}\n").unwrap();
    }

    #[test]
    fn a_loop_over_invoices_lists_each_wording() {
        let src = "{% for i in invoices %}- {{ i.number }} : {{ i.wording }}\n{% endfor %}";
        validate(Part::Body, src).unwrap();
        let text = render(Part::Body, src, &sample("fr"), false).unwrap();
        assert_eq!(
            text,
            "- F-2026-0101 : en retard de 20 jours\n- F-2026-0102 : à régler avant le 07/02/2026"
        );
    }

    #[test]
    fn no_charges_makes_if_charges_false() {
        let src = "{% if charges %}Charges: {{ charges.total }}{% else %}No charges{% endif %}";
        validate(Part::Body, src).unwrap();
        let mut d = sample("en");
        assert_eq!(
            render(Part::Body, src, &d, false).unwrap(),
            "Charges: €52.33"
        );
        d.charges = None;
        assert_eq!(render(Part::Body, src, &d, false).unwrap(), "No charges");
        // Charges used outside the `if` would fail on an ordinary reminder: refused at save.
        let e = refused(Part::Body, "Total:\n{{ charges.total }}");
        assert_eq!((e.kind, e.line), (K::UnknownVariable, Some(2)), "{e:?}");
        assert!(e.message.contains("{% if charges %}"), "{e:?}");
    }

    #[test]
    fn builtin_filters_work_and_the_risky_ones_are_refused() {
        let src = "{{ debtor.name|upper }} {{ invoices|length }} {{ invoices|map(attribute='number')|join(', ') }}";
        validate(Part::Subject, src).unwrap();
        assert_eq!(
            render(Part::Subject, src, &sample("fr"), false).unwrap(),
            "BOULANGERIE MARTIN & FILS 2 F-2026-0101, F-2026-0102"
        );
        for (src, line) in [
            ("{{ debtor.name|safe }}", 1),
            ("x\n{{ debtor.name|indent(1000000000) }}", 2),
            ("{{ debtor.name|replace('a', 'aa') }}", 1),
            ("{% set x = 1 %}{{ x }}", 1),
            (
                "{% autoescape false %}{{ debtor.name }}{% endautoescape %}",
                1,
            ),
            ("{% filter upper %}{{ link }}{% endfilter %}", 1),
            ("{{ 'x' * 100000000 }}", 1),
            ("{{ link ~ link }}", 1),
            (
                "{% for i in invoices recursive %}{{ loop(i) }}{% endfor %}",
                1,
            ),
            ("{% if debtor.name is safe %}x{% endif %}", 1),
        ] {
            let e = refused(Part::Body, src);
            assert_eq!(
                (e.kind, e.line),
                (K::Unsupported, Some(line)),
                "{src}: {e:?}"
            );
        }
        assert_eq!(
            refused(Part::Body, "{{ range(10) }}").kind,
            K::UnknownVariable
        );
    }

    #[test]
    fn a_runaway_loop_stops_for_lack_of_fuel() {
        let src = "{% for a in link %}{% for b in link %}{% for c in link %}{% for d in link %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}";
        let e = refused(Part::Body, src);
        assert_eq!(e.kind, K::Render, "{e:?}");
        assert!(e.message.contains("too long to produce"), "{e:?}");
    }

    #[test]
    fn a_letter_longer_than_the_cap_is_refused_as_too_long() {
        // 33 × 33 × 33 rounds of ten characters: about 360 kB.
        let src = "{% for a in link %}{% for b in link %}{% for c in link %}0123456789{% endfor %}{% endfor %}{% endfor %}";
        let e = refused(Part::Body, src);
        assert_eq!(e.kind, K::TooLong, "{e:?}");
    }

    #[test]
    fn nested_joins_cannot_build_a_huge_text() {
        let src = "{{ link|join(link|join(link|join(link|join(link)))) }}";
        let e = refused(Part::Body, src);
        assert_eq!(e.kind, K::Render, "{e:?}");
        assert!(e.message.contains("too long"), "{e:?}");
    }

    #[test]
    fn the_default_scenario_passes_its_own_checks() {
        for step in super::super::defaults::default_scenario().steps {
            for t in [&step.fr, &step.en] {
                validate(Part::Subject, &t.subject).unwrap();
                validate(Part::Body, &t.body).unwrap();
                validate(Part::Line, &t.line).unwrap();
            }
        }
    }

    #[test]
    fn the_subject_comes_out_on_one_line_whatever_the_data() {
        let mut d = sample("en");
        d.debtor.name = "Smith\r\nBcc: victim@example.com".into();
        let out = render(Part::Subject, "Reminder for {{ debtor.name }}", &d, false).unwrap();
        assert_eq!(out, "Reminder for Smith Bcc: victim@example.com");
    }
}
