//! The WebAuthn relying party: its id is the host of `EHC_PUBLIC_URL`, and
//! the origins it accepts are the public URL's and the browser origins
//! allowed for CORS (the professionals' SPA). A public URL without a domain
//! name (an IP address) cannot carry passkeys: the hub then offers none.

use std::sync::Arc;

use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

pub fn relying_party(public_url: &str, cors_origins: &[String], service_name: &str) -> Option<Arc<Webauthn>> {
    let origin = Url::parse(public_url).ok()?;
    let rp_id = origin.domain()?.to_owned();
    let mut builder = WebauthnBuilder::new(&rp_id, &origin).ok()?.rp_name(service_name);
    for extra in cors_origins {
        if let Ok(url) = Url::parse(extra) {
            builder = builder.append_allowed_origin(&url);
        }
    }
    match builder.build() {
        Ok(webauthn) => Some(Arc::new(webauthn)),
        Err(e) => {
            tracing::warn!(error = %e, "passkeys are off: the public URL and origins do not form a relying party");
            None
        }
    }
}
