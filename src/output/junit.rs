//! JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps): one testsuite for the
//! report, a testcase per check the report states and per rule the policy evaluated.
//!
//! A check fails when the report says it failed and is skipped when the report skipped it (or
//! its status is not recognised). A rule fails when it found something at deny severity; warn
//! and info findings leave it passing and are listed in its `system-out`.

use super::{Render, RenderContext};
use crate::verdict::{CheckStatus, Finding, Severity, Verdict};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::Write;

pub(crate) struct Junit;

impl Render for Junit {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let path_text = xml_text(ctx.report_path);
        let path = path_text.as_str();
        let mut cases = Vec::new();
        for check in &verdict.checks {
            let location = format!("{path}:{}", check.line);
            let outcome = match check.status {
                CheckStatus::Pass | CheckStatus::Warn => Outcome::Passed(None),
                CheckStatus::Fail => Outcome::Failed {
                    kind: "checks.failed".to_string(),
                    message: xml_text(&format!("check `{}` failed", check.name)),
                    body: format!("{location}: the report marks this check as failed"),
                },
                CheckStatus::Skip => Outcome::Skipped("the report skipped this check".into()),
                CheckStatus::Unknown => {
                    Outcome::Skipped("the report's status for this check is not recognised".into())
                }
            };
            cases.push(Case {
                name: xml_text(&check.name),
                classname: match &check.section {
                    Some(s) => xml_text(&format!("checks.{s}")),
                    None => "checks".to_string(),
                },
                line: Some(check.line),
                outcome,
            });
        }
        for rule in &verdict.rules {
            let found: Vec<&Finding> = verdict
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .collect();
            let listing: String = found
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}: {}\n",
                        super::location(path, f),
                        f.severity.as_str(),
                        xml_text(&f.message)
                    )
                })
                .collect();
            let outcome = match found.iter().find(|f| f.severity == Severity::Deny) {
                Some(first) => Outcome::Failed {
                    kind: xml_text(&rule.id),
                    message: xml_text(&if found.len() == 1 {
                        first.message.clone()
                    } else {
                        format!("{} findings; first: {}", found.len(), first.message)
                    }),
                    body: listing,
                },
                None if found.is_empty() => Outcome::Passed(None),
                None => Outcome::Passed(Some(listing)),
            };
            cases.push(Case {
                name: xml_text(&rule.id),
                classname: format!("rules.{}", rule.severity.as_str()),
                line: found.iter().find_map(|f| f.line),
                outcome,
            });
        }
        let failures = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed { .. }))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Skipped(_)))
            .count();
        let (tests, failures, skipped) = (
            cases.len().to_string(),
            failures.to_string(),
            skipped.to_string(),
        );

        let mut w = Writer::new_with_indent(&mut *out, b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let counts = [
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", "0"),
            ("skipped", skipped.as_str()),
        ];
        w.write_event(Event::Start(
            BytesStart::new("testsuites")
                .with_attributes([("name", "verdict")])
                .with_attributes(counts),
        ))?;
        w.write_event(Event::Start(
            BytesStart::new("testsuite")
                .with_attributes([("name", path)])
                .with_attributes(counts),
        ))?;
        w.write_event(Event::Start(BytesStart::new("properties")))?;
        let mut props = vec![
            ("verdict", verdict.verdict.as_str().to_string()),
            ("policy", xml_text(&verdict.policy.name)),
            ("policy.digest", xml_text(&verdict.policy.digest)),
        ];
        if let Some(d) = &verdict.report.digest {
            props.push(("report.digest", xml_text(d)));
        }
        if let Some(id) = &verdict.report.id {
            props.push(("report.id", xml_text(id)));
        }
        for (name, value) in &props {
            w.write_event(Event::Empty(
                BytesStart::new("property")
                    .with_attributes([("name", *name), ("value", value.as_str())]),
            ))?;
        }
        w.write_event(Event::End(BytesEnd::new("properties")))?;
        for case in &cases {
            let line = case.line.map(|l| l.to_string());
            let mut start = BytesStart::new("testcase").with_attributes([
                ("name", case.name.as_str()),
                ("classname", case.classname.as_str()),
                ("file", path),
            ]);
            if let Some(line) = &line {
                start.push_attribute(("line", line.as_str()));
            }
            match &case.outcome {
                Outcome::Passed(None) => w.write_event(Event::Empty(start))?,
                Outcome::Passed(Some(out)) => {
                    w.write_event(Event::Start(start))?;
                    w.create_element("system-out")
                        .write_text_content(BytesText::new(out))?;
                    w.write_event(Event::End(BytesEnd::new("testcase")))?;
                }
                Outcome::Failed {
                    kind,
                    message,
                    body,
                } => {
                    w.write_event(Event::Start(start))?;
                    w.create_element("failure")
                        .with_attributes([("message", message.as_str()), ("type", kind.as_str())])
                        .write_text_content(BytesText::new(body))?;
                    w.write_event(Event::End(BytesEnd::new("testcase")))?;
                }
                Outcome::Skipped(message) => {
                    w.write_event(Event::Start(start))?;
                    w.create_element("skipped")
                        .with_attribute(("message", message.as_str()))
                        .write_empty()?;
                    w.write_event(Event::End(BytesEnd::new("testcase")))?;
                }
            }
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
        w.write_event(Event::End(BytesEnd::new("testsuites")))?;
        writeln!(out)
    }
}

/// XML 1.0 cannot carry most control characters even escaped; a report may contain them.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

struct Case {
    name: String,
    classname: String,
    line: Option<u32>,
    outcome: Outcome,
}

enum Outcome {
    /// Passed, with any non-failing findings to show.
    Passed(Option<String>),
    Failed {
        kind: String,
        message: String,
        body: String,
    },
    Skipped(String),
}
