//! Pages rendered into a buffer each worker thread keeps: a large page (the case page,
//! the dashboard: some 50 KB) is written into memory that is already there, then copied
//! out once, instead of growing a fresh string through a dozen reallocations.

use std::cell::RefCell;

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::PageError;

/// What the buffer starts at, and what it is cut back to after an unusually large page.
const KEPT: usize = 64 * 1024;

thread_local! {
    static BUFFER: RefCell<String> = RefCell::new(String::with_capacity(KEPT));
}

/// `page` rendered into this thread's buffer, then copied out.
pub fn bytes<T: Template>(page: &T) -> Result<Bytes, PageError> {
    let body = BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            let rendered = page
                .render_into(&mut *buffer)
                .map(|()| Bytes::copy_from_slice(buffer.as_bytes()));
            if buffer.capacity() > 16 * KEPT {
                *buffer = String::with_capacity(KEPT);
            }
            rendered
        }
        // Never expected (rendering does not render another page), but never fatal.
        Err(_) => page.render().map(Bytes::from),
    });
    body.map_err(|e| PageError::internal(format!("rendering a page: {e}")))
}

/// `body` as an HTML response.
pub fn html(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[derive(Template)]
    #[template(source = "<p>{{ text }}</p>", ext = "html")]
    struct Small<'a> {
        text: &'a str,
    }

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn each_page_rendered_into_the_kept_buffer_has_only_its_own_text() {
        let long = "x".repeat(20 * KEPT);
        let first = html(bytes(&Small { text: &long }).unwrap());
        assert_eq!(first.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(body(first).await.len(), long.len() + 7);
        let second = html(bytes(&Small { text: "<b>short</b>" }).unwrap());
        assert_eq!(body(second).await, "<p>&#60;b&#62;short&#60;/b&#62;</p>");
        BUFFER.with(|b| assert!(b.borrow().capacity() <= 16 * KEPT, "a huge page's buffer is cut back"));
    }
}
