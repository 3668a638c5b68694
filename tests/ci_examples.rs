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
    // GitLab rejects a script item that is not a string (an unquoted `: ` makes a mapping).
    for job in ["verify", "record", "deploy"] {
        for item in p[job]["script"].as_sequence().expect("script") {
            assert!(
                item.is_string(),
                "{job}: script item {item:?} is not a string"
            );
        }
    }
    assert_eq!(p["record"]["rules"][0]["when"].as_str(), Some("always"));
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
    let argvs = verdict_argvs("verdict gate \"$REPORT\" --trust k --format xml\n");
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

// ---------- the GitHub workflow, run ----------

/// Runs examples/github-actions.yml the way the runner would, as far as a test can: each job in
/// a fresh clone of a local `origin` (as `actions/checkout` with `ref: main`), each `run:` step
/// with `bash -e`, the workflow's and the step's `env`, `continue-on-error`, the
/// `steps.verify.outcome` condition and the jobs' `needs`. `uses:` steps and the install step
/// are skipped (verdict is already on PATH); `./scripts/deploy.sh` is a stub that leaves a mark.
struct Workflow {
    yaml: serde_yaml::Value,
    base: PathBuf,
    secrets: Vec<(String, String)>,
}

#[derive(Debug, PartialEq)]
enum JobResult {
    Success,
    Failed { step: String, code: i32 },
    Skipped,
}

