//! Static files for `--www` (at `/`) and `--pkg` (at `/pkg/`).
//!
//! Rule: a request path maps to a file strictly inside the root; `..`, backslashes, NUL and anything
//! that canonicalizes outside the root are refused (404, never a peek outside).

use crate::http::{Request, Response};
use std::path::{Path, PathBuf};

/// The file for `rel` under `root` (`index.html` for directories), or `None`.
pub fn serve(root: &Path, rel: &str, req: &Request) -> Option<Response> {
    if req.method != "GET" && req.method != "HEAD" {
        return None;
    }
    let path = resolve(root, rel)?;
    let body = std::fs::read(&path).ok()?;
    Some(Response {
        status: 200,
        headers: vec![("Content-Type".into(), content_type(&path).into())],
        body,
    })
}

/// Joins `rel` onto `root`, refusing escapes.
pub fn resolve(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if seg == ".." || seg.contains(['\\', '\0']) || seg.contains(':') {
            return None;
        }
        path.push(seg);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let canonical_root = root.canonicalize().ok()?;
    let canonical = path.canonicalize().ok()?;
    (canonical.starts_with(&canonical_root) && canonical.is_file()).then_some(canonical)
}

/// Media type by file name.
pub fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name.ends_with(".d.ts") || name.ends_with(".ts") {
        return "application/typescript; charset=utf-8";
    }
    match name.rsplit('.').next().unwrap_or("") {
        "wasm" => "application/wasm",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{App, Config};
    use crate::testutil::call;
    use std::fs;

    fn tree() -> PathBuf {
        let base = std::env::temp_dir().join(format!(
            "sandbox-static-{}-{}",
            std::process::id(),
            crate::ids::random_hex(8)
        ));
        fs::create_dir_all(base.join("www/sub")).unwrap();
        fs::create_dir_all(base.join("pkg")).unwrap();
        fs::write(base.join("www/index.html"), "<h1>hi</h1>").unwrap();
        fs::write(base.join("www/sub/app.mjs"), "export {}").unwrap();
        fs::write(base.join("pkg/apikeys_bg.wasm"), b"\0asm").unwrap();
        fs::write(base.join("pkg/apikeys.d.ts"), "export {}").unwrap();
        fs::write(base.join("secret.txt"), "nope").unwrap();
        base
    }

    #[test]
    fn serves_with_types_and_refuses_traversal() {
        let base = tree();
        let app = App::new(Config {
            www: Some(base.join("www")),
            pkg: Some(base.join("pkg")),
            ..Default::default()
        })
        .unwrap();
        let get = |p: &str| call(&app, Request::new("GET", p));
        let r = get("/");
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some("text/html; charset=utf-8"))
        );
        assert_eq!(
            get("/sub/app.mjs").header("content-type"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            get("/pkg/apikeys_bg.wasm").header("content-type"),
            Some("application/wasm")
        );
        assert_eq!(
            get("/pkg/apikeys.d.ts").header("content-type"),
            Some("application/typescript; charset=utf-8")
        );
        for bad in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/pkg/../secret.txt",
            "/missing.js",
        ] {
            assert_eq!(get(bad).status, 404, "{bad}");
        }
    }
}
