#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd). Each message it accepts becomes, in DIR:
NAME.eml (the bytes received), NAME.json (envelope, headers, the plain-text body and
each attachment's name, type and file) and NAME-N-FILENAME per attachment. NAME.json is
written last, so its presence means the message is complete. Prints "listening PORT"
once it accepts connections, and runs until SIGTERM or SIGINT.

    smtp-sink.py --port 2525 --dir /tmp/mail
    smtp-sink.py --port 2525 --dir /tmp/mail --discard   # accept and count only (benchmarks)
"""
import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import time

from aiosmtpd.controller import Controller


class Discard:
    """Accepts every message and keeps only a count, in DIR/count on exit."""

    def __init__(self, directory):
        self.directory = directory
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        return "250 2.0.0 Message accepted for delivery"

    def close(self):
        with open(os.path.join(self.directory, "count"), "w") as f:
            f.write(str(self.accepted))


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = itertools.count(1)

    def close(self):
        pass

    def path(self, name):
        return os.path.join(self.directory, name)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(self.count):06}"
        raw = envelope.original_content or envelope.content
        with open(self.path(name + ".eml"), "wb") as f:
            f.write(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        attachments = []
        for n, part in enumerate(message.iter_attachments()):
            filename = part.get_filename() or f"part{n}"
            stored = f"{name}-{n}-{os.path.basename(filename)}"
            with open(self.path(stored), "wb") as f:
                f.write(part.get_content() if isinstance(part.get_content(), bytes) else part.get_content().encode())
            attachments.append({"filename": filename, "content_type": part.get_content_type(), "file": stored})
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": message["Message-ID"],
            "subject": message["Subject"],
            "from": message["From"],
            "to": message["To"],
            "text": body.get_content() if body is not None else "",
            "attachments": attachments,
        }
        tmp = self.path(f".{name}.json.tmp")
        with open(tmp, "w") as f:
            json.dump(summary, f)
        os.rename(tmp, self.path(name + ".json"))
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--discard", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Discard(args.dir) if args.discard else Sink(args.dir)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port, data_size_limit=50_000_000)
    controller.start()
    print(f"listening {args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    handler.close()


if __name__ == "__main__":
    main()
