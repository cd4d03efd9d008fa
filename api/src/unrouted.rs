//! What answers a request no route took: 405 with `Allow` when the path is
//! one of the spec's and only the method is wrong (RFC 9110 §15.5.6), 404
//! otherwise. The table is built once from the spec the routes generate, so
//! it can never disagree with them.

use actix_web::{web, HttpRequest};

use crate::error::ApiError;

/// The spec's paths, as segments (`None` for a `{parameter}`), with their methods.
#[derive(Debug, Clone, Default)]
pub struct MethodTable(Vec<(Vec<Option<String>>, Vec<String>)>);

impl MethodTable {
    pub fn from_spec(api: &utoipa::openapi::OpenApi) -> MethodTable {
        let mut rows = Vec::new();
        for (path, item) in &api.paths.paths {
            let segments = path
                .trim_matches('/')
                .split('/')
                .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                .collect();
            let json = serde_json::to_value(item).unwrap_or_default();
            let mut methods: Vec<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
                .iter()
                .filter(|m| json.get(**m).is_some())
                .map(|m| m.to_uppercase())
                .collect();
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".to_owned());
            }
            rows.push((segments, methods));
        }
        MethodTable(rows)
    }

    /// The methods the path answers, if it is one of the spec's.
    pub fn methods_of(&self, path: &str) -> Option<String> {
        let asked: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
            let same = segments.len() == asked.len()
                && segments.iter().zip(&asked).all(|(s, a)| s.as_deref().is_none_or(|s| s == *a));
            same.then(|| methods.join(", "))
        })
    }
}

pub async fn answer(req: HttpRequest, table: web::Data<MethodTable>) -> Result<actix_web::HttpResponse, ApiError> {
    match table.methods_of(req.path()) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_path_names_its_methods_and_an_unknown_one_nothing() {
        let table = MethodTable(vec![
            (
                vec![Some("api".into()), Some("v1".into()), Some("cases".into()), None],
                vec!["GET".into(), "HEAD".into()],
            ),
            (vec![Some("api".into()), Some("v1".into()), Some("cases".into())], vec!["GET".into(), "POST".into()]),
        ]);
        assert_eq!(table.methods_of("/api/v1/cases/123").as_deref(), Some("GET, HEAD"));
        assert_eq!(table.methods_of("/api/v1/cases").as_deref(), Some("GET, POST"));
        assert_eq!(table.methods_of("/api/v1/nothing"), None);
        assert_eq!(table.methods_of("/api/v1/cases/123/more"), None);
    }
}
