//! The upload readers against hostile input (hardening row 1 and the property tests):
//! any bytes, any mutation of a real workbook and any cell values give an answer or an
//! error, never a panic; and a hostile file is read within a memory budget, measured in
//! a child process of its own so that nothing else in the test run counts.
//! (One test binary for the crate; add tests here rather than new files.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use documents::{UploadError, read_chronology};
use proptest::prelude::*;

const COLUMNS: [&str; 6] = ["date", "time", "what_happened", "who", "source", "significance"];

fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, h) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    fill(sheet);
    book.save_to_buffer().unwrap()
}

fn valid_workbook() -> Vec<u8> {
    workbook(|sheet| {
        sheet.write_string(1, 0, "2026-03-01").unwrap();
        sheet.write_string(1, 2, "Home visit").unwrap();
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_are_read_or_refused_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_chronology(&bytes);
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend(&bytes);
        let _ = read_chronology(&zipped);
    }

    #[test]
    fn a_real_workbook_with_bytes_changed_is_read_or_refused_without_panicking(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = valid_workbook();
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = read_chronology(&bytes);
    }

    #[test]
    fn any_numbers_in_the_date_and_time_columns_are_read_or_refused_without_panicking(
        date in prop_oneof![any::<f64>(), Just(f64::MAX), Just(-1e300), Just(1e15), Just(2_958_466.0)],
        time in any::<f64>(),
    ) {
        let bytes = workbook(|sheet| {
            sheet.write_number(1, 0, date).unwrap();
            sheet.write_number(1, 1, time).unwrap();
            sheet.write_string(1, 2, "Seen").unwrap();
        });
        let _ = read_chronology(&bytes);
    }

    #[test]
    fn any_csv_text_is_read_or_refused_without_panicking(text in "(date,time,what_happened\n)?[-=+@0-9a-z,\"\n:/ ]{0,600}") {
        let _ = read_chronology(text.as_bytes());
    }
}

#[test]
fn a_csv_of_more_than_5000_entries_is_refused_naming_the_limit() {
    let mut text = String::from("date,time,what_happened,who,source,significance\n");
    for _ in 0..5001 {
        text.push_str("2026-03-01,,Seen,,,\n");
    }
    match read_chronology(text.as_bytes()) {
        Err(UploadError::TooBig(message)) => assert!(message.contains("5000"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// Peak resident memory of this process, from the kernel, in kilobytes.
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Run by `hostile_files_are_refused_within_100_mb` in a child process: reads the file
/// named by `RR_HOSTILE_FILE` and prints the peak memory it took.
#[test]
#[ignore = "a helper that the memory test runs in a child process"]
fn read_one_hostile_file_and_report_peak_memory() {
    let path = std::env::var("RR_HOSTILE_FILE").expect("RR_HOSTILE_FILE");
    let bytes = std::fs::read(path).unwrap();
    let outcome = match read_chronology(&bytes) {
        Ok(entries) => format!("read {} entries", entries.len()),
        Err(e) => format!("refused: {e}"),
    };
    println!("outcome={outcome}");
    println!("peak_kb={}", peak_kb());
}

/// Hardening row 1: the files that once made the server allocate 512 GiB (a cell at
/// XFD1048576) or grow by 440 MB (a cell at Z300000), and a workbook that expands
/// 1000-fold, are each refused, with the reading process's peak memory under 100 MB.
#[test]
fn hostile_files_are_refused_within_100_mb() {
    let dir = std::env::temp_dir().join(format!("rr-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let far = workbook(|sheet| sheet.write_string(1_048_575, 16_383, "far").map(|_| ()).unwrap());
    let deep = workbook(|sheet| sheet.write_string(299_999, 25, "deep").map(|_| ()).unwrap());
    let bomb = {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut source = zip::ZipArchive::new(std::io::Cursor::new(valid_workbook())).unwrap();
        for i in 0..source.len() {
            out.raw_copy_file(source.by_index(i).unwrap()).unwrap();
        }
        out.start_file("xl/sharedStrings2.xml", options).unwrap();
        let block = vec![b'a'; 1 << 20];
        for _ in 0..512 {
            out.write_all(&block).unwrap();
        }
        out.finish().unwrap().into_inner()
    };
    for (name, bytes) in [("far.xlsx", far), ("deep.xlsx", deep), ("bomb.xlsx", bomb)] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "read_one_hostile_file_and_report_peak_memory",
                "--nocapture",
            ])
            .env("RR_HOSTILE_FILE", &path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{name}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("outcome=refused"), "{name}: {text}");
        let peak: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("peak_kb="))
            .unwrap()
            .parse()
            .unwrap();
        assert!(peak < 100 * 1024, "{name} ({} KB) took {peak} KB", bytes.len() / 1024);
        println!("{name}: {} KB file, peak {peak} KB", bytes.len() / 1024);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
