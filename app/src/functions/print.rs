//! Printing: the codes a label sheet would hold, for the print page's preview. The PDF itself
//! is a download from the REST API (`GET /api/print/sheet`), so the page offers it as a link.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::print::{PrintPreview, PrintSourceInput};

/// The codes of a selection, a batch job or a label, in the order they print.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn print_codes(source: PrintSourceInput) -> Result<PrintPreview, AppError> {
    let result = async {
        let part = source.part();
        let source = source.source()?;
        state()?.print.preview(&source, part, &actor()).await
    };
    with_status(result.await)
}
