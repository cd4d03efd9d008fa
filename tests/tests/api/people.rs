//! The people of a test: sessions, accounts of every role registered through
//! the hub's own invitation and two-step login, as a user would.

use serde_json::{json, Value};

use crate::helpers::{e164, record_personal, token_from_link, TestApp, STRONG_PASSWORD};

#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
}

impl From<&Value> for Session {
    fn from(v: &Value) -> Self {
        Session {
            access: v["access_token"].as_str().expect("access token").to_owned(),
            refresh: v["refresh_token"].as_str().expect("refresh token").to_owned(),
        }
    }
}

/// A logged-in user of any role, with their id.
pub struct Person {
    pub session: Session,
    pub id: String,
}

impl TestApp {
    pub async fn person(
        &self,
        inviter: &Session,
        email: &str,
        role: &str,
        specialism: Option<&str>,
        phone: &str,
    ) -> Person {
        let token = self.invite(inviter, email, role, specialism).await;
        self.register_and_log_in(&token, email, phone).await
    }

    /// A logged-in user placed in a given organisation.
    pub async fn person_at(
        &self,
        inviter: &Session,
        organisation_id: &str,
        email: &str,
        role: &str,
        specialism: Option<&str>,
        phone: &str,
    ) -> Person {
        let body = json!({"email": email, "name": "Robin Example", "role": role, "specialism": specialism, "organisation_id": organisation_id});
        let res = self.post("/api/v1/invitations", Some(&inviter.access), body).await;
        assert_eq!(res.status, 201, "{:?}", res.body);
        let token = self.invitation_token(email);
        self.register_and_log_in(&token, email, phone).await
    }

    /// Accepts an invitation with the test password and an SMS second factor.
    async fn register_sms(&self, token: &str, phone: &str) {
        let reg = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": phone}),
            )
            .await;
        assert_eq!(reg.status, 201, "{:?}", reg.body);
    }

    /// Accepts an invitation with an SMS second factor, logs in, and reads
    /// the new user's id.
    async fn register_and_log_in(&self, token: &str, email: &str, phone: &str) -> Person {
        self.register_sms(token, phone).await;
        let session = self.login_sms(email, &e164(phone)).await;
        let me = self.get("/api/v1/me", Some(&session.access)).await;
        Person { id: me.body["id"].as_str().unwrap().to_owned(), session }
    }

    /// Bootstraps an administrator (as `ehc-hub create-admin` does) and logs them in.
    pub async fn admin(&self, email: &str, la: &str) -> Session {
        record_personal(&[email.to_owned(), "Ada Admin".to_owned()]);
        let link = ehc_api::bootstrap::invite_first_admin(&self.state, email, la, "Ada Admin")
            .await
            .expect("admin invitation");
        let token = token_from_link(&link);
        let phone = "+447700900001";
        self.register_sms(&token, phone).await;
        self.login_sms(email, phone).await
    }

    pub async fn login_sms(&self, email: &str, phone: &str) -> Session {
        let step = self.post("/api/v1/auth/login", None, json!({"email": email, "password": STRONG_PASSWORD})).await;
        assert_eq!(step.status, 200, "{:?}", step.body);
        let code = self.last_code_to(phone, step.body["channel"].as_str().unwrap_or("sms"));
        let tokens = self
            .post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code}))
            .await;
        assert_eq!(tokens.status, 200, "{:?}", tokens.body);
        Session::from(&tokens.body)
    }

    /// Invites someone as `inviter` and returns the invitation token.
    pub async fn invite(&self, inviter: &Session, email: &str, role: &str, specialism: Option<&str>) -> String {
        let mut body = json!({"email": email, "name": "Robin Example", "role": role, "job_title": "SENCo"});
        if let Some(s) = specialism {
            body["specialism"] = json!(s);
        }
        let res = self.post("/api/v1/invitations", Some(&inviter.access), body).await;
        assert_eq!(res.status, 201, "{:?}", res.body);
        self.invitation_token(email)
    }

    /// An active user with an SMS second factor, logged in.
    pub async fn professional(&self, inviter: &Session, email: &str, phone: &str) -> Session {
        let token = self.invite(inviter, email, "professional", Some("education")).await;
        self.register_sms(&token, phone).await;
        self.login_sms(email, &e164(phone)).await
    }
}
