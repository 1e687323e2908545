//! The site's static files (the stylesheet, the islands' JS and Wasm, the card form's script,
//! the icon) under a name that changes with their content: `/assets/<version>/…`, where the
//! version is a hash of every file. A browser keeps them for a year without asking again, and
//! a new release, whose files differ, is fetched under its new name: never a stale script.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Assets {
    /// `/assets/<version>`: where the files are served.
    pub base: std::sync::Arc<str>,
}

impl Assets {
    /// Hashes the files cargo-leptos wrote to the site root (the page files in `pkg/`, the
    /// public ones beside it). Compressed copies (`.gz`, `.br`) follow their original. A site
    /// root that is missing or unreadable is an error: the pages would have no stylesheet.
    pub fn load(site_root: &Path) -> anyhow::Result<Self> {
        let mut files = Vec::new();
        for dir in [site_root.to_path_buf(), site_root.join("pkg")] {
            let entries =
                std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
            for e in entries {
                let path = e?.path();
                let compressed = path.extension().is_some_and(|x| x == "gz" || x == "br");
                if path.is_file() && !compressed {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut h = Sha256::new();
        for f in &files {
            h.update(
                f.strip_prefix(site_root)
                    .unwrap_or(f)
                    .to_string_lossy()
                    .as_bytes(),
            );
            h.update([0]);
            h.update(std::fs::read(f).with_context(|| format!("reading {}", f.display()))?);
        }
        let version: String = h
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            base: format!("/assets/{version}").into(),
        })
    }

    /// Where the islands' JS and Wasm are, as Leptos's `site_pkg_dir` (no leading slash).
    pub fn pkg_dir(&self) -> String {
        format!("{}/pkg", self.base.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::Assets;

    #[test]
    fn the_version_follows_the_content() {
        let dir = std::env::temp_dir().join(format!("amiable-assets-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/amiable.css"), "body{}").unwrap();
        std::fs::write(dir.join("pay.js"), "1").unwrap();
        let a = Assets::load(&dir).unwrap();
        assert_eq!(
            Assets::load(&dir).unwrap().base,
            a.base,
            "the same files, the same name"
        );
        assert!(a.base.starts_with("/assets/") && a.base.len() == "/assets/".len() + 16);
        std::fs::write(dir.join("pkg/amiable.css.gz"), "zz").unwrap();
        assert_eq!(
            Assets::load(&dir).unwrap().base,
            a.base,
            "compressed copies do not count"
        );
        std::fs::write(dir.join("pay.js"), "2").unwrap();
        assert_ne!(
            Assets::load(&dir).unwrap().base,
            a.base,
            "a changed file, a new name"
        );
        assert_eq!(a.pkg_dir(), format!("{}/pkg", &a.base[1..]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
