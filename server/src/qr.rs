//! QR codes drawn as inline SVG (no image codecs): one path in module units, sized by CSS.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Quiet zone around the code, in modules, as the QR specification asks.
const QUIET: usize = 4;

/// The module grid: `true` for dark, row by row, without the quiet zone.
pub fn modules(payload: &str) -> anyhow::Result<(usize, Vec<bool>)> {
    // Level M: what the EPC guidelines require for payment QR codes.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)?;
    Ok((
        code.width(),
        code.to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    ))
}

/// An accessible inline SVG of `payload`; `label` names it for screen readers. No width or
/// height: the viewBox keeps it square and the stylesheet decides its size.
pub fn svg(payload: &str, label: &str) -> anyhow::Result<String> {
    let (width, dark) = modules(payload)?;
    let size = width + 2 * QUIET;
    // One rectangle per horizontal run of dark modules: a third of the size of one per module.
    let mut path = String::with_capacity(dark.len() * 4);
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|d| **d).count();
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
            x += run;
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        app::components::escape_html(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::epc_qr::EpcTransfer;
    use app::domain::iban::{Bic, Iban};
    use app::domain::money::{Currency, Money};
    use app::domain::rf::RfReference;

    /// Pixels per module in the test image: zbar reads small modules poorly.
    const SCALE: usize = 4;

    /// Draws the SVG back onto a grid (quiet zone included) by reading its own path syntax,
    /// so the reader below decodes what a browser would show, not the encoder's matrix.
    fn raster(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut grid = vec![false; size * size];
        for rect in d.split('M').filter(|r| !r.is_empty()) {
            let (x, rest) = rect.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let (run, rest) = rest.split_once("v1h-").unwrap();
            assert_eq!(
                rest,
                format!("{run}z"),
                "a rectangle one module high: {rect}"
            );
            let (x, y, run): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), run.parse().unwrap());
            for cell in &mut grid[y * size + x..y * size + x + run] {
                assert!(!*cell, "rectangles overlap at row {y}");
                *cell = true;
            }
        }
        (size, grid)
    }

    /// A plain PBM (P1) image of the grid, `SCALE` pixels per module; 1 is black.
    fn pbm(size: usize, grid: &[bool]) -> String {
        let px = size * SCALE;
        let mut out = format!("P1\n{px} {px}\n");
        for py in 0..px {
            let row: Vec<&str> = (0..px)
                .map(|x| {
                    if grid[(py / SCALE) * size + x / SCALE] {
                        "1"
                    } else {
                        "0"
                    }
                })
                .collect();
            out.push_str(&row.join(" "));
            out.push('\n');
        }
        out
    }

    /// Decodes an image with zbar, the reader Debian ships; the test fails if it is missing.
    fn zbar_decode(image: &str) -> String {
        let path = std::env::temp_dir().join(format!("amiable-qr-{}.pbm", uuid::Uuid::new_v4()));
        std::fs::write(&path, image).unwrap();
        let out = std::process::Command::new("zbarimg")
            .args(["--raw", "-q"])
            .arg(&path)
            .output();
        let _ = std::fs::remove_file(&path);
        let out = out.expect("zbarimg (Debian package zbar-tools) is missing: run .ci/setup.sh");
        assert!(
            out.status.success(),
            "zbarimg found no code ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("zbarimg printed UTF-8");
        // zbarimg ends its output with one newline of its own.
        text.strip_suffix('\n')
            .expect("zbarimg ends with a newline")
            .to_string()
    }

    fn epc_payload(text: Option<&str>) -> String {
        EpcTransfer {
            bic: Some(Bic::parse("AGRIFRPP").unwrap()),
            name: "Équipements Durand SAS".into(),
            iban: Iban::parse("FR7630006000011234567890189").unwrap(),
            amount: Money::new(163_456, Currency::Eur),
            reference: text
                .is_none()
                .then(|| RfReference::from_body("K7Q2X9M4PA1B3C5D7E9F").unwrap()),
            text: text.map(String::from),
        }
        .payload()
        .unwrap()
    }

    #[test]
    fn a_real_qr_reader_decodes_the_epc_payload_from_the_svg_exactly() {
        for payload in [
            epc_payload(None),
            epc_payload(Some(
                &"Factures F-2026-001 à F-2026-014, réglées d’un coup. ".repeat(2),
            )),
        ] {
            let svg = svg(&payload, "QR").unwrap();
            let (size, grid) = raster(&svg);
            let (width, dark) = modules(&payload).unwrap();
            assert_eq!(
                size,
                width + 2 * QUIET,
                "a quiet zone of four modules on each side"
            );
            for (i, d) in dark.iter().enumerate() {
                assert_eq!(
                    grid[(i / width + QUIET) * size + i % width + QUIET],
                    *d,
                    "module {i} drawn as encoded"
                );
            }
            assert_eq!(
                grid.iter().filter(|d| **d).count(),
                dark.iter().filter(|d| **d).count(),
                "nothing in the quiet zone"
            );
            assert_eq!(zbar_decode(&pbm(size, &grid)), payload);
        }
    }

    #[test]
    fn error_correction_is_level_m() {
        let payload = epc_payload(None);
        let at = |level| -> Vec<bool> {
            let code = QrCode::with_error_correction_level(payload.as_bytes(), level).unwrap();
            code.to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect()
        };
        let (_, ours) = modules(&payload).unwrap();
        assert_eq!(ours, at(EcLevel::M));
        assert_ne!(ours, at(EcLevel::L));
    }

    #[test]
    fn the_svg_is_labelled_scalable_and_escapes_its_label() {
        let s = svg("BCD", "Code <QR> & \"SEPA\"").unwrap();
        let open_tag = &s[..s.find('>').unwrap()];
        assert!(open_tag.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(open_tag.contains(" role=\"img\""));
        assert!(open_tag.contains(" aria-label=\"Code &lt;QR&gt; &amp; &quot;SEPA&quot;\""));
        assert!(open_tag.contains(" shape-rendering=\"crispEdges\""));
        assert!(
            !open_tag.contains(" width=") && !open_tag.contains(" height="),
            "no fixed size: {open_tag}"
        );
        let (width, _) = modules("BCD").unwrap();
        let size = width + 2 * QUIET;
        assert!(open_tag.contains(&format!(" viewBox=\"0 0 {size} {size}\"")));
        assert!(
            s.contains(&format!(
                "<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>"
            )),
            "white background"
        );
        assert!(s.contains("fill=\"#000\"/></svg>"), "black modules");
    }
}
