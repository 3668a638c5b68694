//! SARIF 2.1.0 for code scanning: the rule catalogue as `tool.driver.rules`, one result per
//! finding located on the report's line, fingerprints that stay stable across runs.

use super::{Render, RenderContext};
use crate::rules::{self, RuleInfo};
use crate::verdict::{Finding, Severity, Verdict};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, ResultLevel, Run, Sarif as SarifLog, Tool,
    ToolComponent,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;

pub(crate) struct Sarif;

/// Where the official schema for the emitted version lives; consumers use it to pick a parser.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

impl Render for Sarif {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &sarif_log(verdict, ctx))?;
        writeln!(out)
    }
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Deny => ResultLevel::Error,
        Severity::Warn => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text(s: &str, fallback: &str) -> MultiformatMessageString {
    let s = if s.is_empty() { fallback } else { s };
    MultiformatMessageString::builder().text(s).build()
}

fn descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(rule.id)
        .short_description(text(rule.summary, rule.id))
        .full_description(text(rule.explanation, rule.summary))
        .help(text(rule.help, rule.summary))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(level(rule.default)).unwrap_or_default())
                .build(),
        )
        .build()
}

/// A descriptor for a rule id the catalogue does not know (a newer evaluator, a plugin), so
/// every result still has a valid `ruleIndex`.
fn ad_hoc_descriptor(id: &str, severity: Severity) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(id)
        .short_description(text(id, id))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(level(severity)).unwrap_or_default())
                .build(),
        )
        .build()
}

/// The report path as a URI reference relative to the checkout, which is what code scanning
/// matches against the repository.
fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    if uri.starts_with('/') {
        format!("file://{uri}")
    } else {
        uri
    }
}

/// Stable per finding across runs of the same report: the report digest, the rule and the
/// place. The message is left out so rewording a message does not reopen an alert.
fn finding_hash(digest: &str, f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        digest,
        &f.rule,
        &f.line.map(|l| l.to_string()).unwrap_or_default(),
        &f.column.map(|c| c.to_string()).unwrap_or_default(),
        f.section.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

fn sarif_log(verdict: &Verdict, ctx: &RenderContext) -> SarifLog {
    let mut descriptors: Vec<ReportingDescriptor> =
        rules::CATALOGUE.iter().map(descriptor).collect();
    let mut index: BTreeMap<String, usize> = rules::CATALOGUE
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    for f in &verdict.findings {
        if !index.contains_key(&f.rule) {
            index.insert(f.rule.clone(), descriptors.len());
            descriptors.push(ad_hoc_descriptor(&f.rule, f.severity));
        }
    }
    let uri = artifact_uri(ctx.report_path);
    let digest = verdict.report.digest.as_deref().unwrap_or("");
    let results: Vec<serde_sarif::sarif::Result> = verdict
        .findings
        .iter()
        .map(|f| {
            // Code scanning drops results without a location; a finding about the whole report
            // is shown on its first line.
            let mut region = Region::builder()
                .start_line(i64::from(f.line.unwrap_or(1)))
                .build();
            if f.line.is_some() {
                region.start_column = f.column.map(i64::from);
            }
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri.clone()).build())
                        .region(region)
                        .build(),
                )
                .build();
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert("verdictFinding/v1".to_string(), finding_hash(digest, f));
            if !digest.is_empty() {
                fingerprints.insert("reportDigest/v1".to_string(), digest.to_string());
            }
            let mut props = BTreeMap::new();
            props.insert("severity".to_string(), f.severity.as_str().into());
            if let Some(section) = &f.section {
                props.insert("section".to_string(), section.clone().into());
            }
            if !f.evidence.is_empty() {
                props.insert(
                    "evidence".to_string(),
                    serde_json::Value::Object(f.evidence.clone()),
                );
            }
            let message = if f.help.is_empty() {
                f.message.clone()
            } else {
                format!("{}\nhelp: {}", f.message, f.help)
            };
            let mut result = serde_sarif::sarif::Result::builder()
                .rule_id(f.rule.clone())
                .level(level(f.severity))
                .message(Message::builder().text(message).build())
                .locations(vec![location])
                .partial_fingerprints(fingerprints)
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build();
            result.rule_index = index.get(&f.rule).and_then(|&i| i64::try_from(i).ok());
            result
        })
        .collect();
    let mut run_props = BTreeMap::new();
    run_props.insert("verdict".to_string(), verdict.verdict.as_str().into());
    run_props.insert("policy".to_string(), verdict.policy.name.clone().into());
    run_props.insert(
        "policyDigest".to_string(),
        verdict.policy.digest.clone().into(),
    );
    if let Some(id) = &verdict.report.id {
        run_props.insert("reportId".to_string(), id.clone().into());
    }
    let driver = ToolComponent::builder()
        .name("verdict")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        // Finding columns count characters, not SARIF's default UTF-16 code units.
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .properties(
            PropertyBag::builder()
                .additional_properties(run_props)
                .build(),
        )
        .build();
    SarifLog::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}
