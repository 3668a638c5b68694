//! The `verdict/v1` document itself, pretty-printed (docs/verdict-json.md).

use super::{Render, RenderContext};
use crate::verdict::Verdict;
use std::io::Write;

pub(crate) struct Json;

impl Render for Json {
    fn render(
        &self,
        verdict: &Verdict,
        _ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, verdict)?;
        writeln!(out)
    }
}
