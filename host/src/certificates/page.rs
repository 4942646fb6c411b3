//! The `/verify` page: a citizen or an official pastes a certificate's QR
//! text, opens the link of one (`/verify?c=…`) or uploads a photo of the QR
//! code, and reads the answer in plain words in English, Telugu or Hindi.
//! Server-rendered HTML with no script: it works on any phone's browser.

use super::verify::{Report, Verdict, display_day as day, explain};

/// `en`, `te` or `hi`.
pub fn language(asked: Option<&str>) -> &'static str {
    match asked.map(str::trim) {
        Some("te") => "te",
        Some("hi") => "hi",
        _ => "en",
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn words(lang: &str, en: &'static str, te: &'static str, hi: &'static str) -> &'static str {
    match lang {
        "te" => te,
        "hi" => hi,
        _ => en,
    }
}

fn details(lang: &str, report: &Report) -> String {
    let Some(claims) = &report.claims else { return String::new() };
    let mut rows = vec![
        (words(lang, "Certificate No.", "పత్రం సంఖ్య", "प्रमाण पत्र संख्या"), claims.serial.clone()),
        (words(lang, "Service", "సేవ", "सेवा"), claims.service.clone()),
        (
            words(lang, "Name", "పేరు", "नाम"),
            match &claims.name_te {
                Some(te) => format!("{} / {te}", claims.name),
                None => claims.name.clone(),
            },
        ),
        (words(lang, "Issued on", "జారీ తేదీ", "जारी तिथि"), day(&claims.issued)),
    ];
    if let Some(expires) = &claims.expires {
        rows.push((words(lang, "Valid until", "చెల్లుబాటు", "मान्य तक"), day(expires)));
    }
    if !claims.ids.is_empty() {
        rows.push((words(lang, "Identifiers", "గుర్తింపు సంఖ్యలు", "पहचान संख्या"), claims.ids.join(", ")));
    }
    if let Some(department) = &report.department {
        rows.push((words(lang, "Signed by", "సంతకం", "हस्ताक्षरकर्ता"), department.clone()));
    }
    rows.push((words(lang, "Log entry", "లాగ్ నమోదు", "लॉग प्रविष्टि"), claims.log_index.to_string()));
    let mut out = String::from("<table class=\"claims\">");
    for (label, value) in rows {
        out.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(&value)));
    }
    out.push_str("</table>");
    out
}

