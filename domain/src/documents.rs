//! What an uploaded file is, judged by its content, never by its name: the
//! types a professional's report or letter may come in (seed 002).

/// How many leading bytes `sniff` needs to decide.
pub const SNIFF_BYTES: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentType {
    Pdf,
    Docx,
    Doc,
    Odt,
    Rtf,
    Text,
    Jpeg,
    Png,
}

impl DocumentType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Doc => "application/msword",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Rtf => "application/rtf",
            Self::Text => "text/plain",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Doc => "doc",
            Self::Odt => "odt",
            Self::Rtf => "rtf",
            Self::Text => "txt",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file from its first bytes (up to `SNIFF_BYTES`), or `None`
/// when it is none we accept.
pub fn sniff(head: &[u8]) -> Option<DocumentType> {
    if head.starts_with(b"%PDF-") {
        return Some(DocumentType::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(DocumentType::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(DocumentType::Jpeg);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(DocumentType::Doc);
    }
    if head.starts_with(b"{\\rtf") {
        return Some(DocumentType::Rtf);
    }
    if head.starts_with(b"PK\x03\x04") {
        // ODF stores its type uncompressed first; OOXML names its parts.
        if contains(head, b"mimetypeapplication/vnd.oasis.opendocument.text") {
            return Some(DocumentType::Odt);
        }
        if contains(head, b"[Content_Types].xml") || contains(head, b"word/") {
            return Some(DocumentType::Docx);
        }
        return None;
    }
    looks_like_text(head).then_some(DocumentType::Text)
}

/// UTF-8 (a cut multi-byte character at the end is fine) without control
/// characters other than tab, newline, carriage return and form feed.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&head[..e.valid_up_to()]) {
            Ok(s) => s,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    valid.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'))
}

/// A file name safe to store and to send back in `Content-Disposition`:
/// no path, no control or quoting characters, at most 120 characters, with
/// the extension of the sniffed type.
pub fn sanitise_file_name(raw: &str, kind: DocumentType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')' | ',') { c } else { '_' })
        .collect::<String>()
        .trim_matches(|c: char| c == ' ' || c == '_' || c == '.')
        .chars()
        .take(120)
        .collect();
    let stem = if cleaned.is_empty() { "document".to_owned() } else { cleaned };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_accepted_types_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(DocumentType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(DocumentType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(DocumentType::Jpeg));
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Some(DocumentType::Doc));
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Some(DocumentType::Rtf));
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\0\0\0\0xxxxxxxxxxxxxxxxmimetypeapplication/vnd.oasis.opendocument.text"),
            Some(DocumentType::Odt)
        );
        assert_eq!(sniff(b"PK\x03\x04\x14\0\x06\0xxxx[Content_Types].xml"), Some(DocumentType::Docx));
        assert_eq!(sniff("Letter from the clinic — 3 pages\r\n".as_bytes()), Some(DocumentType::Text));
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(sniff(b"MZ\x90\0\x03"), None, "executable");
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0\0\0payload.exe"), None, "arbitrary zip");
        assert_eq!(sniff(b"\x7fELF\x02\x01"), None, "ELF binary");
        assert_eq!(sniff(b"text with a \0 nul"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_sanitised_and_take_the_real_extension() {
        assert_eq!(sanitise_file_name("../../etc/passwd", DocumentType::Text), "passwd.txt");
        assert_eq!(sanitise_file_name("C:\\Users\\me\\Report (final).exe", DocumentType::Pdf), "Report (final).pdf");
        assert_eq!(sanitise_file_name("a\"b\r\nc;d.pdf", DocumentType::Pdf), "a_b__c_d.pdf");
        assert_eq!(sanitise_file_name("", DocumentType::Png), "document.png");
        assert_eq!(sanitise_file_name(&"x".repeat(300), DocumentType::Pdf).len(), 124);
    }
}
