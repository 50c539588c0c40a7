//! `sandbox` command line: parse flags, start the server, print the base URLs, serve forever.

use apikeys_sandbox::{start, Config, ProviderId};
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str =
    "usage: sandbox [--host 127.0.0.1] [--port 8787] [--data FILE] [--www DIR] [--pkg DIR] \
[--page-size N] [--fault SPEC]...";

/// The flags as a config, `Ok(None)` for `--help`, or what is wrong with them.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Config>, String> {
    let mut config = Config::default();
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (flag.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value\n{USAGE}"))
        };
        match name.as_str() {
            "--host" => config.host = value()?,
            "--port" => {
                config.port = value()?
                    .parse()
                    .map_err(|_| "--port must be 0-65535".to_string())?
            }
            "--data" => config.data = Some(PathBuf::from(value()?)),
            "--www" => config.www = Some(directory(&name, value()?)?),
            "--pkg" => config.pkg = Some(directory(&name, value()?)?),
            "--page-size" => {
                config.page_size = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--page-size must be a positive integer")?
            }
            "--fault" => {
                let spec = value()?;
                config.faults.push(
                    serde_json::from_str(&spec).map_err(|e| format!("--fault is not JSON: {e}"))?,
                )
            }
            other => return Err(format!("unknown argument: {other}\n{USAGE}")),
        }
    }
    Ok(Some(config))
}

/// A directory to serve; one that does not exist is refused now, not met as 404s.
fn directory(flag: &str, path: String) -> Result<PathBuf, String> {
    let path = PathBuf::from(path);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("{flag} {}: no such directory", path.display()))
    }
}

fn main() {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Some(c)) => c,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    let running = match start(config) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("sandbox: {msg}");
            std::process::exit(1);
        }
    };
    let url = running.url();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "sandbox listening on {url}");
    for p in ProviderId::ALL {
        let _ = writeln!(
            out,
            "  {:<10} {url}{}  key: {}",
            p.name(),
            p.prefix(),
            p.management_key()
        );
    }
    let _ = out.flush();
    drop(out);
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        parse_args(args.iter().map(|s| s.to_string())).map(|c| c.expect("not --help"))
    }

    #[test]
    fn parses_flags() {
        let c = parse(&[
            "--port",
            "0",
            "--data=/tmp/x.json",
            "--page-size",
            "5",
            "--fault",
            r#"{"fault":{"status":503}}"#,
        ])
        .unwrap();
        assert_eq!((c.port, c.page_size, c.faults.len()), (0, 5, 1));
        assert_eq!(c.data, Some(PathBuf::from("/tmp/x.json")));
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--page-size", "0"]).is_err());
        assert!(parse_args(["--help".to_string()].into_iter()).unwrap().is_none(), "help is not an error");
        let www = std::env::temp_dir();
        assert_eq!(parse(&["--www", www.to_str().unwrap()]).unwrap().www, Some(www));
        let missing = parse(&["--pkg", "/no/such/pkg"]).unwrap_err();
        assert!(missing.contains("/no/such/pkg: no such directory"), "{missing}");
    }
}