/// The page, with the outcome of a check when there was one.
pub fn render(lang: &str, outcome: Option<&Result<Report, String>>, payload: &str) -> String {
    let result = match outcome {
        None => String::new(),
        Some(Err(error)) => format!(
            "<section id=\"result\" class=\"verdict error\" data-verdict=\"error\"><h2>{}</h2><p>{}</p></section>",
            words(lang, "Could not check", "తనిఖీ చేయలేకపోయాం", "जाँच नहीं हो सकी"),
            escape(error)
        ),
        Some(Ok(report)) => {
            let (code, text) = explain(&report.verdict, lang);
            let extra = match &report.verdict {
                Verdict::Revoked { reason, revoked_at } => format!(
                    "<p class=\"why\">{}: {} ({})</p>",
                    words(lang, "Reason", "కారణం", "कारण"),
                    escape(reason),
                    escape(revoked_at.get(..10).unwrap_or(revoked_at))
                ),
                Verdict::Expired { on } => {
                    format!(
                        "<p class=\"why\">{}: {}</p>",
                        words(lang, "Expired on", "గడువు తేదీ", "समाप्ति तिथि"),
                        day(on)
                    )
                }
                Verdict::UnknownKey { kid } => format!("<p class=\"why\">kid {}</p>", escape(kid)),
                Verdict::Malformed { reason } => format!("<p class=\"why\">{}</p>", escape(reason)),
                _ => String::new(),
            };
            let good = matches!(report.verdict, Verdict::Valid);
            format!(
                "<section id=\"result\" class=\"verdict {}\" data-verdict=\"{code}\"><h2>{} {}</h2>{extra}{}</section>",
                if good { "good" } else { "bad" },
                if good { "✔" } else { "✖" },
                escape(&text),
                details(lang, report)
            )
        }
    };
    let switch: String = [("en", "English"), ("te", "తెలుగు"), ("hi", "हिन्दी")]
        .iter()
        .map(|(code, name)| {
            if *code == lang {
                format!("<strong>{name}</strong>")
            } else {
                let again = if payload.is_empty() {
                    String::new()
                } else {
                    format!(
                        "&amp;c={}",
                        percent_encoding::utf8_percent_encode(payload, percent_encoding::NON_ALPHANUMERIC)
                    )
                };
                format!("<a href=\"/verify?lang={code}{again}\" lang=\"{code}\">{name}</a>")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "Noto Sans Telugu", "Noto Sans Devanagari", system-ui, sans-serif; margin: 0; background: #f4f6fa; color: #141828; }}
main {{ max-width: 40rem; margin: 0 auto; padding: 1rem; }}
header {{ background: #005293; color: #fff; padding: 1rem; }}
header h1 {{ margin: 0; font-size: 1.3rem; }}
nav {{ margin: .5rem 0 1rem; }}
.verdict {{ border-radius: .6rem; padding: 1rem; margin: 1rem 0; }}
.verdict.good {{ background: #e3f6e8; border: 2px solid #1e8e3e; }}
.verdict.bad, .verdict.error {{ background: #fdecea; border: 2px solid #c5221f; }}
.verdict h2 {{ margin: 0 0 .5rem; font-size: 1.15rem; }}
table.claims {{ border-collapse: collapse; width: 100%; }}
table.claims th {{ text-align: left; font-weight: normal; color: #5a606e; padding: .25rem .5rem .25rem 0; vertical-align: top; }}
textarea {{ width: 100%; min-height: 6rem; font-family: monospace; box-sizing: border-box; }}
button {{ background: #005293; color: #fff; border: 0; border-radius: .4rem; padding: .6rem 1.2rem; font-size: 1rem; margin-top: .5rem; }}
label {{ display: block; margin: 1rem 0 .3rem; }}
footer {{ color: #5a606e; font-size: .85rem; margin-top: 2rem; }}
</style>
</head>
<body>
<header><h1>{title}</h1><div>{state}</div></header>
<main>
<nav>{switch}</nav>
{result}
<form method="post" action="/verify" enctype="multipart/form-data">
<input type="hidden" name="lang" value="{lang}">
<label for="payload">{paste}</label>
<textarea id="payload" name="payload" spellcheck="false">{payload}</textarea>
<label for="photo">{photo}</label>
<input id="photo" name="photo" type="file" accept="image/*" capture="environment">
<div><button id="check" type="submit">{check}</button></div>
</form>
<footer>{footer} <a href="/.well-known/jwks.json">jwks.json</a> · <a href="/log/checkpoint">checkpoint</a> · <a href="/log/revoked">revoked</a></footer>
</main>
</body>
</html>
"#,
        title = words(lang, "Check a certificate", "పత్రాన్ని తనిఖీ చేయండి", "प्रमाण पत्र जाँचें"),
        state = words(lang, "Government of Andhra Pradesh", "ఆంధ్రప్రదేశ్ ప్రభుత్వం", "आंध्र प्रदेश सरकार"),
        paste = words(
            lang,
            "Paste the text of the certificate's QR code (it starts with MTR1:)",
            "పత్రం QR కోడ్ వచనాన్ని అతికించండి (MTR1: తో మొదలవుతుంది)",
            "प्रमाण पत्र के QR कोड का पाठ चिपकाएँ (MTR1: से शुरू होता है)"
        ),
        photo = words(lang, "or take a photo of the QR code", "లేదా QR కోడ్ ఫోటో తీయండి", "या QR कोड की फ़ोटो लें"),
        check = words(lang, "Check", "తనిఖీ చేయండి", "जाँचें"),
        footer = words(
            lang,
            "Checked against the departments' published keys and the public log of issued certificates:",
            "శాఖలు ప్రచురించిన కీలు, జారీ అయిన పత్రాల పబ్లిక్ లాగ్‌తో తనిఖీ:",
            "विभागों की प्रकाशित कुंजियों और जारी प्रमाण पत्रों के सार्वजनिक लॉग से जाँचा गया:"
        ),
        payload = escape(payload),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_visitor_typed_is_escaped() {
        let page = render("en", Some(&Err("<script>".into())), "\"><img src=x>");
        assert!(!page.contains("<script>") && !page.contains("<img"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
