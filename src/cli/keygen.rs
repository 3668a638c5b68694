//! `verdict keygen --id NAME --out DIR`: a new ed25519 signing key.

use crate::attest::keys::keygen;
use crate::exit::Exit;
use std::path::PathBuf;

/// Generate an ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (PEM).
/// Prints the keyring entry to add under `signers:`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  verdict keygen --id node1 --out keys/
  verdict keygen --id ci-signer --out ~/.config/verdict >> keyring-entries.yaml
  openssl pkey -in keys/node1.key -pubout          # the same key, read by openssl")]
pub struct KeygenArgs {
    /// Signer id: 1-64 of A-Z a-z 0-9 . _ - ; names the files and the keyring entry.
    #[arg(long)]
    pub id: String,
    /// Directory to write NAME.key and NAME.pub into; created (mode 0700) when missing.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: KeygenArgs) -> miette::Result<Exit> {
    let g = keygen(&args.out, &args.id)?;
    eprintln!(
        "wrote {} (private, mode 0600) and {}",
        g.private_path.display(),
        g.public_path.display()
    );
    eprintln!("add this entry under `signers:` in the keyring:");
    print!("{}", g.keyring_entry);
    Ok(Exit::Pass)
}
