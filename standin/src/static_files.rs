//! The built helper, served from `--static` under `--static-prefix`.

use crate::config::Config;
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::path::{Component, Path, PathBuf};

// Not among `http`'s named headers.
const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");

pub async fn serve(config: &Config, path: &str) -> Response {
    let Some(file) = file_for(config, path) else {
        return not_found();
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&file)),
                (header::CACHE_CONTROL, "no-cache"),
                // The page must not be framed by another (a meta CSP cannot say so), nor
                // stay within reach of a page on another origin that opened it.
                (header::X_FRAME_OPTIONS, "DENY"),
                (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
                (CROSS_ORIGIN_OPENER_POLICY, "same-origin"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

/// The file under the static folder that `path` names, if it names one there.
fn file_for(config: &Config, path: &str) -> Option<PathBuf> {
    let folder = config.static_dir.as_ref()?;
    // Only files under the folder, whatever the path says: leading slashes (`//etc/x`)
    // are dropped and every part must be a plain name, not `..` or a hidden file.
    let relative = path
        .strip_prefix(&config.static_prefix)?
        .trim_start_matches('/');
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    let inside = Path::new(&relative).components().all(|part| match part {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    if !inside {
        return None;
    }
    // A link inside the folder may point out of it: what it resolves to must be inside too.
    let file = folder.join(relative).canonicalize().ok()?;
    file.starts_with(folder.canonicalize().ok()?)
        .then_some(file)
}

fn not_found() -> Response {
    let page = "<!doctype html><title>Not Found</title><h1>Not Found</h1>";
    (StatusCode::NOT_FOUND, Html(page)).into_response()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_files_stay_inside_their_folder() {
        let dir =
            std::env::temp_dir().join(format!("standin-static-{}", crate::tokens::random_hex(4)));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>helper</p>").unwrap();
        let config = Config {
            static_dir: Some(dir.clone()),
            static_prefix: "/static/helper/".into(),
            ..Config::default()
        };
        let status = |path: &'static str| {
            let config = config.clone();
            async move { serve(&config, path).await.status() }
        };
        let page = serve(&config, "/static/helper/").await;
        assert_eq!(page.headers()["x-frame-options"], "DENY");
        assert_eq!(
            page.headers()["content-security-policy"],
            "frame-ancestors 'none'"
        );
        assert_eq!(page.headers()["cross-origin-opener-policy"], "same-origin");
        let body = axum::body::to_bytes(page.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"<p>helper</p>");
        assert_eq!(status("/static/helper/index.html").await, 200);
        assert_eq!(status("/index.html").await, 404);
        assert_eq!(status("/static/helper/../Cargo.toml").await, 404);
        assert_eq!(status("/static/helper//etc/hostname").await, 404);
        assert_eq!(status("/static/helper/.hidden").await, 404);
        assert_eq!(status("/static/helper//index.html").await, 200);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/hostname", dir.join("outside")).unwrap();
            std::os::unix::fs::symlink("index.html", dir.join("inside")).unwrap();
            assert_eq!(
                status("/static/helper/outside").await,
                404,
                "a link out of the folder"
            );
            assert_eq!(
                status("/static/helper/inside").await,
                200,
                "a link within it"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
