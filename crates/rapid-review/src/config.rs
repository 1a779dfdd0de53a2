//! Settings: a typed configuration file, with the environment and the flags on top.
//!
//! From lowest to highest precedence:
//! 1. the built-in defaults (in `cli.rs` for the flags, in the commands for the rest);
//! 2. the configuration file: `--config FILE`, else `RAPID_REVIEW_CONFIG`, else
//!    `rapid-review.toml` in the working directory if there is one;
//! 3. the environment: `RAPID_REVIEW_` and the setting's name in capitals
//!    (`database_url` is `RAPID_REVIEW_DATABASE_URL`); an empty variable counts as unset;
//! 4. the command's flags.
//!
//! A file key that names no setting, or a value of the wrong kind in the file or the
//! environment, stops the command with a message that names the key and where it came
//! from. The settings that have flags reach clap as its defaults, so `--help` and the
//! commands see one value.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

/// The file read when neither `--config` nor `RAPID_REVIEW_CONFIG` names one.
pub const DEFAULT_FILE: &str = "rapid-review.toml";
const PREFIX: &str = "RAPID_REVIEW_";

/// Every setting; `None` where neither the file nor the environment gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://FILE` or `postgres://…` (flag `--database`).
    pub database_url: Option<String>,
    /// The key file (flag `--key-file`).
    pub key_file: Option<PathBuf>,
    /// Where `serve` listens (flag `--listen`): an address and port.
    #[serde(default, deserialize_with = "address")]
    pub listen: Option<SocketAddr>,
    /// Where `serve` answers `/metrics` (flag `--metrics-listen`).
    #[serde(default, deserialize_with = "address")]
    pub metrics_listen: Option<SocketAddr>,
    /// `text` or `json` (flag `--log-format`).
    pub log_format: Option<LogFormat>,
    /// Years a closed case is kept (flag `retention run --years`).
    pub retention_years: Option<u32>,
    /// Where people reach the service, for links in emails and on the command line.
    pub public_url: Option<String>,
    /// `required` (the default) or `optional`.
    pub two_factor: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client: a list, or one
    /// comma-separated string (as the environment gives it).
    #[serde(default, deserialize_with = "list_or_commas")]
    pub trusted_proxies: Option<Vec<String>>,
    /// The mail server; messages wait in the outbox without one.
    pub smtp_url: Option<String>,
    /// The sender of every message.
    pub mail_from: Option<String>,
    /// The first wait after a failed send, in seconds (1 to 3600).
    pub outbox_retry_seconds: Option<u64>,
    /// The partnership's name, as its letters and documents give it.
    pub partnership_name: Option<String>,
    /// Where `rapid_review_submitted` sends the Template and the covering letter.
    pub panel_email: Option<String>,
    /// Where each setting given came from (`two_factor in /etc/…`, or its variable).
    #[serde(skip)]
    pub origins: std::collections::BTreeMap<&'static str, String>,
}

/// How log lines are written (the flag's values, checked here so that a bad value is
/// named with the file or variable it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings' names, which are also their variables after the prefix.
const NAMES: [&str; 14] = [
    "database_url",
    "key_file",
    "listen",
    "metrics_listen",
    "log_format",
    "retention_years",
    "public_url",
    "two_factor",
    "trusted_proxies",
    "smtp_url",
    "mail_from",
    "outbox_retry_seconds",
    "partnership_name",
    "panel_email",
];

impl Config {
    /// Reads the file (`file`, else `RAPID_REVIEW_CONFIG`, else `rapid-review.toml` if
    /// present) and then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let named = file
            .map(Path::to_path_buf)
            .or_else(|| env_value("RAPID_REVIEW_CONFIG").map(PathBuf::from));
        let mut figment = Figment::new();
        match &named {
            Some(path) if !path.is_file() => {
                return Err(format!("--config: {} is not a file", path.display()));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new(DEFAULT_FILE).is_file() => figment = figment.merge(Toml::file_exact(DEFAULT_FILE)),
            None => {}
        }
        let environment = Env::prefixed(PREFIX)
            .only(&NAMES)
            .filter(|key| env_value(&format!("{PREFIX}{}", key.as_str().to_uppercase())).is_some());
        let figment = figment.merge(environment);
        let mut config: Config = figment.extract().map_err(explain)?;
        config.origins = NAMES
            .iter()
            .filter_map(|name| Some((*name, place(name, &figment.find_metadata(name)?.clone()))))
            .collect();
        let config = config.without_blanks();
        config.check()?;
        Ok(config)
    }

