//! The EHC plan as a readable, accessible HTML document for the family: a
//! heading per section (reg 12(1) A to K), lists for statements and
//! outcomes, and a table with column headers for each kind of provision.

use ehc_domain::plan::{PlanContent, PlanOutcome, PlanProvision, Statement};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::plans::PlanVersion;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn text(value: &Option<String>) -> String {
    escape(value.as_deref().unwrap_or(""))
}

fn section(out: &mut String, id: &str, title: &str, body: &str) {
    out.push_str(&format!("<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{title}</h2>{body}</section>\n"));
}

fn statements(items: &[Statement]) -> String {
    if items.is_empty() {
        return "<p>None recorded.</p>".to_owned();
    }
    let items: String = items.iter().map(|s| format!("<li>{}</li>", text(&s.text))).collect();
    format!("<ul>{items}</ul>")
}

fn outcomes(items: &[PlanOutcome]) -> String {
    if items.is_empty() {
        return "<p>None recorded.</p>".to_owned();
    }
    let mut out = String::from("<ol>");
    for o in items {
        out.push_str(&format!("<li>{}", text(&o.text)));
        if !o.steps.is_empty() {
            out.push_str("<ul>");
            for step in &o.steps {
                let by = step.target_date.map(|d| format!(" (by {})", d.format("%-d %B %Y"))).unwrap_or_default();
                out.push_str(&format!("<li>{}{by}</li>", text(&step.text)));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

fn provisions(caption: &str, items: &[PlanProvision]) -> String {
    if items.is_empty() {
        return "<p>None.</p>".to_owned();
    }
    let mut out = format!(
        "<table><caption>{caption}</caption><thead><tr><th scope=\"col\">Support</th><th scope=\"col\">Provided by</th>\
         <th scope=\"col\">Staff to pupil ratio</th><th scope=\"col\">How much</th><th scope=\"col\">How often</th></tr></thead><tbody>"
    );
    for p in items {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&p.support_needed),
            text(&p.provided_by),
            text(&p.staff_student_ratio),
            text(&p.quantity),
            text(&p.frequency)
        ));
    }
    out.push_str("</tbody></table>");
    out
}

const STYLE: &str = "body{font-family:Arial,Helvetica,sans-serif;line-height:1.5;max-width:60rem;margin:2rem auto;\
padding:0 1rem;color:#0b0c0c}h1{font-size:2rem}h2{font-size:1.4rem;border-top:2px solid #0b0c0c;padding-top:.5rem}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #505a5f;padding:.4rem;text-align:left;vertical-align:top}\
caption{text-align:left;font-weight:bold;padding:.4rem 0}.status{background:#f3f2f1;padding:.5rem}";

/// A section's heading (reg 12(1)), the same in the HTML and the PDF.
pub fn title(section: &str) -> &'static str {
    match section {
        "a" => "Section A: views, interests and aspirations",
        "b" => "Section B: special educational needs",
        "c" => "Section C: health care needs",
        "d" => "Section D: social care needs",
        "e" => "Section E: outcomes",
        "f" => "Section F: special educational provision",
        "g" => "Section G: health care provision",
        "h1" => "Section H1: social care provision (CSDPA 1970, s.2)",
        "h2" => "Section H2: other social care provision",
        "i" => "Section I: placement",
        "j" => "Section J: personal budget",
        "k" => "Section K: advice and information gathered",
        _ => "",
    }
}

/// Which version a document shows, in words for the family.
pub fn status_of(version: Option<&PlanVersion>) -> String {
    match version {
        Some(v) if v.stage == "final" => {
            format!("Final plan, version {}, issued on {}.", v.version, v.issued_on.format("%-d %B %Y"))
        }
        Some(v) if v.stage == "amended" => {
            format!("Amended plan, version {}, issued on {}.", v.version, v.issued_on.format("%-d %B %Y"))
        }
        Some(v) => format!(
            "Draft plan, version {}, sent on {}. You may comment on it and ask for a school or college to be named.",
            v.version,
            v.issued_on.format("%-d %B %Y")
        ),
        None => "Working copy: not issued.".to_owned(),
    }
}

/// The whole document. `version` is the issued version shown (none: the
/// assessment team's working copy, marked as not issued).
pub fn render(case: &Case, content: &PlanContent, version: Option<&PlanVersion>) -> String {
    let status = status_of(version);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Education, Health and Care plan: {reference}</title><style>{STYLE}</style></head><body><main>\n\
         <h1>Education, Health and Care plan</h1><p>For {given} {family}, born {born}. Case {reference}.</p>\
         <p class=\"status\">{status}</p>\n",
        reference = escape(&case.reference),
        given = escape(&case.given_name),
        family = escape(&case.family_name),
        born = case.date_of_birth.format("%-d %B %Y"),
    );
    section(&mut out, "a", title("a"), &statements(&content.a_views));
    section(&mut out, "b", title("b"), &statements(&content.b_special_educational_needs));
    section(&mut out, "c", title("c"), &statements(&content.c_health_needs));
    section(&mut out, "d", title("d"), &statements(&content.d_social_care_needs));
    section(&mut out, "e", title("e"), &outcomes(&content.e_outcomes));
    let f = provisions("Special educational provision", &content.f_special_educational_provision);
    section(&mut out, "f", title("f"), &f);
    section(&mut out, "g", title("g"), &provisions("Health care provision", &content.g_health_provision));
    let h1 = provisions(
        "Under section 2 of the Chronically Sick and Disabled Persons Act 1970",
        &content.h1_social_care_provision_csdpa,
    );
    section(&mut out, "h1", title("h1"), &h1);
    let h2 = provisions("Other social care provision", &content.h2_other_social_care_provision);
    section(&mut out, "h2", title("h2"), &h2);
    let placement = match &content.i_placement {
        Some(p) if p.institution.is_some() => format!(
            "<p>{}{}</p>",
            text(&p.institution),
            p.kind.as_deref().map(|k| format!(" ({})", escape(k))).unwrap_or_default()
        ),
        _ => "<p>Not named in a draft plan.</p>".to_owned(),
    };
    section(&mut out, "i", title("i"), &placement);
    let budget =
        content.j_personal_budget.as_ref().map_or("<p>None.</p>".to_owned(), |s| format!("<p>{}</p>", text(&s.text)));
    section(&mut out, "j", title("j"), &budget);
    let gathered: String = content
        .k_advice
        .iter()
        .map(|g| {
            format!("<li>Advice on {} (version {})</li>", escape(&g.specialism.as_str().replace('_', " ")), g.version)
        })
        .collect();
    let gathered = if gathered.is_empty() { "<p>None.</p>".to_owned() } else { format!("<ul>{gathered}</ul>") };
    section(&mut out, "k", title("k"), &gathered);
    out.push_str("</main></body></html>\n");
    out
}
