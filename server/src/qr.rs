//! QR codes drawn as inline SVG (no image codecs): one path, one unit per module, sized by CSS.

use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules, as the QR specification asks.
const QUIET: usize = 4;

/// The module grid: `true` for dark, row by row, without the quiet zone.
pub fn modules(payload: &str) -> anyhow::Result<(usize, Vec<bool>)> {
    // Level M: what the EPC guidelines require for payment QR codes.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)?;
    Ok((code.width(), code.to_colors().into_iter().map(|c| c == Color::Dark).collect()))
}

/// An accessible inline SVG of `payload`; `label` names it for screen readers.
pub fn svg(payload: &str, label: &str) -> anyhow::Result<String> {
    let (width, dark) = modules(payload)?;
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(dark.len() * 8);
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width + QUIET, i / width + QUIET);
        path.push_str(&format!("M{x} {y}h1v1h-1z"));
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::mail::html_escape(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::epc_qr::EpcTransfer;
    use app::domain::iban::{Bic, Iban};
    use app::domain::money::{Currency, Money};
    use app::domain::rf::RfReference;

    /// Writes the grid as a plain PBM image (4 px a module, with the quiet zone).
    fn pbm(width: usize, dark: &[bool]) -> String {
        let scale = 4;
        let size = (width + 2 * QUIET) * scale;
        let mut out = format!("P1\n{size} {size}\n");
        for py in 0..size {
            let row: Vec<&str> = (0..size)
                .map(|px| {
                    let (x, y) = ((px / scale) as isize - QUIET as isize, (py / scale) as isize - QUIET as isize);
                    let inside = x >= 0 && y >= 0 && (x as usize) < width && (y as usize) < width;
                    if inside && dark[y as usize * width + x as usize] { "1" } else { "0" }
                })
                .collect();
            out.push_str(&row.join(" "));
            out.push('\n');
        }
        out
    }

    #[test]
    fn a_real_qr_reader_decodes_the_epc_payload_exactly() {
        let payload = EpcTransfer {
            bic: Some(Bic::parse("AGRIFRPP").unwrap()),
            name: "Équipements Durand SAS".into(),
            iban: Iban::parse("FR7630006000011234567890189").unwrap(),
            amount: Money::new(163_456, Currency::Eur),
            reference: Some(RfReference::from_body("K7Q2X9M4PA1B3C5D7E9F").unwrap()),
            text: None,
        }
        .payload()
        .unwrap();
        let (width, dark) = modules(&payload).unwrap();
        let path = std::env::temp_dir().join(format!("amiable-qr-{}.pbm", uuid::Uuid::new_v4()));
        std::fs::write(&path, pbm(width, &dark)).unwrap();
        let out = std::process::Command::new("zbarimg").args(["--raw", "-q"]).arg(&path).output();
        let _ = std::fs::remove_file(&path);
        let out = out.expect("zbarimg (Debian zbar-tools) is missing: run .ci/setup.sh");
        assert!(out.status.success(), "zbarimg failed: {}", String::from_utf8_lossy(&out.stderr));
        let decoded = String::from_utf8(out.stdout).unwrap();
        assert_eq!(decoded.strip_suffix('\n').unwrap_or(&decoded), payload);
    }

    #[test]
    fn the_svg_is_labelled_and_escapes_its_label() {
        let s = svg("BCD", "Code <QR> & \"SEPA\"").unwrap();
        assert!(s.starts_with("<svg") && s.contains("role=\"img\""));
        assert!(s.contains("aria-label=\"Code &lt;QR&gt; &amp; &quot;SEPA&quot;\""));
        assert!(!s.contains("width=\"") || s.contains("<rect width="), "no fixed pixel size on the svg element");
    }
}