    /// Where setting `name` came from, to name it in a message: `two_factor in FILE`,
    /// or its variable; a flag's name when neither gave it.
    pub fn origin(&self, name: &str) -> String {
        self.origins.get(name).cloned().unwrap_or_else(|| match name {
            "database_url" => "--database".to_owned(),
            other => other.to_owned(),
        })
    }

    /// The values whose shape only the service knows, checked here so that a bad one is
    /// named with the file or variable it came from rather than a flag.
    fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.database_url {
            url.parse::<store::DatabaseUrl>()
                .map_err(|e| format!("the settings are not valid: {}: {e}", self.origin("database_url")))?;
        }
        if let Some(mode) = &self.two_factor {
            mode.parse::<web::TwoFactor>()
                .map_err(|e| format!("the settings are not valid: {}: {e}", self.origin("two_factor")))?;
        }
        Ok(())
    }

    /// A blank value in the file counts as unset, as an empty variable does.
    fn without_blanks(mut self) -> Config {
        for value in [
            &mut self.database_url,
            &mut self.public_url,
            &mut self.two_factor,
            &mut self.smtp_url,
            &mut self.mail_from,
            &mut self.partnership_name,
            &mut self.panel_email,
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        self
    }

    /// The flags' defaults this configuration gives: (clap argument id, value).
    pub fn flag_defaults(&self) -> Vec<(&'static str, String)> {
        let mut defaults = Vec::new();
        let mut put = |id: &'static str, value: Option<String>| {
            if let Some(value) = value {
                defaults.push((id, value));
            }
        };
        put("url", self.database_url.clone());
        put("key_file", self.key_file.as_ref().map(|p| p.display().to_string()));
        put("listen", self.listen.map(|a| a.to_string()));
        put("metrics_listen", self.metrics_listen.map(|a| a.to_string()));
        put(
            "log_format",
            self.log_format.map(|f| match f {
                LogFormat::Text => "text".to_owned(),
                LogFormat::Json => "json".to_owned(),
            }),
        );
        put("years", self.retention_years.map(|y| y.to_string()));
        defaults
    }
}

/// Makes the configuration's values the defaults of the flags they stand for, in the
/// command and every subcommand under it.
pub fn with_flag_defaults(mut command: clap::Command, defaults: &[(&'static str, String)]) -> clap::Command {
    for (id, value) in defaults {
        if command.get_arguments().any(|a| a.get_id() == id) {
            command = command.mut_arg(*id, |arg| arg.default_value(value.clone()));
        }
    }
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| with_flag_defaults(sub, defaults));
    }
    command
}

/// What is wrong, with the key and the file or variable it came from.
fn explain(error: figment::Error) -> String {
    let key = error.path.last().map(|k| k.to_lowercase()).unwrap_or_default();
    let place = match &error.metadata {
        Some(metadata) => place(&key, metadata),
        None => key,
    };
    format!("the settings are not valid: {place}: {}", error.kind)
}

/// Where `key` came from, in words: `key in FILE`, or its environment variable.
fn place(key: &str, metadata: &figment::Metadata) -> String {
    match metadata.source.as_ref() {
        Some(figment::Source::File(path)) if key.is_empty() => path.display().to_string(),
        Some(figment::Source::File(path)) => format!("{key} in {}", path.display()),
        _ if metadata.name.contains("environment") => format!("{PREFIX}{}", key.to_uppercase()),
        _ => key.to_owned(),
    }
}

/// An environment variable's value, unless it is unset or blank.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// An address and port (`127.0.0.1:8080`); blank counts as unset.
fn address<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<SocketAddr>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("{text:?} is not an address and port, such as 127.0.0.1:8080"))
        }),
    }
}

fn list_or_commas<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    Ok(
        Option::<ListOrText>::deserialize(deserializer)?.map(|value| match value {
            ListOrText::List(items) => items,
            ListOrText::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        }),
    )
}
