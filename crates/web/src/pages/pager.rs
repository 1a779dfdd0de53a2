//! Paging long lists: which slice of a list a page shows, and the links to the pages
//! before and after it, in GOV.UK's pagination pattern.

/// One page of a list of `total` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub size: i64,
    /// The link to the page before, if there is one.
    pub previous: Option<String>,
    /// The link to the page after, if there is one.
    pub next: Option<String>,
}

impl Pager {
    /// The page `requested` (from 1; anything unreadable is page 1, anything past the
    /// end is the last page), with links built as `{base}page=N`.
    pub fn new(total: i64, size: i64, requested: Option<&str>, base: &str) -> Pager {
        let size = size.max(1);
        let pages = ((total.max(0) + size - 1) / size).max(1);
        let page = requested
            .and_then(|p| p.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, pages);
        let link = |n: i64| format!("{base}page={n}");
        Pager {
            page,
            pages,
            total,
            size,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.size
    }

    /// "Entries 101 to 200 of 5,000": the first and last item numbers on this page.
    pub fn range(&self) -> (i64, i64) {
        if self.total == 0 {
            return (0, 0);
        }
        (self.offset() + 1, (self.offset() + self.size).min(self.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_the_end_shows_the_last_page_and_nonsense_shows_the_first() {
        let last = Pager::new(250, 100, Some("99"), "?");
        assert_eq!((last.page, last.offset(), last.range()), (3, 200, (201, 250)));
        assert_eq!(last.next, None);
        assert_eq!(last.previous.as_deref(), Some("?page=2"));
        let first = Pager::new(250, 100, Some("-9223372036854775808"), "?");
        assert_eq!((first.page, first.previous.clone()), (1, None));
        assert_eq!(Pager::new(0, 100, Some("x"), "?").pages, 1);
    }
}
