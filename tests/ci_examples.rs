//! The CI examples (examples/, docs/ci.md) are valid and call only commands that exist; the
//! generated completions and man pages cover the whole command tree.

use assert_cmd::Command;
use clap::CommandFactory;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn verdict() -> Command {
    Command::cargo_bin("verdict").expect("binary")
}

#[test]
fn github_workflow_is_valid_yaml_with_the_three_jobs() {
    let w = yaml("examples/github-actions.yml");
    let jobs = w["jobs"].as_mapping().expect("jobs");
    let names: Vec<&str> = jobs.keys().filter_map(|k| k.as_str()).collect();
    assert_eq!(names, ["verify", "record", "deploy"]);
    assert!(w.get("on").is_some(), "workflow has triggers");
    let uses: Vec<&str> = w["jobs"]["verify"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(uses.contains(&"github/codeql-action/upload-sarif@v3"));
    assert_eq!(
        w["jobs"]["verify"]["permissions"]["security-events"].as_str(),
        Some("write")
    );
    assert_eq!(
        w["jobs"]["deploy"]["environment"].as_str(),
        Some("production")
    );
}

#[test]
fn gitlab_pipeline_is_valid_yaml_with_a_junit_report() {
    let p = yaml("examples/gitlab-ci.yml");
    let stages: Vec<&str> = p["stages"]
        .as_sequence()
        .expect("stages")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(stages, ["verify", "record", "deploy"]);
    assert_eq!(
        p["verify"]["artifacts"]["reports"]["junit"].as_str(),
        Some("verdict-junit.xml")
    );
    let script = p["verify"]["script"][0].as_str().expect("script");
    assert!(
        script.contains("--output junit=verdict-junit.xml"),
        "{script}"
    );
}

#[test]
fn pre_commit_hook_is_valid_sh() {
    let path = root().join("examples/pre-commit-hook.sh");
    let status = std::process::Command::new("sh")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("sh");
    assert!(status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_ne!(mode & 0o111, 0, "hook is executable");
    }
}

/// Fenced code blocks of a Markdown file: (info string, body).
fn fences(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in md.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some(_)) => blocks.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn docs_embed_the_examples_verbatim_and_their_yaml_parses() {
    let doc = read("docs/ci.md");
    let blocks = fences(&doc);
    for example in [
        "examples/github-actions.yml",
        "examples/gitlab-ci.yml",
        "examples/pre-commit-hook.sh",
    ] {
        let text = read(example);
        assert!(
            blocks.iter().any(|(_, body)| *body == text),
            "docs/ci.md does not hold {example} verbatim"
        );
    }
    let yaml_blocks: Vec<&String> = blocks
        .iter()
        .filter(|(info, _)| info == "yaml")
        .map(|(_, b)| b)
        .collect();
    assert_eq!(yaml_blocks.len(), 3);
    for body in yaml_blocks {
        serde_yaml::from_str::<serde_yaml::Value>(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
    }
}

/// Every `verdict <command> [<subcommand>]` the examples run. A line counts when, after list
/// markers and `run:`, it starts with `verdict`; the command path is the lowercase words after
/// it, stopping where a known command has no subcommands.
fn commands_in(text: &str) -> BTreeSet<Vec<String>> {
    let cli = verdict::cli::Cli::command();
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let mut l = line.trim_start();
        if l.starts_with('#') {
            continue;
        }
        for prefix in ["- ", "run: "] {
            l = l.strip_prefix(prefix).unwrap_or(l).trim_start();
        }
        let mut words = l.split_whitespace();
        if words.next() != Some("verdict") {
            continue;
        }
        let mut path: Vec<String> = Vec::new();
        let mut node = Some(&cli);
        for w in words {
            let is_word = w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if !is_word {
                break;
            }
            if let Some(n) = node {
                if n.get_subcommands().next().is_none() && !path.is_empty() {
                    break;
                }
            }
            node = node.and_then(|n| n.find_subcommand(w));
            path.push(w.to_string());
            if node.is_some_and(|n| n.get_subcommands().next().is_none()) {
                break;
            }
        }
        if !path.is_empty() {
            found.insert(path);
        }
    }
    found
}

fn example_commands() -> BTreeSet<Vec<String>> {
    let mut all = BTreeSet::new();
    for f in [
        "examples/github-actions.yml",
        "examples/gitlab-ci.yml",
        "examples/pre-commit-hook.sh",
    ] {
        all.extend(commands_in(&read(f)));
    }
    for (_, body) in fences(&read("docs/ci.md")) {
        all.extend(commands_in(&body));
    }
    all
}

fn words(cmds: &[&str]) -> BTreeSet<Vec<String>> {
    cmds.iter()
        .map(|c| c.split(' ').map(String::from).collect())
        .collect()
}

#[test]
fn examples_use_exactly_the_planned_commands() {
    assert_eq!(
        example_commands(),
        words(&[
            "completions",
            "gate",
            "ledger checkpoint",
            "ledger verify",
            "man",
            "verify",
        ])
    );
}

fn assert_help_works(path: &[String]) {
    let out = verdict()
        .args(path)
        .arg("--help")
        .output()
        .expect("run verdict");
    assert!(
        out.status.success(),
        "`verdict {} --help` failed: {}",
        path.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let usage = format!("Usage: verdict {}", path.join(" "));
    assert!(stdout.contains(&usage), "{stdout}");
}

#[test]
fn every_command_in_the_examples_has_a_working_help() {
    let paths = example_commands();
    assert!(paths.len() >= 6);
    for path in paths {
        assert_help_works(&path);
    }
}

// ---------- every verdict command line parses with the real CLI ----------

/// Shell text → logical lines (backslash-newline continuations joined).
fn logical_lines(shell: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in shell.lines() {
        match line.trim_end().strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The words of one simple shell command, quotes removed, up to the first operator
/// (`|`, `||`, `&&`, `;`, `>`, `<`, `&`) or comment. Variables stay as written (`$REPORT`): clap
/// only needs the shape of the command line.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    w.push(q);
                }
            }
            '|' | '&' | ';' | '>' | '<' => break,
            '#' if word.is_none() => break,
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Every `verdict …` command in a piece of shell, as argv.
fn verdict_argvs(shell: &str) -> Vec<Vec<String>> {
    logical_lines(shell)
        .iter()
        .map(|l| shell_words(l))
        .filter(|w| w.first().is_some_and(|w| w == "verdict"))
        .collect()
}

/// The shell a CI file runs: GitHub's `run:` and GitLab's `script:` (and before/after) values.
fn yaml_shell(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let key = k.as_str().unwrap_or_default();
                if ["run", "script", "before_script", "after_script"].contains(&key) {
                    match v {
                        serde_yaml::Value::String(s) => out.push(s.clone()),
                        serde_yaml::Value::Sequence(items) => {
                            out.extend(items.iter().filter_map(|i| i.as_str().map(String::from)))
                        }
                        _ => {}
                    }
                } else {
                    yaml_shell(v, out);
                }
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| yaml_shell(i, out)),
        _ => {}
    }
}

