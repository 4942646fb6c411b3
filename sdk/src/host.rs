//! What the host grants a plugin: logging, configuration and HTTP to its own
//! department systems. Nothing else reaches outside the sandbox.

use crate::wit::mitra::plugin0_1_0 as imports;

pub use imports::http::{HttpError, Method, Request, Response};
pub use imports::log::Level;

/// Writes to the host's log, tagged with the plugin id.
pub fn log(level: Level, message: &str) {
    imports::log::log(level, message);
}

/// The operator-set configuration value for `key`.
pub fn config(key: &str) -> Option<String> {
    imports::config::get(key)
}

/// HTTP to the hosts the plugin manifest allows.
///
/// A request to any other host aborts the call (the host treats it as a
/// sandbox violation), so build URLs from [`config`](super::config) values the
/// operator set rather than from citizen input.
pub mod http {
    use super::imports::http as wit;
    pub use wit::{HttpError, Method, Request, Response};

    /// Sends a request.
    pub fn send(request: &Request) -> Result<Response, HttpError> {
        wit::send(request)
    }

    /// `GET url`.
    pub fn get(url: &str) -> Result<Response, HttpError> {
        send(&Request { method: Method::Get, url: url.to_owned(), headers: Vec::new(), body: None })
    }

    /// `POST url` with a JSON body.
    pub fn post_json(url: &str, json: &str) -> Result<Response, HttpError> {
        send(&Request {
            method: Method::Post,
            url: url.to_owned(),
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: Some(json.as_bytes().to_vec()),
        })
    }

    impl Response {
        /// The body as UTF-8 text (invalid bytes replaced).
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }

        /// Whether the status is 2xx.
        pub fn is_success(&self) -> bool {
            (200..300).contains(&self.status)
        }
    }
}
