"""A real SMTP server and a real HTTP webhook receiver on loopback ports, for the tests of mail and webhooks."""

import hashlib
import hmac
import json
import os
import socket
import threading
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

# The ports these tests may use (CXROADMAP_TEST_PORTS=5141-5150 by default; give each suite that runs at the same
# time on one machine ports of its own: a listener of another process on the same port may take the connection).
_FIRST, _LAST = (int(end) for end in os.environ.get("CXROADMAP_TEST_PORTS", "5141-5150").split("-"))
PORTS = range(_FIRST, _LAST + 1)


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
    raise RuntimeError(f"no free port in {_FIRST}-{_LAST}")


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message). Reading `messages` or `to()` first
    lets the background work finish (settle), as requests hand their mail to it."""

    def __init__(self):
        self.received = []
        self.settle = lambda: None

    @property
    def messages(self):
        self.settle()
        return [message for _rcpt, message in self.received]

    def to(self, address: str):
        self.settle()
        return [message for rcpt, message in self.received if address in rcpt]

    def clear(self):
        self.received.clear()


class _Handler:
    """What aiosmtpd calls with each message (it inspects its handler's every attribute, so the inbox, whose
    messages wait for the background work, is not the handler itself)."""

    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=default)
        self.inbox.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def start_smtp(utf8: bool = False) -> tuple[Controller, Inbox, int]:
    """A server on a free port; with utf8, one that announces SMTPUTF8 (international addresses)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port, enable_SMTPUTF8=utf8,
                            server_hostname="mail.test")  # no lookup of this machine's name per connection
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