fn argvs_of_yaml(text: &str) -> Vec<Vec<String>> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
    let mut shell = Vec::new();
    yaml_shell(&value, &mut shell);
    shell.iter().flat_map(|s| verdict_argvs(s)).collect()
}

fn assert_parses(source: &str, argv: &[String]) {
    use clap::Parser;
    if let Err(e) = verdict::cli::Cli::try_parse_from(argv) {
        panic!("{source}: `{}` does not parse:\n{e}", argv.join(" "));
    }
}

#[test]
fn every_verdict_command_line_in_the_examples_parses() {
    let mut counts = Vec::new();
    for (file, argvs) in [
        (
            "examples/github-actions.yml",
            argvs_of_yaml(&read("examples/github-actions.yml")),
        ),
        (
            "examples/gitlab-ci.yml",
            argvs_of_yaml(&read("examples/gitlab-ci.yml")),
        ),
        (
            "examples/pre-commit-hook.sh",
            verdict_argvs(&read("examples/pre-commit-hook.sh")),
        ),
    ] {
        for argv in &argvs {
            assert_parses(file, argv);
        }
        counts.push((file, argvs.len()));
    }
    // verify, record (ledger verify, verify --record, checkpoint), deploy (ledger verify, gate).
    assert_eq!(
        counts,
        [
            ("examples/github-actions.yml", 6),
            ("examples/gitlab-ci.yml", 6),
            ("examples/pre-commit-hook.sh", 2),
        ]
    );
    let mut doc = 0;
    for (info, body) in fences(&read("docs/ci.md")) {
        let argvs = match info.as_str() {
            "yaml" => argvs_of_yaml(&body),
            "sh" => verdict_argvs(&body),
            _ => continue,
        };
        for argv in &argvs {
            assert_parses("docs/ci.md", argv);
        }
        doc += argvs.len();
    }
    // The three examples plus `completions bash`, `completions zsh` and `man --out`.
    assert_eq!(doc, 6 + 6 + 2 + 3);
}

