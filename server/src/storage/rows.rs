//! Multi-row statements: `INSERT … VALUES (…), (…), …` in as few statements as the databases'
//! parameter limits allow (SQLite 32,766, PostgreSQL 65,535). One statement per row costs a
//! round trip through sqlx's driver each; a reminder run writes tens of rows per debtor.

use super::{Result, Tx};
use sqlx::any::AnyRow;

/// One bound value.
pub enum Arg {
    Text(String),
    MaybeText(Option<String>),
    Int(i64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::MaybeText(v)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

/// Parameters per statement. Far under both databases' limits on purpose: sqlx binds each
/// SQLite parameter by asking `sqlite3_bind_parameter_name`, which walks the statement's list
/// of names, so binding costs the square of the count. At 30,000 that was two thirds of a
/// reminder run's CPU (`perf`: 10,000 debtors took 17.3 s; at 1,000, 4.7 s).
pub(super) const MAX_PARAMS: usize = 1_000;

/// `$first, $first+1, …` in `rows` groups of `cols`: `($1, $2), ($3, $4)`.
pub fn placeholders(first: usize, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(first + r * cols + c).to_string());
        }
        s.push(')');
    }
    s
}

/// Runs `{head} VALUES (…), … {tail}` over every row (each `cols` values), in chunks; returns
/// what the statements return (`tail` may say `RETURNING …`).
pub async fn insert_rows(
    tx: &mut Tx<'_>,
    head: &str,
    cols: usize,
    rows: Vec<Vec<Arg>>,
    tail: &str,
) -> Result<Vec<AnyRow>> {
    let mut out = vec![];
    let per = (MAX_PARAMS / cols).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per).collect();
        let sql = format!(
            "{head} VALUES {} {tail}",
            placeholders(1, chunk.len(), cols)
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            debug_assert_eq!(row.len(), cols);
            for arg in row {
                q = match arg {
                    Arg::Text(v) => q.bind(v),
                    Arg::MaybeText(v) => q.bind(v),
                    Arg::Int(v) => q.bind(v),
                };
            }
        }
        out.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_each_value_once_in_row_groups() {
        assert_eq!(placeholders(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(4, 1, 2), "($4, $5)");
    }
}
