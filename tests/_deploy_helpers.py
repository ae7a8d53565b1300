"""Helpers for the publish tests: two builds of the test town a month apart, real servers on
127.0.0.1 (moto's S3 server, sshd), and the small proxies that break them on purpose.

Every server listens on 127.0.0.1 only, on a free port, and is stopped by its fixture. The S3
imitation that records requests is reached as an HTTP proxy (HTTP_PROXY), so that a client
addressing `bucket.oss-cn-hangzhou.example.test` sends it the request exactly as a real
endpoint would receive it, without a name ever being looked up.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import html
import http.client
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from _site_helpers import build_site, town_history

from generator.layout import SITE_MARK, place

FLAGBOARD = Path(sys.executable).parent / "flagboard"
SECRET_KEY_ID = "LTAI5tFlagboardTestKeyId0042"
SECRET_KEY = "Fb0Secret+Test/Value9876543210abcdefXYZ"


# -- two builds of the test town, a month apart ----------------------------------------------


@dataclass(frozen=True)
class Sites:
    before: Path  # the site before the last month was added
    after: Path  # the same town with its last month


@functools.cache
def two_sites() -> Sites:
    """The test town's site without and with its last month, each built once per session from a
    real git repository (so every page names its data version, as a published site does)."""
    import atexit

    from _history_helpers import DataRepo

    commits = town_history()
    last = max(i for i, c in enumerate(commits) if any(_monthly(p) for p in c.files))
    root = Path(tempfile.mkdtemp(prefix="flagboard-publish-sites-"))
    atexit.register(shutil.rmtree, root, True)
    repo = DataRepo(root / "town")
    for number, commit in enumerate(commits[: last + 1]):
        for relative, data in sorted(commit.files.items()):
            repo.write(relative, data)
        repo.commit(commit.message, commit.author, commit.date)
        if number == last - 1:
            build_site(repo.scores, root / "before")
    build_site(repo.scores, root / "after")
    return Sites(root / "before", root / "after")


def _monthly(path: str) -> bool:
    placed = place(path)
    return bool(placed and placed.kind == "scores")


def site_files(folder: Path) -> dict[str, bytes]:
    """A built site's files by path (the build's own mark left out)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != SITE_MARK
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- what a reader finds ------------------------------------------------------------------------

_LINK = re.compile(r'(?:href|src)="([^"]*)"')


def _targets(page: str, data: bytes) -> list[tuple[str, str]]:
    """(link, the site path it leads to) of every link of a page between the site's own files."""
    base = "/" + page.rpartition("/")[0] + "/" if "/" in page else "/"
    found = []
    for link in _LINK.findall(data.decode("utf-8", "replace")):
        link = html.unescape(link)
        if not link or link.startswith(("#", "http:", "https:", "mailto:", "data:")):
            continue
        path = unquote(urlsplit(urljoin(base, link)).path).lstrip("/")
        found.append((link, path + "index.html" if path.endswith("/") or not path else path))
    return found


def dangling_links(found: dict[str, bytes], entries=None) -> list[tuple[str, str]]:
    """(page, link) of every link between the site's own pages and files that leads nowhere;
    with `entries` (the pages readers had), only on the pages a reader can reach from them."""
    pages = [p for p in found if p.endswith(".html")]
    if entries is not None:
        pages, seen = [], set()
        todo = [p for p in entries if p in found and p.endswith(".html")]
        while todo:
            page = todo.pop()
            if page in seen:
                continue
            seen.add(page)
            pages.append(page)
            todo += [
                t for _, t in _targets(page, found[page]) if t in found and t.endswith(".html")
            ]
    return [
        (page, link)
        for page in pages
        for link, target in _targets(page, found[page])
        if target not in found
    ]


def assert_old_site_whole(found: dict[str, bytes], old: dict, new: dict) -> None:
    """After an interrupted publish of `new` over `old`: every file of the old site is there
    and whole (its old bytes, or its new ones if this file was sent already), and no page a
    reader can reach from the old site's pages links to a file that is not there. (New pages
    that link to each other in a circle, a month's page and its posters, cannot all arrive at
    once; they are reached only through a page that waits for them all: plan.py.)"""
    for path, data in old.items():
        assert path in found, path
        assert found[path] in (data, new.get(path)), path
    assert dangling_links(found, entries=list(old)) == []