#[test]
fn shell_words_split_like_sh() {
    assert_eq!(
        shell_words(r#"verdict gate "$REPORT" --trust 'a b' --format github > out # c"#),
        [
            "verdict", "gate", "$REPORT", "--trust", "a b", "--format", "github"
        ]
    );
    assert_eq!(
        shell_words("verdict verify x || status=$?"),
        ["verdict", "verify", "x"]
    );
    assert_eq!(
        logical_lines("a \\\n  b\nc\n"),
        ["a    b".to_string(), "c".to_string()]
    );
}

#[test]
fn a_wrong_flag_in_an_example_would_be_caught() {
    let argvs = verdict_argvs("verdict gate \"$REPORT\" --trust k --format sarif\n");
    assert_eq!(argvs.len(), 1);
    use clap::Parser;
    assert!(verdict::cli::Cli::try_parse_from(&argvs[0]).is_err());
}

/// The synopsis in docs/ci.md names only flags the commands have, and where it lists a flag's
/// values (`--format human|json|github`) they are exactly the values the command accepts.
#[test]
fn docs_synopsis_matches_the_cli() {
    let mut cli = verdict::cli::Cli::command();
    cli.build();
    let doc = read("docs/ci.md");
    let synopsis = fences(&doc)
        .into_iter()
        .find(|(info, body)| info == "text" && body.starts_with("verdict verify REPORT"))
        .expect("synopsis block")
        .1;
    // Continuation lines are indented; join them to their command.
    let mut entries: Vec<String> = Vec::new();
    for line in synopsis.lines() {
        match (line.starts_with(' '), entries.last_mut()) {
            (true, Some(last)) => last.push_str(line),
            _ => entries.push(line.to_string()),
        }
    }
    assert_eq!(entries.len(), 4);
    let mut checked_values = 0;
    for entry in &entries {
        let words: Vec<&str> = entry.split_whitespace().collect();
        let path: Vec<&str> = words[1..]
            .iter()
            .take_while(|w| {
                w.starts_with(|c: char| c.is_ascii_lowercase())
                    && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
            .copied()
            .collect();
        let mut cmd = &cli;
        for p in &path {
            cmd = cmd
                .find_subcommand(p)
                .unwrap_or_else(|| panic!("no command {p}"));
        }
        let clean = |w: &str| {
            w.trim_matches(|c| c == '[' || c == ']' || c == '.')
                .to_string()
        };
        for (i, w) in words.iter().enumerate() {
            let w = clean(w);
            let Some(long) = w.strip_prefix("--") else {
                continue;
            };
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(long))
                .unwrap_or_else(|| panic!("`{entry}`: {} has no --{long}", path.join(" ")));
            let next = words.get(i + 1).map(|n| clean(n)).unwrap_or_default();
            if next.contains('|') {
                let listed: Vec<&str> = next.split('|').collect();
                let accepted: Vec<String> = arg
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect();
                assert_eq!(listed, accepted, "`{entry}`: --{long}");
                checked_values += 1;
            }
        }
    }
    assert_eq!(checked_values, 2, "verify's and gate's --format");
}

// ---------- completions and man ----------

/// Every subcommand path of the CLI, so the checks below follow commands added later.
fn subcommand_names(cmd: &clap::Command) -> Vec<String> {
    let mut names = Vec::new();
    for sub in cmd.get_subcommands() {
        names.push(sub.get_name().to_string());
        names.extend(subcommand_names(sub));
    }
    names
}

#[test]
fn completions_cover_every_command_for_every_shell() {
    let names = subcommand_names(&verdict::cli::Cli::command());
    assert!(names.contains(&"completions".to_string()));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = verdict()
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).expect("utf-8");
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} lacks {name}");
        }
    }
    let out = verdict()
        .args(["completions", "bash"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("_verdict() {"));
}

#[test]
fn completions_reject_an_unknown_shell_with_exit_2() {
    verdict()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value 'tcsh'"));
}

#[test]
fn man_prints_the_top_page() {
    let out = verdict().arg("man").output().expect("run");
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("utf-8");
    assert!(page.contains(".TH verdict 1"), "{page}");
    // The top page lists the direct subcommands; nested ones (`policy check`) are on their
    // parent's page.
    let top = verdict::cli::Cli::command();
    for name in top.get_subcommands().map(|s| s.get_name().to_string()) {
        assert!(page.contains(&format!("verdict\\-{}", name.replace('-', "\\-"))));
    }
}

fn man_pages(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn man_out_writes_a_page_per_command() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("man1");
    verdict().args(["man", "--out"]).arg(&dir).assert().code(0);
    let mut expected = BTreeSet::from(["verdict.1".to_string()]);
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut BTreeSet<String>) {
        for sub in cmd.get_subcommands() {
            let name = format!("{prefix}-{}", sub.get_name());
            out.insert(format!("{name}.1"));
            walk(&name, sub, out);
        }
    }
    walk("verdict", &verdict::cli::Cli::command(), &mut expected);
    assert_eq!(man_pages(&dir), expected);
    let page = std::fs::read_to_string(dir.join("verdict-completions.1")).expect("page");
    assert!(page.contains(".TH verdict-completions 1"), "{page}");
}

#[test]
fn man_out_into_an_unwritable_place_is_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").expect("write");
    verdict()
        .args(["man", "--out"])
        .arg(file.join("sub"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("man::write"));
}
