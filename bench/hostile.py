#!/usr/bin/env python3
"""The hardening issue's hostile list, run from the outside against a release build.

Starts `target/release/rapid-review serve --demo` on a fresh SQLite file (behind an
https public URL, so HSTS applies), then sends every hostile input of the issue's
table while a second thread keeps reading a case (an audited read) and times each
answer. At the end it prints one line per row: what was sent, what came back, and
whether it held; then the peak RSS of the server and the slowest ordinary read.

    cargo build --release && python3 bench/hostile.py

Loopback only; it stops by itself (about a minute). Exit status 1 if any row failed.
"""

import http.client
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("RAPID_REVIEW_BIN", os.path.join(ROOT, "target/release/rapid-review"))
PORT = int(os.environ.get("HOSTILE_PORT", "8397"))
results = []


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    data = res.read()
    conn.close()
    headers = {k.lower(): v for k, v in res.getheaders()}
    # Every Set-Cookie, not just the last: the session cookie, if one was set.
    for value in res.msg.get_all("Set-Cookie") or []:
        if value.startswith("rr_session=") and not value.startswith("rr_session=;"):
            headers["x-session-cookie"] = value.split(";")[0]
    return res.status, headers, data


SERVER_PID = [0]


def row(number, what, status, held, note=""):
    rss = rss_kb(SERVER_PID[0]) / 1024 if SERVER_PID[0] else 0.0
    results.append((number, what, status, held, note, rss))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def xlsx_with_cell(ref):
    """A minimal workbook: the template's header row and one cell at `ref`."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{ref}"/><sheetData><row r="1">'
        + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip("ABCDEF", ["date", "time", "what_happened", "who", "source", "significance"]))
        + f'</row><row r="{re.sub("[A-Z]", "", ref)}"><c r="{ref}" t="inlineStr"><is><t>far</t></is></c></row></sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Chronology" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def multipart(content, name="chronology.xlsx"):
    boundary = "hostileboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def main():
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run cargo build --release first")
    work = tempfile.mkdtemp(prefix="rr-hostile-")
    db = f"sqlite://{work}/rr.db"
    env = dict(os.environ, RUST_LOG="warn", RAPID_REVIEW_PUBLIC_URL=f"https://rr.example.org")
    server = subprocess.Popen(
        [BIN, "serve", "--listen", f"127.0.0.1:{PORT}", "--database", db, "--demo", "--today", "2026-11-27"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    SERVER_PID[0] = server.pid
    passwords = {}
    for line in server.stdout:
        m = re.match(r"^\s+(\w+)\s+(\S+@\S+)\s+(\S+)$", line)
        if m:
            passwords[m.group(2)] = m.group(3)
        if "listening on" in line:
            break
    cli = lambda *args: subprocess.run([BIN, *args, "--database", db], capture_output=True, text=True)
    token = cli("tokens", "issue", "--email", "manager@demo.rapid-review.test").stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    cases = json.loads(request("GET", "/api/v1/cases", headers=auth)[2])["cases"]
    case_id = cases[0]["id"]
    links = []
    for c in cases:
        case = json.loads(request("GET", f"/api/v1/cases/{c['id']}", headers=auth)[2])
        for r in case["agency_requests"]:
            token = r.get("return_link", "").rsplit("/", 1)[-1]
            if token and not json.loads(request("GET", f"/api/v1/returns/{token}")[2]).get("read_only", True):
                links.append((c["id"], token))

    # The bystander: an audited case read, again and again, timed.
    slowest = [0.0]
    stop = threading.Event()
    peak = [0]

    def bystander():
        while not stop.is_set():
            started = time.perf_counter()
            status, _, _ = request("GET", f"/api/v1/cases/{case_id}", headers=auth)
            slowest[0] = max(slowest[0], time.perf_counter() - started)
            peak[0] = max(peak[0], rss_kb(server.pid))
            if status != 200:
                slowest[0] = 99.0
            time.sleep(0.02)

    watcher = threading.Thread(target=bystander, daemon=True)
    watcher.start()

    link = links[0][1]
    for ref in ["XFD1048576", "Z300000"]:
        body, headers = multipart(xlsx_with_cell(ref))
        status, _, data = request("POST", f"/api/v1/returns/{link}/chronology", body, headers)
        row(1, f"XLSX with a cell at {ref} ({len(body)} bytes)", status, status == 422, json.loads(data)["error"]["message"][:60])
    status, _, _ = request("GET", "/api/v1/calendar/working-days?from=2026-01-01&add=-2147483648", headers=auth)
    row(2, "working-days add=-2147483648", status, status == 422)
    incident = {"route": "children_services", "reported_on": "0001-01-01", "aware_on": "0001-01-01", "referring_agency": "city-gp-practice",
                "incident": {"kind": "death", "occurred_on": "0001-01-01", "summary": "x"}, "children": [{"initials": "AB", "sex": "male"}]}
    status, _, _ = request("POST", "/api/v1/cases", json.dumps(incident), {**auth, "Content-Type": "application/json"})
    row(3, "a case dated 0001-01-01", status, status == 422)
    for due in ["9999-12-31", "+262142-12-31"]:
        body = {"type": "deadline_extended", "on": "2026-11-27", "step": "panel_notification", "new_due": due, "reason": "x"}
        status, _, _ = request("POST", f"/api/v1/cases/{case_id}/events", json.dumps(body), {**auth, "Content-Type": "application/json"})
        row(3, f"deadline extended to {due}", status, status == 422)

    statuses = []
    for _ in range(7):
        _, headers, page = request("GET", "/sign-in")
        cookie = headers.get("set-cookie", "").split(";")[0]
        csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"email": "business@demo.rapid-review.test", "password": "guess", "csrf": csrf})
        status, _, _ = request("POST", "/sign-in", form, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        statuses.append(status)
    row(4, "7 wrong passwords for one account", statuses[-1], statuses[:5] == [401] * 5 and statuses[-1] == 429, str(statuses))

    cli("users", "totp", "--email", "chair@demo.rapid-review.test")
    _, headers, page = request("GET", "/sign-in")
    cookie = headers.get("set-cookie", "").split(";")[0]
    csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"email": "chair@demo.rapid-review.test", "password": passwords["chair@demo.rapid-review.test"], "csrf": csrf})
    status, headers, _ = request("POST", "/sign-in", form, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    session = headers.get("x-session-cookie", "")
    status2, headers2, _ = request("GET", "/cases", headers={"Cookie": session})
    row(5, "a password alone for a two-factor user", status2, headers2.get("location") == "/sign-in/two-factor", headers2.get("location", ""))

    weak = subprocess.run([BIN, "users", "set-password", "--email", "viewer@demo.rapid-review.test", "--database", db], input="password\n", capture_output=True, text=True)
    row(6, "password 'password' set at the command line", weak.returncode, weak.returncode == 2, weak.stderr.strip()[:60])

    body = json.dumps({"entries": [{"date": "2026-11-01", "what_happened": "=HYPERLINK(\"http://x\",\"y\")"}]})
    status, _, data = request("POST", f"/api/v1/returns/{link}/chronology", body, {"Content-Type": "application/json"})
    row(9, "chronology entry =HYPERLINK(...)", status, status == 201, "stored; neutralised on CSV export (tested in CI)")
    body = json.dumps({"entries": [{"date": "2026-11-01", "what_happened": "a\u0000b"}]})
    status, _, _ = request("POST", f"/api/v1/returns/{link}/chronology", body, {"Content-Type": "application/json"})
    row(11, "NUL in chronology text", status, status == 422)

    many = json.dumps({"entries": [{"date": "2026-11-01", "what_happened": f"Entry {i}"} for i in range(2500)]})
    other = links[1][1]
    for _ in range(2):
        request("POST", f"/api/v1/returns/{other}/chronology", many, {"Content-Type": "application/json"})
    status, _, _ = request("POST", f"/api/v1/returns/{other}/chronology", json.dumps({"entries": [{"date": "2026-11-01", "what_happened": "5001st"}]}), {"Content-Type": "application/json"})
    row(12, "the 5,001st entry of a return", status, status == 422)
    _, _, page = request("GET", f"/returns/{other}?page=3")
    row(12, "the return page of 5,000 entries", 200, len(page) < 200_000, f"{len(page)} bytes, paged")

    status, headers, _ = request("GET", "/sign-in")
    row(13, "HSTS behind an https public URL", status, "max-age" in headers.get("strict-transport-security", ""))
    status, headers, _ = request("GET", "/no/such/page")
    row(13, "an unknown page", status, status == 404 and headers.get("content-type", "").startswith("text/html"))
    status, headers, _ = request("DELETE", "/api/v1/cases", headers=auth)
    row(13, "a method the API does not take", status, status == 405 and headers.get("content-type", "").startswith("application/json"))

    time.sleep(0.5)
    stop.set()
    watcher.join()
    alive = server.poll() is None
    server.terminate()
    server.wait(timeout=30)

    modes = {f: oct(os.stat(os.path.join(work, f)).st_mode & 0o777) for f in ["rr.db", "rapid-review.key"]}
    SERVER_PID[0] = 0
    row(8, "key file and database modes", 0, set(modes.values()) == {"0o600"}, str(modes))
    with sqlite3.connect(f"{work}/rr.db") as conn:
        conn.execute("DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 20 FROM audit)")
    verify = cli("audit", "verify")
    row(7, "audit verify after the last 20 rows are deleted", verify.returncode, verify.returncode == 1, verify.stderr.strip()[-60:])
    plain = subprocess.run([BIN, "migrate", "--database", "postgres://postgres@127.0.0.1:5433/postgres?sslmode=require", "--key-file", f"{work}/k.key"], capture_output=True, text=True)
    row(10, "sslmode=require to a server without TLS", plain.returncode, plain.returncode == 1, plain.stderr.strip()[-60:])

    print(f"{'row':>3}  {'held':4}  {'answer':>6}  {'RSS MB':>6}  what (note)")
    for number, what, status, held, note, rss in sorted(results, key=lambda r: r[0]):
        print(f"{number:>3}  {'yes' if held else 'NO':4}  {status:>6}  {rss:6.1f}  {what}{f' ({note})' if note else ''}")
    print(f"server alive throughout: {alive}; peak RSS {peak[0] / 1024:.1f} MB; slowest audited case read meanwhile {slowest[0] * 1000:.1f} ms")
    ok = alive and all(r[3] for r in results) and peak[0] < 100 * 1024 and slowest[0] < 0.1
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
