//! What the spec says a request may be, enforced where no route would:
//! 405 with `Allow` when the path is one of the spec's and only the method
//! is wrong (RFC 9110 §15.5.6), 404 for a path it does not have, and 400 for
//! a query parameter the operation does not declare (a misspelt filter must
//! not silently answer everything). The table is built once from the spec
//! the routes generate, so it can never disagree with them.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, ResponseError};

use crate::error::ApiError;

/// One of the spec's paths, as segments (`None` for a `{parameter}`), with
/// its methods and each method's query parameters.
type Row = (Vec<Option<String>>, Vec<String>, Vec<(String, Vec<String>)>);

#[derive(Debug, Clone, Default)]
pub struct MethodTable(Vec<Row>);

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
            let queries = methods.iter().map(|m| (m.clone(), query_names(&json[m.to_lowercase()]))).collect();
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".to_owned());
            }
            rows.push((segments, methods, queries));
        }
        MethodTable(rows)
    }

    /// The spec's path that `path` is, if any. Paths are in the spec's
    /// order, where a fixed segment sorts before a `{parameter}`.
    fn row_of(&self, path: &str) -> Option<&Row> {
        let asked: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0.iter().find(|(segments, _, _)| {
            segments.len() == asked.len()
                && segments.iter().zip(&asked).all(|(s, a)| s.as_deref().is_none_or(|s| s == *a))
        })
    }

    /// The methods the path answers, if it is one of the spec's.
    pub fn methods_of(&self, path: &str) -> Option<String> {
        self.row_of(path).map(|(_, methods, _)| methods.join(", "))
    }

    /// The first query parameter of the request that its operation does not
    /// declare, with the ones it does.
    pub fn unknown_query_parameter(&self, method: &str, path: &str, query: &str) -> Option<(String, Vec<String>)> {
        undeclared_in(self.row_of(path)?, method, query)
    }
}

/// The first query parameter `query` names that the row's `method` does not
/// declare, with the ones it does.
fn undeclared_in(row: &Row, method: &str, query: &str) -> Option<(String, Vec<String>)> {
    let method = if method == "HEAD" { "GET" } else { method };
    let (_, _, queries) = row;
    let (_, declared) = queries.iter().find(|(m, _)| m == method)?;
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
        .find(|name| !declared.iter().any(|d| d == name))
        .map(|name| (name.to_owned(), declared.clone()))
}

fn query_names(operation: &serde_json::Value) -> Vec<String> {
    let Some(parameters) = operation.get("parameters").and_then(|p| p.as_array()) else { return Vec::new() };
    parameters
        .iter()
        .filter(|p| p.get("in").and_then(|i| i.as_str()) == Some("query"))
        .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .collect()
}

/// What answers a request no route took.
pub async fn answer(req: HttpRequest, table: web::Data<MethodTable>) -> Result<actix_web::HttpResponse, ApiError> {
    match table.methods_of(req.path()) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::NotFound),
    }
}

/// Answers, before routing, what the spec says no operation takes: a method
/// the path does not have (a fixed path such as `/invitations/inspect` must
/// not fall through to `/invitations/{id}`), and a query parameter the
/// operation does not declare. The problem is answered inside the request's
/// middleware, so it carries the request's id like any other.
pub async fn refuse_what_the_spec_does_not_take(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refusal = req.app_data::<web::Data<MethodTable>>().and_then(|table| {
        let method = req.method().as_str();
        let row = table.row_of(req.path())?;
        let (_, methods, _) = row;
        if method != "OPTIONS" && !methods.iter().any(|m| m == method) {
            return Some(ApiError::MethodNotAllowed { allow: methods.join(", ") });
        }
        let (name, declared) = undeclared_in(row, method, req.query_string())?;
        let takes = if declared.is_empty() { "none".to_owned() } else { declared.join(", ") };
        Some(ApiError::BadRequest(format!(
            "Unknown query parameter `{}`: this operation takes {takes}.",
            name.chars().take(40).collect::<String>()
        )))
    });
    match refusal {
        Some(problem) => {
            let response = problem.error_response();
            Ok(req.into_response(response).map_into_right_body())
        }
        None => next.call(req).await.map(ServiceResponse::map_into_left_body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_path_names_its_methods_and_an_unknown_one_nothing() {
        let table = cases_table();
        assert_eq!(table.methods_of("/api/v1/cases/123").as_deref(), Some("GET, HEAD"));
        assert_eq!(table.methods_of("/api/v1/cases").as_deref(), Some("GET, POST"));
        assert_eq!(table.methods_of("/api/v1/nothing"), None);
        assert_eq!(table.methods_of("/api/v1/cases/123/more"), None);
    }

    fn cases_table() -> MethodTable {
        MethodTable(vec![
            (
                vec![Some("api".into()), Some("v1".into()), Some("cases".into()), None],
                vec!["GET".into(), "HEAD".into()],
                vec![("GET".into(), vec![])],
            ),
            (
                vec![Some("api".into()), Some("v1".into()), Some("cases".into())],
                vec!["GET".into(), "POST".into()],
                vec![("GET".into(), vec!["stage".into(), "limit".into()]), ("POST".into(), vec![])],
            ),
        ])
    }

    #[test]
    fn only_declared_query_parameters_pass() {
        let table = cases_table();
        assert_eq!(table.unknown_query_parameter("GET", "/api/v1/cases", "stage=review&limit=5"), None);
        assert_eq!(table.unknown_query_parameter("GET", "/api/v1/cases", ""), None);
        let (name, declared) = table.unknown_query_parameter("GET", "/api/v1/cases", "limit=5&q=smith").unwrap();
        assert_eq!((name.as_str(), declared.len()), ("q", 2));
        assert!(table.unknown_query_parameter("HEAD", "/api/v1/cases/1", "x").is_some());
        assert!(table.unknown_query_parameter("POST", "/api/v1/cases", "stage=review").is_some());
        assert_eq!(table.unknown_query_parameter("GET", "/docs/index.html", "url=x"), None);
    }
}
