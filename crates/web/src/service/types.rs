//! The values the service layer hands the pages and the API, and takes from them: the
//! store's records as the door passes them on. Pages and the API name them from here,
//! never from `store`, so that the store is reached through this layer only (the
//! `layers` test holds it so).

pub use store::{
    AppendError, Attempt, AuditEntry, CaseFilter, CaseRecord, CaseSummary, DEVICE_COOKIE_DAYS, Dashboard,
    DashboardQuery, DashboardRow, IdempotencyClaim, Message, NewAgency, NewPassword, NewUser, NotifyMode, OUTBOX_PAGE,
    OutboxMessage, OutboxStatus, ReturnRequest, SignInStage, StoreError, StoredPaper, User,
};
