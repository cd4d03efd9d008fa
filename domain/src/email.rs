//! E-mail addresses are logins: compared case-insensitively, stored lower-case.

/// Lower-cases and trims an address, or says why it cannot be one.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    if email.len() > 254 {
        return Err("must be at most 254 characters");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("must be an e-mail address");
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.len() > 64 || !domain_ok || local.chars().any(char::is_whitespace) {
        return Err("must be an e-mail address");
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_trims() {
        assert_eq!(normalise_email("  Jo.Bloggs@School.SCH.uk ").as_deref(), Ok("jo.bloggs@school.sch.uk"));
    }

    #[test]
    fn rejects_non_addresses() {
        for bad in ["", "no-at-sign", "@x.uk", "a@", "a@localhost", "a b@x.uk", "a@.uk"] {
            assert!(normalise_email(bad).is_err(), "{bad} accepted");
        }
    }
}
