//! The command line as a user runs it: the real binary, its output and exit status.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn rapid_review(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapid-review"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn workdays_add_prints_the_fifth_working_day_after_21_december_2026() {
    let out = rapid_review(&["workdays", "add", "2026-12-21", "5"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "2026-12-30\n");
}

#[test]
fn workdays_add_counts_back_with_a_negative_n() {
    let out = rapid_review(&["workdays", "add", "2026-12-30", "-5"]);
    assert_eq!(stdout(&out), "2026-12-21\n");
}

#[test]
fn workdays_between_counts_after_a_up_to_and_including_b() {
    assert_eq!(
        stdout(&rapid_review(&["workdays", "between", "2026-12-21", "2026-12-30"])),
        "5\n"
    );
    assert_eq!(
        stdout(&rapid_review(&["workdays", "between", "2026-12-30", "2026-12-21"])),
        "-5\n"
    );
}

#[test]
fn workdays_holidays_2027_lists_eight_days_with_both_christmas_substitutes() {
    let out = stdout(&rapid_review(&["workdays", "holidays", "2027"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(lines[0], "2027-01-01 New Year’s Day");
    assert_eq!(lines[6], "2027-12-27 Christmas Day (substitute day)");
    assert_eq!(lines[7], "2027-12-28 Boxing Day (substitute day)");
}

#[test]
fn a_bad_date_exits_with_status_2_and_a_message() {
    let out = rapid_review(&["workdays", "add", "2026-13-01", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-13-01"));
}

#[test]
fn a_missing_argument_exits_with_status_2() {
    assert_eq!(rapid_review(&["workdays", "add", "2026-12-01"]).status.code(), Some(2));
    assert_eq!(rapid_review(&["workdays", "holidays", "twenty"]).status.code(), Some(2));
    assert_eq!(rapid_review(&["workdays", "frobnicate"]).status.code(), Some(2));
}
