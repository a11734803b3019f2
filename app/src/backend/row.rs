//! Reading a query's row into a struct, by column name, on either engine: what
//! `#[derive(sqlx::FromRow)]` writes, without sqlx's macros (see `schema`, on what they cost).

/// `from_row!(Name { field, other: String, … })` implements `sqlx::FromRow` for `Name` on SQLite
/// and PostgreSQL rows: each field from the column of its name; `field: Type` reads the column
/// as `Type` and converts it with `TryFrom`. Every field must be listed (the struct literal says
/// which is missing).
macro_rules! from_row {
    ($name:ident { $($field:ident $(: $via:ty)?),+ $(,)? }) => {
        $crate::backend::row::from_row!(@on ::sqlx::sqlite::SqliteRow, $name { $($field $(: $via)?),+ });
        $crate::backend::row::from_row!(@on ::sqlx::postgres::PgRow, $name { $($field $(: $via)?),+ });
    };
    (@on $row:ty, $name:ident { $($field:ident $(: $via:ty)?),+ }) => {
        impl<'r> ::sqlx::FromRow<'r, $row> for $name {
            fn from_row(row: &'r $row) -> ::std::result::Result<Self, ::sqlx::Error> {
                Ok(Self { $($field: $crate::backend::row::from_row!(@get row, $field $(: $via)?)),+ })
            }
        }
    };
    (@get $row:ident, $field:ident) => {
        ::sqlx::Row::try_get($row, stringify!($field))?
    };
    (@get $row:ident, $field:ident: $via:ty) => {{
        let raw: $via = ::sqlx::Row::try_get($row, stringify!($field))?;
        raw.try_into().map_err(|source| ::sqlx::Error::ColumnDecode {
            index: stringify!($field).to_owned(),
            source: ::std::convert::Into::into(source),
        })?
    }};
}
pub(crate) use from_row;
