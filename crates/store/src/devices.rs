//! Device cookies, as OWASP's "Slow down online guessing attacks with device cookies"
//! describes: a browser that has signed in to an account before carries a cookie that
//! proves it, signed with a key from the key file. Its failed attempts are counted
//! against that browser alone, so that someone guessing from elsewhere, who can make
//! the account's untrusted clients wait, cannot lock the owner out; and an office whose
//! people share one address is not locked out by one of them (or a stranger behind the
//! same address) either. The cookie names no one: its MAC binds it to the email typed.

use crate::Store;
use crate::rows::{hmac_sha256_hex, random_hex, same_secret};

/// How long a device cookie is kept by the browser, in days.
pub const DEVICE_COOKIE_DAYS: i64 = 180;

impl Store {
    /// A new device cookie's value for a browser that has just signed in as `email`.
    pub fn device_cookie_for(&self, email: &str) -> Result<String, crate::StoreError> {
        let nonce = random_hex()?;
        let nonce = &nonce[..32];
        Ok(format!("{nonce}.{}", self.device_mac(email, nonce)))
    }

    /// The device's id, if `cookie` was given to a browser that signed in as `email`.
    pub(crate) fn trusted_device(&self, cookie: Option<&str>, email: &str) -> Option<String> {
        let (nonce, mac) = cookie?.split_once('.')?;
        if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        same_secret(&self.device_mac(email, nonce), mac).then(|| nonce.to_owned())
    }

    fn device_mac(&self, email: &str, nonce: &str) -> String {
        let email = email.trim().to_lowercase();
        hmac_sha256_hex(
            &self.secrets.devices,
            format!("rapid-review device|{email}|{nonce}").as_bytes(),
        )
    }
}
