"""An S3-compatible bucket (Alibaba OSS, Tencent COS, Huawei OBS, Qiniu, MinIO) through obstore.

obstore (Rust's object_store): one small wheel, the endpoint used exactly as given (a filed
custom domain works), and no `x-amz-checksum-*` headers, which OBS rejects and boto3 sends
by default since 1.36. Settings come from the environment only:

    FLAGBOARD_S3_ENDPOINT          https://oss-cn-hangzhou.aliyuncs.com (no path)
    FLAGBOARD_S3_REGION            the store's region name, e.g. cn-hangzhou
    FLAGBOARD_S3_ACCESS_KEY_ID, FLAGBOARD_S3_SECRET_ACCESS_KEY
    FLAGBOARD_S3_ADDRESSING        virtual (default: https://bucket.endpoint/key), path
                                   (https://endpoint/bucket/key) or domain (the endpoint is
                                   the bucket's own domain: https://endpoint/key)

Text is stored gzipped with `Content-Encoding: gzip`, with its type and cache headers
(headers.py), by inplace.py's protocol. One publish at a time: a lock object with an expiry
(`.flagboard/lock.json`, see `BucketLock`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import obstore
from obstore.store import S3Store

from generator import catalogue
from generator.deploy import gzipped
from generator.deploy.errors import PublishFailed
from generator.deploy.manifest import OWN, Manifest
from generator.deploy.targets import Bucket

ENDPOINT = re.compile(r"(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?/?")
ADDRESSING = ("virtual", "path", "domain")
REQUIRED = (
    "FLAGBOARD_S3_ENDPOINT",
    "FLAGBOARD_S3_REGION",
    "FLAGBOARD_S3_ACCESS_KEY_ID",
    "FLAGBOARD_S3_SECRET_ACCESS_KEY",
)
PARALLEL = 16  # requests in flight: a county's 20,000 files over a slow uplink
RETRY = {
    "max_retries": 3,
    "retry_timeout": timedelta(seconds=60),
    "backoff": {"init_backoff": timedelta(milliseconds=200), "max_backoff": timedelta(seconds=4)},
}


def open_store(bucket: Bucket, env, where: str) -> BucketStore:
    missing = [name for name in REQUIRED if not (env.get(name) or "").strip()]
    if missing:
        raise PublishFailed(catalogue.PUBLISH_SETTING.at(where, names="、".join(missing)), True)
    endpoint = env["FLAGBOARD_S3_ENDPOINT"].strip()
    addressing = (env.get("FLAGBOARD_S3_ADDRESSING") or "virtual").strip()
    found = ENDPOINT.fullmatch(endpoint)
    if not found:
        raise PublishFailed(catalogue.PUBLISH_S3_ENDPOINT.at(where, endpoint=endpoint[:80]), True)
    if addressing not in ADDRESSING:
        raise PublishFailed(catalogue.PUBLISH_S3_ADDRESSING.at(where, value=addressing[:20]), True)
    scheme, host, port = found.group(1), found.group(2), found.group(3) or ""
    if addressing == "virtual" and not host.startswith(bucket.bucket + "."):
        host = f"{bucket.bucket}.{host}"
    with _aws_environment_hidden():
        store = _store(bucket, f"{scheme}://{host}{port}", env, addressing)
    return BucketStore(store, where)


@contextlib.contextmanager
def _aws_environment_hidden():
    """obstore reads AWS_* variables when a store is made (a session token, a checksum
    algorithm that OBS rejects, another endpoint): the bucket is set by FLAGBOARD_S3_* only."""
    hidden = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("AWS_")}
    try:
        yield
    finally:
        os.environ.update(hidden)


def _store(bucket: Bucket, endpoint: str, env, addressing: str) -> S3Store:
    scheme = endpoint.partition(":")[0]
    return S3Store(
        bucket.bucket,
        prefix=bucket.prefix or None,
        endpoint=endpoint,
        region=env["FLAGBOARD_S3_REGION"].strip(),
        access_key_id=env["FLAGBOARD_S3_ACCESS_KEY_ID"].strip(),
        secret_access_key=env["FLAGBOARD_S3_SECRET_ACCESS_KEY"].strip(),
        virtual_hosted_style_request=addressing != "path",
        disable_bulk_delete=True,  # OSS does not take the bulk DeleteObjects request
        client_options={
            "allow_http": scheme == "http",
            "connect_timeout": timedelta(seconds=15),
            "timeout": timedelta(seconds=120),
        },
        retry_config=RETRY,
    )


class BucketStore:
    """The bucket (under its prefix) as inplace.Store."""

    def __init__(self, store: S3Store, where: str):
        self.store = store
        self.where = where

    def read_own(self, name: str) -> bytes | None:
        try:
            return bytes(obstore.get(self.store, name).bytes())
        except FileNotFoundError:
            return None
        except Exception as error:
            raise failure(error, self.where) from None

    def write_own(self, name: str, data: bytes) -> None:
        self._put(name, data, {"Content-Type": "application/json", "Cache-Control": "no-cache"})

    def delete_own(self, name: str) -> None:
        self.delete([name])

    def listing(self) -> set[str]:
        try:
            return {
                meta["path"]
                for chunk in obstore.list(self.store, chunk_size=1000)
                for meta in chunk
                if not meta["path"].startswith(OWN)
            }
        except Exception as error:
            raise failure(error, self.where) from None

    def stored(self, manifest: Manifest | None) -> set[str]:
        return set(manifest.files) if manifest else set()

    def put(self, site: Path, paths: tuple[str, ...], manifest: Manifest, sent) -> int:
        said = threading.Lock()

        def one(path: str) -> int:
            entry = manifest.files[path]
            data = (site / path).read_bytes()
            attributes = {"Content-Type": entry.type, "Cache-Control": entry.cache}
            if entry.gzip:
                data = gzipped.compress(data)
                attributes["Content-Encoding"] = "gzip"
            self._put(path, data, attributes)
            with said:
                sent((path,))
            return len(data)

        return sum(_parallel(one, paths))

    def delete(self, paths: list[str]) -> None:
        def one(path: str) -> int:
            try:
                obstore.delete(self.store, path)
            except FileNotFoundError:
                pass
            except Exception as error:
                raise failure(error, self.where) from None
            return 0

        _parallel(one, paths)

    def _put(self, path: str, data: bytes, attributes: dict) -> None:
        try:
            obstore.put(self.store, path, data, attributes=attributes, use_multipart=False)
        except Exception as error:
            raise failure(error, self.where) from None

    def locked(self):
        return BucketLock(self).held()


def _parallel(work, paths) -> list[int]:
    """`work` on each path, PARALLEL at a time; at the first failure the rest are not begun."""
    if len(paths) <= 1:
        return [work(p) for p in paths]
    with ThreadPoolExecutor(min(PARALLEL, len(paths))) as pool:
        futures = [pool.submit(work, p) for p in paths]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f for f in futures if f in done and f.exception() is not None]
        if failed:
            for future in futures:
                future.cancel()
            raise failed[0].exception()
        return [future.result() for future in futures]


class BucketLock:
    """One publish at a time per bucket and prefix, as far as a bucket allows: the lock is an
    object holding a random token, its holder (host and process) and an expiry, renewed while
    the publish runs and deleted when it ends. A publish that finds a lock stops, unless the
    lock has expired or its holder was a process of this machine that no longer runs (a
    killed publish); then it takes the lock. After writing its token a publish reads it back
    and stops if another's is there. Buckets offer no atomic "create if absent" everywhere, so
    two publishes started within the same fraction of a second can both go on: CI should run
    one deploy at a time (the workflows' concurrency group); this lock catches the rest.
    Expiry is judged by each publisher's clock."""

    NAME = OWN + "lock.json"
    LEASE = 120  # seconds a lock lasts unless renewed
    RENEW = 30

    def __init__(self, bucket: BucketStore):
        self.bucket = bucket
        self.token = secrets.token_hex(16)
        self.stop = threading.Event()

    @contextlib.contextmanager
    def held(self):
        self._take()
        renewer = threading.Thread(target=self._renew, daemon=True)
        renewer.start()
        try:
            yield self.bucket
        finally:
            self.stop.set()
            renewer.join()
            with contextlib.suppress(PublishFailed):
                if self._holder().get("token") == self.token:
                    self.bucket.delete_own(self.NAME)

    def _take(self) -> None:
        holder = self._holder()
        if holder.get("expires", 0) > time.time() and not _gone(holder):
            raise PublishFailed(
                catalogue.PUBLISH_LOCKED_BUCKET.at(self.bucket.where, **_who(holder))
            )
        self._write()
        holder = self._holder()
        if holder.get("token") != self.token:
            raise PublishFailed(
                catalogue.PUBLISH_LOCKED_BUCKET.at(self.bucket.where, **_who(holder))
            )

    def _renew(self) -> None:
        while not self.stop.wait(self.RENEW):
            with contextlib.suppress(PublishFailed):
                self._write()

    def _write(self) -> None:
        now = time.time()
        record = {
            "token": self.token,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "holder": f"{socket.gethostname()} {os.getpid()}",
            "started": int(now),
            "expires": int(now) + self.LEASE,
        }
        self.bucket.write_own(self.NAME, json.dumps(record).encode())

    def _holder(self) -> dict:
        data = self.bucket.read_own(self.NAME)
        try:
            found = json.loads(data) if data else {}
            return found if isinstance(found, dict) else {}
        except ValueError:
            return {}


def _gone(holder: dict) -> bool:
    """Whether the lock's holder was a process of this machine that has ended."""
    pid = holder.get("pid")
    if holder.get("host") != socket.gethostname() or type(pid) is not int or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _who(holder: dict) -> dict:
    started = holder.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if started else "不明"
    return {"holder": str(holder.get("holder", "不明"))[:80], "started": when}


# -- a store's errors, said in Chinese ---------------------------------------------------------

_STATUS = re.compile(r"(?:status(?: code)?:? |Status \{ status: )(\d{3})")
_CODE = re.compile(r"<Code>([A-Za-z.]{1,60})</Code>")
_CONNECT = ("error sending request", "connection", "dns error", "timed out", "Connect")


def failure(error: Exception, where: str) -> PublishFailed:
    """A store's error as a catalogue problem: the HTTP status and the store's error code,
    never its text (it may quote a request)."""
    text = str(error)
    status, code = _STATUS.search(text), _CODE.search(text)
    if status:
        said = status.group(1) + (f" {code.group(1)}" if code else "")
        hint = catalogue.PUBLISH_HINTS.get(code.group(1) if code else status.group(1), "")
        return PublishFailed(catalogue.PUBLISH_REFUSED.at(where, status=said, hint=hint))
    if any(word in text for word in _CONNECT):
        host = (
            urlsplit(re.search(r"https?://[^\s/]+", text).group(0)).netloc if "://" in text else ""
        )
        return PublishFailed(catalogue.PUBLISH_CONNECT.at(where, host=host or "存储服务"))
    return PublishFailed(catalogue.PUBLISH_STORE.at(where, kind=type(error).__name__))
