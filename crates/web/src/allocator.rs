//! Gives the memory the service freed back to the system once a burst of document
//! builds is over.
//!
//! glibc's allocator keeps what a thread frees in that thread's arena for the next
//! allocation, and hands pages back only from the top of a heap. After the largest
//! return is read every way the service held 75–82 MB although a few MB were live
//! (docs/benchmarks.md, "Memory"). `malloc_trim(0)` walks every arena and returns its
//! free pages, so the service goes back to about its resting size.
//!
//! This is the workspace's one use of `unsafe` (the lint is `deny`, allowed here
//! only). It takes no pointers and touches no memory of ours: glibc locks each arena
//! while it walks it. It costs a few milliseconds, so it runs on the documents thread
//! when that thread has been idle for a moment, never on a request's path. Elsewhere
//! (musl, macOS) it does nothing: those allocators return memory themselves.

/// Asks the allocator to return every arena's free pages; whether anything came back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_back_free_memory() -> bool {
    // SAFETY: `malloc_trim` has no preconditions: it takes a padding size, no
    // pointer, and serialises with every other allocator call through the arenas'
    // own locks.
    unsafe { libc::malloc_trim(0) == 1 }
}

/// Does nothing where the allocator is not glibc's.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_free_memory() -> bool {
    false
}
