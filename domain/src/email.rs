//! E-mail addresses are logins: compared case-insensitively, stored lower-case.

/// The form the API declares for an address (`EMAIL_PATTERN`, the same
/// rule): a dot-atom local part of at most 64 characters and a domain of
/// two or more labels. Quoted local parts and address literals, which no
/// council's mail system hands out, are refused.
pub const EMAIL_PATTERN: &str = "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Lower-cases an address, or says why it cannot be one.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    if raw.len() > 254 {
        return Err("must be at most 254 characters");
    }
    let Some((local, domain)) = raw.split_once('@') else {
        return Err("must be an e-mail address");
    };
    let local_ok = local.len() <= 64 && local.split('.').all(|atom| !atom.is_empty() && atom.chars().all(is_atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2 && labels.iter().all(|l| is_label(l));
    if !local_ok || !domain_ok {
        return Err("must be an e-mail address");
    }
    Ok(raw.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases() {
        assert_eq!(normalise_email("Jo.Bloggs@School.SCH.uk").as_deref(), Ok("jo.bloggs@school.sch.uk"));
        assert_eq!(normalise_email("o'neill+ehc@x-y.example").as_deref(), Ok("o'neill+ehc@x-y.example"));
    }

    #[test]
    fn rejects_non_addresses() {
        for bad in [
            "",
            "no-at-sign",
            "@x.uk",
            "a@",
            "a@localhost",
            "a b@x.uk",
            "a@.uk",
            " a@x.uk",
            "a..b@x.uk",
            ".a@x.uk",
            "Þ@x.uk",
            "a@-x.uk",
            "a@x.uk.",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad} accepted");
        }
    }
}