impl Workflow {
    fn git(&self, dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn checkout(&self, name: &str) -> PathBuf {
        let dir = self.base.join("runs").join(name);
        std::fs::create_dir_all(dir.parent().expect("parent")).expect("mkdir");
        let origin = self.base.join("origin.git").display().to_string();
        self.git(
            &self.base,
            &[
                "clone",
                "-q",
                "-b",
                "main",
                &origin,
                &dir.display().to_string(),
            ],
        );
        dir
    }

    fn env(&self, step: &serde_yaml::Value) -> Vec<(String, String)> {
        let mut env = Vec::new();
        for block in [&self.yaml["env"], &step["env"]] {
            for (k, v) in block.as_mapping().into_iter().flatten() {
                let mut v = v.as_str().expect("env value").to_string();
                for (name, secret) in &self.secrets {
                    v = v.replace(&format!("${{{{ secrets.{name} }}}}"), secret);
                }
                env.push((k.as_str().expect("env key").to_string(), v));
            }
        }
        env
    }

    /// Runs one job in a fresh checkout; `prior` holds the results of the jobs it needs.
    fn job(&self, name: &str, run: usize, summary: &Path) -> JobResult {
        let job = &self.yaml["jobs"][name];
        let dir = self.checkout(&format!("{run}-{name}"));
        let runner_temp = self.base.join("runner-temp");
        std::fs::create_dir_all(&runner_temp).expect("mkdir");
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_verdict"));
        let path = std::env::join_paths(
            std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
            ),
        )
        .expect("PATH");
        let mut outcomes: Vec<(String, bool)> = Vec::new();
        for step in job["steps"].as_sequence().expect("steps") {
            let Some(script) = step["run"].as_str() else {
                continue; // `uses:` steps
            };
            if script.contains("cargo install") {
                continue;
            }
            if let Some(cond) = step["if"].as_str() {
                assert_eq!(cond, "steps.verify.outcome != 'success'", "unhandled if");
                let verify_ok = outcomes
                    .iter()
                    .find(|(id, _)| id == "verify")
                    .map(|(_, ok)| *ok)
                    .expect("verify step ran");
                if verify_ok {
                    continue;
                }
            }
            let out = std::process::Command::new("bash")
                .arg("-e")
                .arg("-c")
                .arg(script)
                .current_dir(&dir)
                .env("PATH", &path)
                .env("RUNNER_TEMP", &runner_temp)
                .env("GITHUB_STEP_SUMMARY", summary)
                .env("NO_COLOR", "1")
                .env_remove("VERDICT_LEDGER")
                .envs(self.env(step))
                .output()
                .expect("bash");
            if !out.status.success() {
                eprintln!(
                    "{name}: step {:?} exited {:?}:\n{}{}",
                    step["name"].as_str(),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let status = out.status;
            let id = step["id"].as_str().unwrap_or_default().to_string();
            outcomes.push((id, status.success()));
            if !status.success() && step["continue-on-error"].as_bool() != Some(true) {
                return JobResult::Failed {
                    step: step["name"].as_str().unwrap_or_default().to_string(),
                    code: status.code().unwrap_or(-1),
                };
            }
        }
        JobResult::Success
    }

    /// One push to main: verify, record (even when verify failed), deploy (only when both
    /// succeeded), as the workflow's `if` and `needs` say.
    fn push(&self, run: usize, summary: &Path) -> [JobResult; 3] {
        let verify = self.job("verify", run, summary);
        let record = self.job("record", run, summary);
        let deploy = if verify == JobResult::Success && record == JobResult::Success {
            self.job("deploy", run, summary)
        } else {
            JobResult::Skipped
        };
        [verify, record, deploy]
    }
}

fn verdict_in(dir: &Path, args: &[&str]) -> std::process::Output {
    verdict()
        .current_dir(dir)
        .env_remove("VERDICT_LEDGER")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .output()
        .expect("verdict")
}

/// A repository laid out as the workflows' headers say, pushed to a local bare `origin`, with
/// the ledger created once (its first entry another report's fail, so nothing is gated open
/// for the release report yet). Returns the workflow runner.
fn ci_repo(yaml: serde_yaml::Value, base: &Path, signer_as_path: bool) -> Workflow {
    // The verifier's key pair: the public half is committed, the private half is the secret.
    let secret_dir = base.join("secret");
    assert!(
        verdict_in(base, &["keygen", "--id", "verifier", "--out", "secret"])
            .status
            .success()
    );
    let signer = if signer_as_path {
        secret_dir.join("verifier.key").display().to_string()
    } else {
        std::fs::read_to_string(secret_dir.join("verifier.key")).expect("key")
    };

    let seed = base.join("seed");
    for d in ["reports", "policies", "keys", "ledger", "scripts"] {
        std::fs::create_dir_all(seed.join(d)).expect("mkdir");
    }
    let copy = |from: &str, to: &str| {
        std::fs::copy(root().join(from), seed.join(to)).unwrap_or_else(|e| panic!("{from}: {e}"));
    };
    copy(
        "fixtures/reports/signed/clean.md",
        "reports/release-report.md",
    );
    copy("fixtures/keys/keyring.yaml", "keys/keyring.yaml");
    std::fs::copy(
        secret_dir.join("verifier.pub"),
        seed.join("keys/verifier.pub"),
    )
    .expect("pub");
    // The production policy, minus freshness: the fixture's date must not expire the test.
    std::fs::write(
        seed.join("policies/bft-production.yaml"),
        format!(
            "policy: bft-production-ci-test\nextends: {}\nrules:\n  freshness.stale: off\n",
            root().join("policies/bft-production.yaml").display()
        ),
    )
    .expect("policy");
    std::fs::write(
        seed.join("scripts/deploy.sh"),
        format!(
            "#!/bin/sh\necho deployed >> '{}'\n",
            base.join("deployed").display()
        ),
    )
    .expect("deploy.sh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            seed.join("scripts/deploy.sh"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    // "Create them once with a first verdict verify --record and verdict ledger checkpoint".
    std::fs::copy(
        root().join("fixtures/reports/seed.txt"),
        base.join("old.txt"),
    )
    .expect("copy");
    let first = verdict_in(
        &seed,
        &[
            "verify",
            "../old.txt",
            "--policy",
            "policies/bft-production.yaml",
            "--record",
            "--ledger",
            "ledger/verdicts.db",
            "--signer",
            "../secret/verifier.key",
        ],
    );
    assert_eq!(first.status.code(), Some(1));
    let cp = verdict_in(
        &seed,
        &["ledger", "checkpoint", "--ledger", "ledger/verdicts.db"],
    );
    std::fs::write(seed.join("ledger/checkpoint"), cp.stdout).expect("checkpoint");

    let wf = Workflow {
        yaml,
        base: base.to_path_buf(),
        secrets: vec![("VERDICT_SIGNER_KEY".into(), signer)],
    };
    let origin = base.join("origin.git").display().to_string();
    wf.git(base, &["init", "-q", "--bare", "-b", "main", &origin]);
    wf.git(&seed, &["init", "-q", "-b", "main"]);
    wf.git(&seed, &["add", "-A"]);
    wf.commit(&seed, "initial");
    wf.git(&seed, &["remote", "add", "origin", &origin]);
    wf.git(&seed, &["push", "-q", "origin", "main"]);
    wf
}

/// The verdicts in origin's ledger, oldest first, and its committed checkpoint's size.
fn origin_ledger(wf: &Workflow, name: &str) -> (Vec<String>, Option<String>) {
    let main = wf.checkout(name);
    let export = verdict_in(
        &main,
        &["ledger", "export", "--ledger", "ledger/verdicts.db"],
    );
    assert!(export.status.success());
    let verdicts = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("entry");
            v["record"]["verdict"]
                .as_str()
                .expect("verdict")
                .to_string()
        })
        .collect();
    let cp = std::fs::read_to_string(main.join("ledger/checkpoint")).expect("checkpoint");
    (verdicts, cp.lines().nth(1).map(String::from))
}

/// Commits a failing report (the seed) as the release report and pushes it.
fn push_failing_report(wf: &Workflow, name: &str) {
    let work = wf.checkout(name);
    std::fs::copy(
        root().join("fixtures/reports/seed.txt"),
        work.join("reports/release-report.md"),
    )
    .expect("copy");
    wf.git(&work, &["add", "-A"]);
    wf.commit(&work, "a failing report");
    wf.git(&work, &["push", "-q", "origin", "main"]);
}

fn deployments(base: &Path) -> usize {
    std::fs::read_to_string(base.join("deployed"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn the_github_workflow_runs_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path().to_path_buf();
    let wf = ci_repo(yaml("examples/github-actions.yml"), &base, false);

    // 1. A signed, passing report: verified, recorded, committed, gated open, deployed.
    let summary = base.join("summary.md");
    assert_eq!(
        wf.push(1, &summary),
        [JobResult::Success, JobResult::Success, JobResult::Success]
    );
    assert_eq!(deployments(&base), 1);
    let verify_dir = base.join("runs/1-verify");
    for f in ["verdict.sarif", "verdict-junit.xml", "verdict.json"] {
        assert!(verify_dir.join(f).is_file(), "{f}");
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(verify_dir.join("verdict.json")).expect("json"),
    )
    .expect("json");
    assert_eq!(json["verdict"], "pass");
    assert!(
        std::fs::read_to_string(&summary)
            .expect("summary")
            .starts_with("## ✅ verdict: PASS")
    );
    // origin holds the ledger with the new entry and a checkpoint that commits to it.
    assert_eq!(
        origin_ledger(&wf, "after-1"),
        (vec!["fail".into(), "pass".into()], Some("2".into()))
    );

    // 2. The report replaced by one that fails: verify fails (after leaving its files), the
    // fail is recorded all the same, and deploy does not run.
    push_failing_report(&wf, "work-2");
    assert_eq!(
        wf.push(2, &summary),
        [
            JobResult::Failed {
                step: "Fail unless the report passed".into(),
                code: 1
            },
            JobResult::Success,
            JobResult::Skipped
        ]
    );
    assert!(base.join("runs/2-verify/verdict.sarif").is_file());
    assert_eq!(
        origin_ledger(&wf, "after-2"),
        (
            vec!["fail".into(), "pass".into(), "fail".into()],
            Some("3".into())
        )
    );
    // Had deploy run anyway, its gate would have stopped it before deploy.sh.
    assert_eq!(
        wf.job("deploy", 3, &summary),
        JobResult::Failed {
            step: "Gate on a signed PASS for this exact report".into(),
            code: 1
        }
    );
    assert_eq!(deployments(&base), 1);
}

impl Workflow {
    fn commit(&self, dir: &Path, message: &str) {
        self.git(
            dir,
            &[
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
                "commit",
                "-q",
                "-m",
                message,
            ],
        );
    }

    /// One GitLab job: `before_script` (less the install line) and `script` in one `bash -e`,
    /// in a fresh clone, with the pipeline's variables; the record job's push URL is pointed at
    /// the local origin (`url.<origin>.insteadOf`).
    fn gitlab_job(&self, name: &str, run: usize) -> JobResult {
        let dir = self.checkout(&format!("{run}-{name}"));
        let mut lines: Vec<String> = Vec::new();
        for key in ["before_script"] {
            for l in self.yaml["default"][key]
                .as_sequence()
                .into_iter()
                .flatten()
            {
                let l = l.as_str().expect("line");
                if !l.contains("cargo install") {
                    lines.push(l.to_string());
                }
            }
        }
        for l in self.yaml[name]["script"].as_sequence().expect("script") {
            lines.push(l.as_str().expect("line").to_string());
        }
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_verdict"));
        let path = std::env::join_paths(
            std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
            ),
        )
        .expect("PATH");
        let origin = self.base.join("origin.git").display().to_string();
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-e")
            .arg("-c")
            .arg(lines.join("\n"))
            .current_dir(&dir)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("VERDICT_LEDGER")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env("CARGO_HOME", self.base.join("cargo-home"))
            .env("CI_DEFAULT_BRANCH", "main")
            .env("CI_COMMIT_BRANCH", "main")
            .env("CI_SERVER_HOST", "gitlab.example.invalid")
            .env("CI_PROJECT_PATH", "group/project")
            .env("LEDGER_PUSH_TOKEN", "token")
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", format!("url.{origin}.insteadOf"))
            .env(
                "GIT_CONFIG_VALUE_0",
                "https://oauth2:token@gitlab.example.invalid/group/project.git",
            );
        for (k, v) in self.yaml["variables"].as_mapping().expect("variables") {
            cmd.env(k.as_str().expect("key"), v.as_str().expect("value"));
        }
        for (k, v) in &self.secrets {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("bash");
        if out.status.success() {
            JobResult::Success
        } else {
            eprintln!(
                "{name}: exited {:?}:\n{}{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            JobResult::Failed {
                step: name.to_string(),
                code: out.status.code().unwrap_or(-1),
            }
        }
    }

    /// A pipeline on the default branch: a job of a later stage runs when every earlier job
    /// succeeded, or when its rule says `when: always`.
    fn gitlab_pipeline(&self, run: usize) -> Vec<JobResult> {
        let mut results: Vec<JobResult> = Vec::new();
        for stage in self.yaml["stages"].as_sequence().expect("stages") {
            let name = stage.as_str().expect("stage");
            let always = self.yaml[name]["rules"][0]["when"].as_str() == Some("always");
            let ok = results.iter().all(|r| *r == JobResult::Success);
            results.push(if ok || always {
                self.gitlab_job(name, run)
            } else {
                JobResult::Skipped
            });
        }
        results
    }
}

#[test]
fn the_gitlab_pipeline_runs_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path().to_path_buf();
    // GitLab's File-type variable: $VERDICT_SIGNER_KEY is a path to the key.
    let wf = ci_repo(yaml("examples/gitlab-ci.yml"), &base, true);

    assert_eq!(
        wf.gitlab_pipeline(1),
        [JobResult::Success, JobResult::Success, JobResult::Success]
    );
    assert_eq!(deployments(&base), 1);
    let junit =
        std::fs::read_to_string(base.join("runs/1-verify/verdict-junit.xml")).expect("junit");
    assert!(junit.contains("failures=\"0\""), "{junit}");
    assert!(base.join("runs/1-verify/verdict.md").is_file());
    assert_eq!(
        origin_ledger(&wf, "after-1"),
        (vec!["fail".into(), "pass".into()], Some("2".into()))
    );

    push_failing_report(&wf, "work-2");
    assert_eq!(
        wf.gitlab_pipeline(2),
        [
            JobResult::Failed {
                step: "verify".into(),
                code: 1
            },
            JobResult::Success,
            JobResult::Skipped
        ]
    );
    let junit =
        std::fs::read_to_string(base.join("runs/2-verify/verdict-junit.xml")).expect("junit");
    // The seed's six deny rules but freshness (off in this policy), and its failed check.
    assert!(junit.contains("tests=\"48\" failures=\"6\""), "{junit}");
    assert_eq!(
        origin_ledger(&wf, "after-2"),
        (
            vec!["fail".into(), "pass".into(), "fail".into()],
            Some("3".into())
        )
    );
    assert_eq!(
        wf.gitlab_job("deploy", 3),
        JobResult::Failed {
            step: "deploy".into(),
            code: 1
        }
    );
    assert_eq!(deployments(&base), 1);
}

#[test]
fn the_pre_commit_hook_passes_good_reports_and_refuses_bad_ones() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    for d in ["reports", "policies", "keys"] {
        std::fs::create_dir_all(repo.join(d)).expect("mkdir");
    }
    std::fs::write(
        repo.join("policies/bft-production.yaml"),
        format!(
            "policy: ci-test\nextends: {}\nrules:\n  freshness.stale: off\n",
            root().join("policies/bft-production.yaml").display()
        ),
    )
    .expect("policy");
    std::fs::copy(
        root().join("fixtures/keys/keyring.yaml"),
        repo.join("keys/keyring.yaml"),
    )
    .expect("keyring");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_verdict"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    let hook = |args: &[&str]| {
        std::process::Command::new("sh")
            .arg(root().join("examples/pre-commit-hook.sh"))
            .args(args)
            .current_dir(repo)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("sh")
    };
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(repo)
            .args(args)
            .output()
            .expect("git");
        assert!(out.status.success(), "{out:?}");
    };
    git(&["init", "-q"]);
    std::fs::copy(
        root().join("fixtures/reports/signed/clean.md"),
        repo.join("reports/good.md"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("fixtures/reports/seed-clean-lf.md"),
        repo.join("reports/bad.md"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("fixtures/reports/prose.md"),
        repo.join("reports/empty.md"),
    )
    .expect("copy");
    // As the pre-commit framework calls it: the files as arguments.
    assert_eq!(hook(&["reports/good.md"]).status.code(), Some(0));
    let out = hook(&["reports/good.md", "reports/bad.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pre-commit: reports/bad.md fails"));
    let out = hook(&["reports/empty.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing verifiable in reports/empty.md")
    );
    let out = hook(&["reports/missing.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not verify reports/missing.md"));
    // As a git hook: the staged reports.
    git(&["add", "reports/good.md"]);
    assert_eq!(hook(&[]).status.code(), Some(0));
    git(&["add", "reports/bad.md"]);
    assert_eq!(hook(&[]).status.code(), Some(1));
}

/// Every command's `--help` ends with real examples: at least two, and every `verdict …` line
/// among them parses with the CLI it documents.
#[test]
fn every_help_ends_with_examples_that_parse() {
    use clap::Parser;
    let mut cli = verdict::cli::Cli::command();
    cli.build();
    fn walk(path: Vec<String>, cmd: &clap::Command, out: &mut Vec<(Vec<String>, String)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            let help = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            out.push((p.clone(), help));
            walk(p, sub, out);
        }
    }
    let mut all = Vec::new();
    walk(vec![], &cli, &mut all);
    assert!(all.len() >= 20, "{}", all.len());
    for (path, help) in all {
        let name = path.join(" ");
        let examples = help
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("`verdict {name} --help` has no Examples"))
            .1;
        let argvs = verdict_argvs(examples);
        assert!(argvs.len() >= 2, "`verdict {name}`: {argvs:?}");
        for argv in argvs {
            if let Err(e) = verdict::cli::Cli::try_parse_from(&argv) {
                panic!("`verdict {name} --help` example `{}`:\n{e}", argv.join(" "));
            }
        }
    }
}
