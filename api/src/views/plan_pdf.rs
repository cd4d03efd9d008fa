//! The EHC plan as a PDF: the same sections as the HTML document, in
//! Helvetica on A4 pages, a heading per section and provision as labelled
//! rows. Written directly (PDF 1.4, the standard fonts every reader has):
//! a plan is text, and a renderer on the server would be one more thing to
//! keep patched.

use ehc_domain::plan::{PlanContent, PlanProvision, Statement};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::plans::PlanVersion;

use crate::views::plan_document::title;

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.5;
const LINE: f32 = 14.0;
/// Characters of 10.5 pt Helvetica that fit the text width, on average.
const WRAP: usize = 88;

/// One line of the document: its size and whether it is a heading.
struct Line {
    text: String,
    size: f32,
    bold: bool,
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Text as a PDF string in WinAnsi: the characters it has, `?` for others.
fn pdf_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '£' => out.push_str("\\243"),
            'é' => out.push_str("\\351"),
            '–' | '—' => out.push('-'),
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

fn heading(lines: &mut Vec<Line>, text: &str) {
    lines.push(Line { text: String::new(), size: BODY_SIZE, bold: false });
    lines.push(Line { text: text.to_owned(), size: 13.0, bold: true });
}

fn body(lines: &mut Vec<Line>, text: &str, indent: &str) {
    for (i, l) in wrap(text, WRAP - indent.len()).into_iter().enumerate() {
        let lead = if i == 0 { indent.to_owned() } else { " ".repeat(indent.len()) };
        lines.push(Line { text: format!("{lead}{l}"), size: BODY_SIZE, bold: false });
    }
}

fn statements(lines: &mut Vec<Line>, items: &[Statement]) {
    if items.is_empty() {
        body(lines, "None recorded.", "");
    }
    for s in items {
        body(lines, s.text.as_deref().unwrap_or(""), "- ");
    }
}

fn provisions(lines: &mut Vec<Line>, items: &[PlanProvision]) {
    if items.is_empty() {
        body(lines, "None.", "");
    }
    for p in items {
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        body(lines, &format!("Support: {}", field(&p.support_needed)), "- ");
        body(lines, &format!("Provided by: {}", field(&p.provided_by)), "  ");
        if p.staff_student_ratio.is_some() {
            body(lines, &format!("Staff to pupil ratio: {}", field(&p.staff_student_ratio)), "  ");
        }
        body(lines, &format!("How much: {}. How often: {}.", field(&p.quantity), field(&p.frequency)), "  ");
    }
}

fn lines_of(case: &Case, content: &PlanContent, status: &str) -> Vec<Line> {
    let mut lines = vec![Line { text: "Education, Health and Care plan".to_owned(), size: 18.0, bold: true }];
    body(
        &mut lines,
        &format!(
            "For {} {}, born {}. Case {}.",
            case.given_name,
            case.family_name,
            case.date_of_birth.format("%-d %B %Y"),
            case.reference
        ),
        "",
    );
    body(&mut lines, status, "");
    heading(&mut lines, title("a"));
    statements(&mut lines, &content.a_views);
    heading(&mut lines, title("b"));
    statements(&mut lines, &content.b_special_educational_needs);
    heading(&mut lines, title("c"));
    statements(&mut lines, &content.c_health_needs);
    heading(&mut lines, title("d"));
    statements(&mut lines, &content.d_social_care_needs);
    heading(&mut lines, title("e"));
    if content.e_outcomes.is_empty() {
        body(&mut lines, "None recorded.", "");
    }
    for o in &content.e_outcomes {
        body(&mut lines, o.text.as_deref().unwrap_or(""), "- ");
        for step in &o.steps {
            let by = step.target_date.map(|d| format!(" (by {})", d.format("%-d %B %Y"))).unwrap_or_default();
            body(&mut lines, &format!("{}{by}", step.text.as_deref().unwrap_or("")), "    * ");
        }
    }
    heading(&mut lines, title("f"));
    provisions(&mut lines, &content.f_special_educational_provision);
    heading(&mut lines, title("g"));
    provisions(&mut lines, &content.g_health_provision);
    heading(&mut lines, title("h1"));
    provisions(&mut lines, &content.h1_social_care_provision_csdpa);
    heading(&mut lines, title("h2"));
    provisions(&mut lines, &content.h2_other_social_care_provision);
    heading(&mut lines, title("i"));
    match content.i_placement.as_ref().and_then(|p| p.institution.as_deref()) {
        Some(institution) => body(&mut lines, institution, ""),
        None => body(&mut lines, "Not named in a draft plan.", ""),
    }
    heading(&mut lines, title("j"));
    body(&mut lines, content.j_personal_budget.as_ref().and_then(|s| s.text.as_deref()).unwrap_or("None."), "");
    heading(&mut lines, title("k"));
    if content.k_advice.is_empty() {
        body(&mut lines, "None.", "");
    }
    for g in &content.k_advice {
        body(
            &mut lines,
            &format!("Advice on {} (version {})", g.specialism.as_str().replace('_', " "), g.version),
            "- ",
        );
    }
    lines
}

/// The page streams: lines laid top to bottom, a new page when one is full.
fn pages(lines: &[Line]) -> Vec<String> {
    let mut pages = Vec::new();
    let mut stream = String::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for line in lines {
        let height = if line.size > BODY_SIZE { line.size + 6.0 } else { LINE };
        if y - height < MARGIN {
            pages.push(std::mem::take(&mut stream));
            y = PAGE_HEIGHT - MARGIN;
        }
        y -= height;
        if !line.text.is_empty() {
            let font = if line.bold { "F2" } else { "F1" };
            stream.push_str(&format!(
                "BT /{font} {} Tf {MARGIN} {y:.1} Td {} Tj ET\n",
                line.size,
                pdf_string(&line.text)
            ));
        }
    }
    pages.push(stream);
    pages
}

/// The whole PDF. `status` says which version this is, as the HTML does.
pub fn render(case: &Case, content: &PlanContent, version: Option<&PlanVersion>) -> Vec<u8> {
    let status = crate::views::plan_document::status_of(version);
    let streams = pages(&lines_of(case, content, &status));
    // Objects: 1 catalog, 2 pages, 3 and 4 fonts, then a page and its content each.
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_owned());
    let kids: Vec<String> = (0..streams.len()).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), streams.len()));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned());
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_owned());
    for (i, stream) in streams.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.extend_from_slice(table.as_bytes());
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_wrapped() {
        assert_eq!(pdf_string("a (b) \\ £5"), "(a \\(b\\) \\\\ \\2435)");
        assert_eq!(pdf_string("Zoë"), "(Zo?)");
        let wrapped = wrap("one two three four", 9);
        assert_eq!(wrapped, vec!["one two", "three", "four"]);
    }
}
