//! The raw settings, file values under the environment, and the typed
//! readers every part of the configuration uses; errors name the variable.

use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

pub(crate) fn err(variable: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable: variable.to_owned(), problem: problem.into() }
}

/// The raw settings: file values first, then the environment on top.
pub struct Settings(HashMap<String, String>);

impl Settings {
    pub fn from_process() -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("EHC_")).collect();
        Settings::from_env_and_file(env)
    }

    /// `EHC_CONFIG` names a TOML file of flat keys, each the variable name
    /// without `EHC_` in lower case (`database_url = "postgres://…"`).
    pub fn from_env_and_file(env: HashMap<String, String>) -> Result<Settings, ConfigError> {
        let mut values = HashMap::new();
        if let Some(path) = env.get("EHC_CONFIG") {
            let text =
                std::fs::read_to_string(path).map_err(|e| err("EHC_CONFIG", format!("cannot read {path}: {e}")))?;
            let table: toml::Table =
                toml::from_str(&text).map_err(|e| err("EHC_CONFIG", format!("invalid TOML: {e}")))?;
            for (key, value) in table {
                let text = match value {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                values.insert(format!("EHC_{}", key.to_uppercase()), text);
            }
        }
        values.extend(env);
        Ok(Settings(values))
    }

    pub fn from_map(values: HashMap<String, String>) -> Settings {
        Settings(values)
    }

    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.0.get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    pub(crate) fn required(&self, key: &str) -> Result<String, ConfigError> {
        self.get(key).ok_or_else(|| err(key, "is required"))
    }

    pub(crate) fn parsed<T: std::str::FromStr>(&self, key: &str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|e| err(key, format!("cannot parse {v:?}: {e}"))),
        }
    }

    pub(crate) fn flag(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(err(key, format!("expected true or false, got {other:?}"))),
        }
    }
}
