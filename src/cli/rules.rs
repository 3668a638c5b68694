//! `verdict rules` and `verdict explain RULE`: the rule catalogue, for people and for tools.

use crate::exit::Exit;
use crate::rules::{self, RuleInfo};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// List every rule with its default severity and what makes it fire.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict rules
  verdict rules --format json | jq -r '.[] | select(.default == \"deny\") | .id'
  verdict explain consistency.node-count")]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Explain one rule: when it fires, why it matters, what to do about it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict explain hash.implausible
  verdict explain signatures.threshold --format json
  verdict rules   # every rule id")]
pub struct ExplainArgs {
    /// Rule id, e.g. `checks.failed`.
    pub rule: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// An id that is not in the catalogue (exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown rule `{id}`")]
#[diagnostic(code(rules::unknown_rule))]
pub struct UnknownRule {
    pub id: String,
    #[help]
    pub help: String,
}

fn json(rule: &RuleInfo) -> serde_json::Value {
    serde_json::json!({
        "id": rule.id,
        "default": rule.default.as_str(),
        "summary": rule.summary,
        "explanation": rule.explanation,
        "help": rule.help,
        "stage": rule.stage.as_str(),
        "configurable": rule.configurable(),
    })
}

pub fn run_rules(args: RulesArgs) -> miette::Result<Exit> {
    match args.format {
        Format::Json => {
            let all: Vec<_> = rules::CATALOGUE.iter().map(json).collect();
            println!("{}", serde_json::Value::Array(all));
        }
        Format::Human => {
            let width = rules::CATALOGUE
                .iter()
                .map(|r| r.id.len())
                .max()
                .unwrap_or(0);
            println!("{:width$}  {:7}  SUMMARY", "RULE", "DEFAULT");
            for r in rules::CATALOGUE {
                println!("{:width$}  {:7}  {}", r.id, r.default.as_str(), r.summary);
            }
        }
    }
    Ok(Exit::Pass)
}

pub fn run_explain(args: ExplainArgs) -> miette::Result<Exit> {
    let Some(rule) = rules::find(&args.rule) else {
        let help =
            match crate::policy::load::suggest(&args.rule, rules::CATALOGUE.iter().map(|r| r.id)) {
                Some(s) => format!("did you mean `{s}`? `verdict rules` lists every rule"),
                None => "`verdict rules` lists every rule".to_string(),
            };
        return Err(UnknownRule {
            id: args.rule,
            help,
        }
        .into());
    };
    match args.format {
        Format::Json => println!("{}", json(rule)),
        Format::Human => {
            let fixed = if rule.configurable() {
                ""
            } else {
                "; decided by `verdict gate`, not configurable"
            };
            println!("{} (default: {}{fixed})", rule.id, rule.default.as_str());
            println!("  {}", rule.summary);
            println!();
            println!("{}", rule.explanation);
            println!();
            println!("help: {}", rule.help);
        }
    }
    Ok(Exit::Pass)
}
