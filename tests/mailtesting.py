"""A real SMTP server and a real HTTP webhook receiver on loopback ports, for the tests of mail and webhooks."""

import hashlib
import hmac
import json
import socket
import threading
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

# The ports this worktree may use; the first free one is taken when a server starts.
PORTS = range(5141, 5151)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            # Like the servers started on it, the probe may take a port a closed connection still lingers on.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 5141-5150")


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default)))
        return "250 Message accepted"

    @property
    def messages(self):
        return [message for _rcpt, message in self.received]

    def to(self, address: str):
        return [message for rcpt, message in self.received if address in rcpt]

    def clear(self):
        self.received.clear()


def start_smtp(utf8: bool = False) -> tuple[Controller, Inbox, int]:
    """A server on a free port; with utf8, one that announces SMTPUTF8 (international addresses)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=utf8)
    controller.start()
    return controller, inbox, port


def body(message, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


class Receiver:
    """A webhook receiver: checks each request's signature with `secret` and answers the next planned status."""

    def __init__(self):
        self.secret = ""
        self.statuses: list[int] = []
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                timestamp = self.headers.get("X-Cxroadmap-Timestamp", "")
                expected = "sha256=" + hmac.new(receiver.secret.encode(), f"{timestamp}.{raw}".encode(),
                                                hashlib.sha256).hexdigest()
                given = self.headers.get("X-Cxroadmap-Signature", "")
                receiver.requests.append({"path": self.path, "body": json.loads(raw), "raw": raw,
                                          "headers": dict(self.headers),
                                          "signature_ok": hmac.compare_digest(expected, given)})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/cxroadmap"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