# -- processes -------------------------------------------------------------------------------


def no_threads_left(seconds: float = 10) -> None:
    """Fail when a test left a thread of this process running: the site's build forks only
    when no other thread could hold a lock (generator/forked.py), and the next test in this
    process would quietly build in one process instead."""
    deadline = time.monotonic() + seconds
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert others == [], f"threads left running: {others}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a publish under test: no proxy and no FLAGBOARD_ setting of the
    machine's own, plus `extra`."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLAGBOARD_") and k.lower() not in ("http_proxy", "https_proxy")
    }
    return keep | {"NO_PROXY": "127.0.0.1,localhost"} | extra


def run_publish(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`flagboard publish ARGS` in a process of its own, as CI runs it."""
    return subprocess.run(
        [str(FLAGBOARD), "publish", *args], env=env, capture_output=True, text=True, timeout=300
    )


def kill_when(
    args: list[str], env: dict[str, str], seen: Callable[[str], bool]
) -> subprocess.CompletedProcess:
    """Run `flagboard publish ARGS`, SIGKILL it as soon as a line it prints satisfies `seen`;
    returns what it printed (its return code is -9 when it was killed)."""
    process = subprocess.Popen(
        [str(FLAGBOARD), "publish", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if seen(line):
            process.send_signal(signal.SIGKILL)
            break
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, "".join(lines) + out, err)


# -- moto's S3 server, and a proxy before it that fails on purpose ----------------------------


class Moto:
    """moto's server mode: an S3-compatible store on 127.0.0.1."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
        )
        wait_for_port(self.port, self.process)
        self.url = f"http://127.0.0.1:{self.port}"

    def bucket(self, name: str) -> str:
        request = urllib.request.Request(f"{self.url}/{name}", method="PUT")
        urllib.request.urlopen(request, timeout=10).close()
        return name

    def stop(self) -> None:
        stop(self.process)


@dataclass
class Fault:
    """Break the `nth` request (counting from 1) that `matches`: answer `status`, or (status
    None) close the connection without an answer. With `same`, the next `times` - 1 requests
    for that same path (its retries) are broken too; else the `times` requests that follow."""

    matches: Callable[[str, str], bool]
    nth: int = 1
    status: int | None = 500
    times: int = 1
    same: bool = False
    seen: int = 0
    path: str | None = None
    broken: int = 0

    def breaks(self, method: str, path: str) -> bool:
        if self.broken >= self.times or not self.matches(method, path):
            return False
        if self.same and self.path is not None:
            hit = path == self.path
        else:
            self.seen += 1
            hit = self.seen >= self.nth
            self.path = path if hit else None
        self.broken += hit
        return hit


class FaultProxy:
    """A reverse proxy on 127.0.0.1 in front of a store: forwards every request, records
    (method, path, headers), and breaks the requests its faults name."""

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()  # the clients' connections, ended by close()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with proxy.lock:
                    proxy.open.add(self.connection)

            def finish(self):
                with proxy.lock:
                    proxy.open.discard(self.connection)
                super().finish()

            def do_any(self):
                proxy.handle(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, request) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        with self.lock:
            self.requests.append((request.command, request.path, dict(request.headers)))
            fault = self._fault(request.command, request.path)
        if fault is not None and fault.status is None:
            request.close_connection = True
            with contextlib.suppress(OSError):
                request.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None:
            reply = b"<Error><Code>InjectedFault</Code></Error>"
            request.send_response(fault.status)
            request.send_header("Content-Length", str(len(reply)))
            request.end_headers()
            request.wfile.write(reply)
            return
        self._forward(request, body)

    def _fault(self, method: str, path: str) -> Fault | None:
        return next((f for f in self.faults if f.breaks(method, path)), None)

    def _forward(self, request, body: bytes) -> None:
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "connection"}
        connection.request(request.command, request.path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        request.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in (
                "connection",
                "transfer-encoding",
                "content-length",
                "date",
                "server",
            ):
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(data)
        connection.close()

    def close(self) -> None:
        """Stop serving and end every connection still open: a client whose line was dropped
        mid-publish may leave a keep-alive connection whose thread waits for its next request."""
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for connection in self.open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


def local_store(endpoint: str, bucket: str, prefix: str = ""):
    """An obstore client of a test's own S3 server (moto on 127.0.0.1), for looking into a
    bucket from outside the publish."""
    from obstore.store import S3Store

    return S3Store(
        bucket,
        prefix=prefix or None,
        endpoint=endpoint,
        region="us-east-1",
        access_key_id="test",
        secret_access_key="test",
        client_options={"allow_http": True},
    )


def bucket_files(endpoint: str, bucket: str, prefix: str = "") -> dict[str, bytes]:
    """Every object under the prefix, as a reader's browser gets it (gzip undone)."""
    import obstore

    store = local_store(endpoint, bucket, prefix)
    found = {}
    for chunk in obstore.list(store, chunk_size=1000):
        for meta in chunk:
            result = obstore.get(store, meta["path"])
            data = bytes(result.bytes())
            if result.attributes.get("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
            found[meta["path"]] = data
    return found


# -- an S3 imitation that records what a real endpoint would receive ---------------------------


@dataclass
class Recorded:
    method: str
    host: str
    path: str
    query: str
    headers: dict


@dataclass
class RecordingStore:
    """An S3 store in memory, reached as an HTTP proxy: records each request's method, Host,
    path and headers as the endpoint would receive them, keeps objects with their headers, and
    serves them to readers too (as a CDN on the site's own domain would). `refuse` answers one
    request with an error whose text quotes the credentials, as some stores' errors do."""

    objects: dict = field(default_factory=dict)  # (bucket host, path) → (bytes, headers)
    requests: list[Recorded] = field(default_factory=list)
    website: dict = field(default_factory=dict)  # reader's host → bucket host and prefix
    refuse: Callable[[Recorded], int | None] = lambda r: None

    def start(self) -> RecordingStore:
        store = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_any(self):
                store.handle(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.lock = threading.Lock()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        target = urlsplit(request.path)  # absolute form: the client took us for a proxy
        seen = Recorded(
            request.command,
            request.headers.get("Host", ""),
            target.path,
            target.query,
            dict(request.headers),
        )
        with self.lock:
            self.requests.append(seen)
            status = self.refuse(seen)
        if status:
            text = f"<Error><Code>AccessDenied</Code><AWSAccessKeyId>{SECRET_KEY_ID}"
            self._reply(
                request,
                status,
                (text + f"</AWSAccessKeyId><Key>{SECRET_KEY}</Key></Error>").encode(),
            )
            return
        key = (seen.host, unquote(seen.path))
        if seen.host in self.website:
            self._serve_site(request, seen)
        elif seen.method == "PUT":
            headers = {
                k: v
                for k, v in request.headers.items()
                if k.lower().startswith(("content-type", "content-encoding", "cache-control"))
            }
            with self.lock:
                self.objects[key] = (body, headers)
            self._reply(request, 200, b"", {"ETag": '"' + sha256(body)[:32] + '"'})
        elif seen.method == "DELETE":
            with self.lock:
                self.objects.pop(key, None)
            self._reply(request, 204, b"")
        elif seen.method == "GET" and "list-type=2" in seen.query:
            self._list(request, seen)
        elif key in self.objects:
            data, headers = self.objects[key]
            self._reply(
                request,
                200,
                data,
                headers | {"ETag": '"x"', "Last-Modified": "Mon, 02 Jun 2025 10:00:00 GMT"},
            )
        else:
            self._reply(request, 404, b"<Error><Code>NoSuchKey</Code></Error>")

    def _serve_site(self, request, seen: Recorded) -> None:
        host, prefix = self.website[seen.host]
        path = unquote(seen.path)
        path = path + "index.html" if path.endswith("/") else path
        found = self.objects.get((host, prefix + path))
        if found is None:
            self._reply(request, 404, b"not found")
        else:
            self._reply(request, 200, found[0], found[1])

    def _list(self, request, seen: Recorded) -> None:
        prefix = dict(p.partition("=")[::2] for p in seen.query.split("&")).get("prefix", "")
        prefix = unquote(prefix)
        keys = sorted(p.lstrip("/") for h, p in self.objects if h == seen.host)
        keys = [k for k in keys if k.startswith(prefix)]
        contents = "".join(
            f"<Contents><Key>{html.escape(k)}</Key><LastModified>2025-06-02T10:00:00.000Z</LastModified>"
            f"<ETag>&quot;x&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>"
            for k in keys
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Name>b</Name><Prefix>{html.escape(prefix)}</Prefix><KeyCount>{len(keys)}</KeyCount>"
            f"<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>"
        )
        self._reply(request, 200, xml.encode(), {"Content-Type": "application/xml"})

    @staticmethod
    def _reply(request, status: int, data: bytes, headers: dict | None = None) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(data)


# -- sshd on 127.0.0.1, and a TCP relay before it that can cut the line -----------------------


class Sshd:
    """A real sshd for this user on a free port of 127.0.0.1, with a host key and a client key
    made for it; `env()` gives a publish the key and known_hosts as CI secrets would."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="flagboard-sshd-"))
        self.port = free_port()
        for name in ("host_key", "client_key"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.folder / name)],
                check=True,
            )
        shutil.copy(self.folder / "client_key.pub", self.folder / "authorized_keys")
        (self.folder / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.folder / 'host_key'}\n"
            f"PidFile {self.folder / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {self.folder / 'authorized_keys'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nStrictModes no\n"
            "UsePAM no\nMaxStartups 100\nMaxSessions 50\n",
            encoding="utf-8",
        )
        if os.geteuid() == 0:  # sshd started by root wants its privilege separation folder
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        self.process = subprocess.Popen(
            ["/usr/sbin/sshd", "-D", "-e", "-f", str(self.folder / "sshd_config")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)
        self.user = (
            os.environ.get("USER") or subprocess.check_output(["id", "-un"], text=True).strip()
        )
        self.host_key = (self.folder / "host_key.pub").read_text().split()[:2]

    def known_hosts(self, port: int | None = None) -> str:
        return f"[127.0.0.1]:{port or self.port} {' '.join(self.host_key)}\n"

    def env(self, port: int | None = None, **extra: str) -> dict[str, str]:
        settings = {
            "FLAGBOARD_SSH_KEY": (self.folder / "client_key").read_text(),
            "FLAGBOARD_SSH_KNOWN_HOSTS": self.known_hosts(port),
        }
        return clean_env(**(settings | extra))

    def target(self, path: Path, port: int | None = None) -> str:
        return f"ssh://{self.user}@127.0.0.1:{port or self.port}{path}"

    def stop(self) -> None:
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


class Relay:
    """A TCP relay on 127.0.0.1 in front of a port; `cut_after(n)` closes every connection once
    n bytes have gone upstream in all (a line dropped in the middle of a transfer)."""

    def __init__(self, port: int):
        self.upstream = port
        self.limit: int | None = None
        self.sent = 0
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def cut_after(self, count: int | None) -> None:
        with self.lock:
            self.limit, self.sent = count, 0

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.sockets += [client, server]
                self.threads += [
                    threading.Thread(target=self._pipe, args=(client, server, True), daemon=True),
                    threading.Thread(target=self._pipe, args=(server, client, False), daemon=True),
                ]
                started = self.threads[-2:]
            for thread in started:
                thread.start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                if counted and self._over(len(data)):
                    self._cut()
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def _over(self, count: int) -> bool:
        with self.lock:
            self.sent += count
            return self.limit is not None and self.sent > self.limit

    def _cut(self) -> None:
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def close(self) -> None:
        """Stop relaying and end every thread (a blocked accept() wakes only on shutdown)."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._cut()
        for thread in self.threads:
            thread.join(10)


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A folder served on 127.0.0.1 by a web server that, like nginx with gzip_static, sends
    the .gz beside a file to a browser that accepts gzip."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def send_head(self):
            path = Path(self.translate_path(self.path))
            path = path / "index.html" if path.is_dir() else path
            packed = path.with_name(path.name + ".gz")
            if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
                data = packed.read_bytes()
                self.send_response(200)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return _Bytes(data)
            return super().send_head()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass
