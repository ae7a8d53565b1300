"""Publishing to S3-compatible object storage (issue 18), for real: moto's S3 server on
127.0.0.1 (behind a proxy that refuses or drops the requests a test names), and a recording
S3 imitation that shows what an OSS or COS endpoint would receive: the bucket in the Host,
no checksum headers, each file's headers, and the order (manifest last, deletions after)."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import time

import pytest
from _deploy_helpers import (
    SECRET_KEY,
    SECRET_KEY_ID,
    Fault,
    FaultProxy,
    Moto,
    RecordingStore,
    assert_old_site_whole,
    bucket_files,
    clean_env,
    kill_when,
    local_store,
    run_publish,
    site_files,
)

from generator.cli import main
from generator.deploy.manifest import MANIFEST, PENDING, scan
from generator.deploy.plan import make_plan
from generator.deploy.s3 import BucketLock

# every test: no thread of its own left running (conftest.py threads_end)
pytestmark = pytest.mark.usefixtures("threads_end")

ENDPOINT_HOST = "oss-cn-hangzhou.example.test"


@pytest.fixture(scope="module")
def moto():
    server = Moto()
    yield server
    server.stop()


@pytest.fixture
def proxy(moto):
    front = FaultProxy(moto.url)
    yield front
    front.close()


_BUCKETS = iter(range(10_000))


@pytest.fixture
def bucket(moto) -> str:
    return moto.bucket(f"site-{next(_BUCKETS)}")


def s3_env(endpoint: str, **extra: str) -> dict[str, str]:
    settings = {
        "FLAGBOARD_S3_ENDPOINT": endpoint,
        "FLAGBOARD_S3_REGION": "cn-hangzhou",
        "FLAGBOARD_S3_ACCESS_KEY_ID": SECRET_KEY_ID,
        "FLAGBOARD_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "FLAGBOARD_S3_ADDRESSING": "path",
    }
    return clean_env(**(settings | extra))


def published(moto, bucket: str) -> dict[str, bytes]:
    """The site as readers get it from the bucket: flagboard's own objects left out."""
    found = bucket_files(moto.url, bucket, "huamu")
    return {p: d for p, d in found.items() if not p.startswith(".flagboard/")}


@pytest.fixture
def publish_to(monkeypatch, capsys):
    """`flagboard publish` in this process (a new process costs a second of imports each time),
    with only the given settings in its environment; returns (exit code, stdout, stderr)."""

    def run(site, bucket: str, endpoint: str, *args: str, **env: str):
        for name in list(os.environ):
            if name.startswith("FLAGBOARD_") or name.lower() in ("http_proxy", "https_proxy"):
                monkeypatch.delenv(name)
        for name, value in s3_env(endpoint, **env).items():
            monkeypatch.setenv(name, value)
        code = main(["publish", "--site", str(site), "--to", f"s3://{bucket}/huamu", *args])
        said = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, said.out, said.err)

    return run


def site_puts(proxy: FaultProxy, bucket: str) -> list[str]:
    prefix = f"/{bucket}/huamu/"
    return [
        p.removeprefix(prefix)
        for m, p, _ in proxy.requests
        if m == "PUT" and p.startswith(prefix) and not p.startswith(prefix + ".flagboard/")
    ]


# -- publishing and republishing ------------------------------------------------------------------


def test_a_bucket_gets_the_site_then_only_the_files_whose_bytes_changed(
    publish_to, sites, moto, proxy, bucket
):
    first = publish_to(sites.before, bucket, proxy.url)
    assert first.returncode == 0, first.stderr
    assert published(moto, bucket) == site_files(sites.before)
    proxy.requests.clear()
    second = publish_to(sites.after, bucket, proxy.url)
    assert second.returncode == 0, second.stderr
    assert published(moto, bucket) == site_files(sites.after)
    plan = make_plan(scan(sites.before), scan(sites.after))
    assert sorted(site_puts(proxy, bucket)) == sorted(plan.send)
    deleted = [p for m, p, _ in proxy.requests if m == "DELETE" and ".flagboard" not in p]
    assert sorted(p.rsplit("/huamu/", 1)[1] for p in deleted) == sorted(plan.delete)
    # judged by the manifest alone: no HEAD and no GET of the site's own objects
    asked = [p for m, p, _ in proxy.requests if m in ("GET", "HEAD")]
    assert all("/.flagboard/" in p for p in asked), asked
    again = publish_to(sites.after, bucket, proxy.url)
    assert again.returncode == 0 and "发送 0 个文件" in again.stdout


def test_text_is_stored_gzipped_with_its_headers(publish_to, sites, moto, bucket):
    assert publish_to(sites.after, bucket, moto.url).returncode == 0
    import obstore

    store = local_store(moto.url, bucket, "huamu")
    page = obstore.get(store, "index.html")
    assert page.attributes == {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Encoding": "gzip",
        "Cache-Control": "no-cache",
    }
    assert gzip.decompress(bytes(page.bytes())) == (sites.after / "index.html").read_bytes()
    picture = obstore.get(store, "images/share.png")
    assert picture.attributes.get("Content-Encoding") is None
    assert picture.attributes["Cache-Control"] == "public, max-age=86400"
    book = next(p for p in scan(sites.after).files if p.endswith(".xlsx"))
    assert obstore.get(store, book).attributes["Content-Type"].endswith("spreadsheetml.sheet")


# -- faults: the old site stays whole, the next publish completes --------------------------------


def first_site_put(bucket: str):
    return lambda method, path: (
        method == "PUT" and f"/{bucket}/huamu/" in path and "/.flagboard/" not in path
    )


FAULTS = {
    "403 on the 30th file": lambda b: Fault(first_site_put(b), 30, 403),
    "403 on the manifest": lambda b: Fault(
        lambda m, p: m == "PUT" and p.endswith(MANIFEST), 1, 403
    ),
    "the line drops from the 20th file on": lambda b: Fault(first_site_put(b), 20, None, 10_000),
    "500 on every try of the 10th file": lambda b: Fault(first_site_put(b), 10, 500, 4, True),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_store_that_refuses_or_drops_midway_leaves_the_old_site_whole(
    publish_to, sites, moto, proxy, bucket, fault
):
    assert publish_to(sites.before, bucket, proxy.url).returncode == 0
    proxy.faults.append(FAULTS[fault](bucket))
    failed = publish_to(sites.after, bucket, proxy.url)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "发布失败" in failed.stderr and "Traceback" not in failed.stderr
    old, new = site_files(sites.before), site_files(sites.after)
    assert_old_site_whole(published(moto, bucket), old, new)
    manifest = bucket_files(moto.url, bucket, "huamu")[MANIFEST]
    assert manifest == scan(sites.before).to_bytes()  # the commit point was not passed
    proxy.faults.clear()
    done = publish_to(sites.after, bucket, proxy.url)
    assert done.returncode == 0, done.stderr
    assert published(moto, bucket) == new
    assert PENDING not in bucket_files(moto.url, bucket, "huamu")


def test_a_refused_delete_after_the_commit_is_finished_by_the_next_publish(
    publish_to, sites, moto, proxy, bucket
):
    assert publish_to(sites.before, bucket, proxy.url).returncode == 0
    proxy.faults.append(Fault(lambda m, p: m == "DELETE" and "/.flagboard/" not in p, 1, 403))
    failed = publish_to(sites.after, bucket, proxy.url)
    assert failed.returncode == 1
    gone = make_plan(scan(sites.before), scan(sites.after)).delete
    assert gone and any(p in published(moto, bucket) for p in gone)
    proxy.faults.clear()
    assert publish_to(sites.after, bucket, proxy.url).returncode == 0
    assert published(moto, bucket) == site_files(sites.after)


def test_one_refused_request_is_tried_again(publish_to, sites, moto, proxy, bucket):
    proxy.faults.append(Fault(first_site_put(bucket), 5, 500))
    done = publish_to(sites.before, bucket, proxy.url)
    assert done.returncode == 0, done.stderr
    assert published(moto, bucket) == site_files(sites.before)
    puts = site_puts(proxy, bucket)
    assert len(puts) == len(set(puts)) + 1  # the refused one, sent twice


@pytest.mark.parametrize("after_files", [3, 40])
def test_a_publish_killed_midway_leaves_the_old_site_whole_and_the_next_completes(
    sites, moto, bucket, after_files
):
    env = s3_env(moto.url)
    target = f"s3://{bucket}/huamu"
    assert run_publish("--site", str(sites.before), "--to", target, env=env).returncode == 0
    count = []
    killed = kill_when(
        ["--site", str(sites.after), "--to", target, "--verbose"],
        env,
        lambda line: line.startswith("已发送") and len(count.append(1) or count) >= after_files,
    )
    assert killed.returncode == -9
    old, new = site_files(sites.before), site_files(sites.after)
    assert_old_site_whole(published(moto, bucket), old, new)
    own = bucket_files(moto.url, bucket, "huamu")
    assert own[MANIFEST] == scan(sites.before).to_bytes()
    assert json.loads(own[BucketLock.NAME])["pid"]  # the killed publish's lock is still there
    done = run_publish("--site", str(sites.after), "--to", target, env=env)
    assert done.returncode == 0, done.stderr  # its holder has ended: the lock is taken over
    assert published(moto, bucket) == new
    assert BucketLock.NAME not in bucket_files(moto.url, bucket, "huamu")


def test_a_publish_in_progress_elsewhere_holds_the_bucket(publish_to, sites, moto, bucket):
    import obstore

    store = local_store(moto.url, bucket, "huamu")
    held = {
        "token": "x",
        "host": "ci-runner-7",
        "pid": 4242,
        "holder": "ci-runner-7 4242",
        "started": int(time.time()),
        "expires": int(time.time()) + 100,
    }
    obstore.put(store, BucketLock.NAME, json.dumps(held).encode())
    refused = publish_to(sites.after, bucket, moto.url)
    assert refused.returncode == 1
    assert "另一次发布（ci-runner-7 4242" in refused.stderr
    assert published(moto, bucket) == {}
    held["expires"] = int(time.time()) - 1  # expired: its publisher is gone
    obstore.put(store, BucketLock.NAME, json.dumps(held).encode())
    assert publish_to(sites.after, bucket, moto.url).returncode == 0


def test_a_bucket_holding_other_files_is_not_touched(publish_to, sites, moto, bucket):
    import obstore

    store = local_store(moto.url, bucket)
    obstore.put(store, "huamu/index.html", b"someone else's page")
    refused = publish_to(sites.after, bucket, moto.url)
    assert refused.returncode == 1 and "不是 flagboard 发布的文件（index.html）" in refused.stderr
    assert bytes(obstore.get(store, "huamu/index.html").bytes()) == b"someone else's page"
    assert publish_to(sites.after, bucket, moto.url, "--dry-run").returncode == 1


def test_missing_settings_are_named(publish_to, sites, bucket, moto):
    env = s3_env(moto.url)
    del env["FLAGBOARD_S3_REGION"]
    said = run_publish("--site", str(sites.after), "--to", f"s3://{bucket}", env=env)
    assert said.returncode == 2 and "FLAGBOARD_S3_REGION" in said.stderr
    bad = publish_to(sites.after, bucket, "oss-cn-hangzhou.aliyuncs.com")
    assert bad.returncode == 2 and "FLAGBOARD_S3_ENDPOINT" in bad.stderr


# -- secrets ----------------------------------------------------------------------------------------


def test_secrets_never_appear_in_any_output(sites, bucket):
    """Run as CI runs it, in a process of its own, so that all it prints is seen: a store
    nobody answers at, and one whose refusal quotes the credentials back."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    target = ["--site", str(sites.after), "--to", f"s3://{bucket}/huamu"]
    unreachable = run_publish(*target, env=s3_env(f"http://127.0.0.1:{closed}"))
    store = RecordingStore(refuse=lambda r: 403).start()
    try:
        env = s3_env(f"http://{ENDPOINT_HOST}", HTTP_PROXY=store.proxy, NO_PROXY="")
        refusing = run_publish(*target, env=env | {"FLAGBOARD_S3_ADDRESSING": "virtual"})
    finally:
        store.close()
    for done in (unreachable, refusing):
        assert done.returncode == 1
        said = done.stdout + done.stderr
        assert SECRET_KEY not in said and SECRET_KEY_ID not in said
        assert "Traceback" not in said
    assert "连接不上对象存储" in unreachable.stderr
    assert "HTTP 403 AccessDenied" in refusing.stderr and "没有写这个存储桶" in refusing.stderr


# -- what a real endpoint receives ----------------------------------------------------------------


@pytest.fixture
def recorder():
    store = RecordingStore().start()
    yield store
    store.close()


def recorded_publish(
    publish_to, recorder, site, addressing="virtual", endpoint=f"http://{ENDPOINT_HOST}", **env
):
    settings = {"FLAGBOARD_S3_ADDRESSING": addressing, "HTTP_PROXY": recorder.proxy, "NO_PROXY": ""}
    return publish_to(site, "huamu-site", endpoint, **(settings | env))


def test_an_oss_endpoint_receives_virtual_hosted_requests_without_checksum_headers(
    publish_to, sites, recorder, monkeypatch
):
    # settings of the machine's own for AWS: none of them may reach the request
    monkeypatch.setenv("AWS_CHECKSUM_ALGORITHM", "crc32")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "a-token-of-another-account")
    monkeypatch.setenv("AWS_ENDPOINT", "http://127.0.0.1:9")
    done = recorded_publish(publish_to, recorder, sites.before)
    assert done.returncode == 0, done.stderr
    puts = [r for r in recorder.requests if r.method == "PUT"]
    assert {r.host for r in recorder.requests} == {f"huamu-site.{ENDPOINT_HOST}"}
    assert all(r.path.startswith("/huamu/") for r in puts)
    for request in recorder.requests:
        names = {name.lower() for name in request.headers}
        assert not {n for n in names if n.startswith("x-amz-checksum-")}, names
        assert "x-amz-sdk-checksum-algorithm" not in names and "content-md5" not in names
        assert "x-amz-security-token" not in names
    by_path = {r.path.removeprefix("/huamu/"): r.headers for r in puts}
    page = by_path["index.html"]
    assert page["content-type"] == "text/html; charset=utf-8"
    assert page["content-encoding"] == "gzip" and page["cache-control"] == "no-cache"
    assert by_path["data/flags.csv"]["content-type"] == "text/csv; charset=utf-8"
    assert "content-encoding" not in by_path["images/share.png"]
    body, _ = recorder.objects[(f"huamu-site.{ENDPOINT_HOST}", "/huamu/index.html")]
    assert gzip.decompress(body) == (sites.before / "index.html").read_bytes()


def test_the_order_is_lock_list_files_manifest_deletions_unlock(publish_to, sites, recorder):
    assert recorded_publish(publish_to, recorder, sites.before).returncode == 0
    recorder.requests.clear()
    assert recorded_publish(publish_to, recorder, sites.after).returncode == 0
    steps = [(r.method, r.path.removeprefix("/huamu/")) for r in recorder.requests]
    writes = [(m, p) for m, p in steps if m in ("PUT", "DELETE")]
    assert writes[0] == ("PUT", ".flagboard/lock.json")
    assert writes[1] == ("PUT", PENDING)
    manifest = writes.index(("PUT", MANIFEST))
    plan = make_plan(scan(sites.before), scan(sites.after))
    files = [p for m, p in writes[2:manifest]]
    assert sorted(files) == sorted(plan.send)
    position = {p: i for i, p in enumerate(files)}
    assert position["index.html"] > max(position[p] for p in files if p.startswith("village/"))
    assert files[-1] == "data/record.json"  # the site's record after every page
    assert max(position[p] for p in files[:-1] if not p.endswith((".html", ".xml"))) < min(
        position[p] for p in files if p.endswith(".html")
    )
    after = writes[manifest + 1 :]
    assert sorted(
        p for m, p in after if m == "DELETE" and not p.startswith(".flagboard/")
    ) == sorted(plan.delete)
    assert after[-2:] == [("DELETE", PENDING), ("DELETE", ".flagboard/lock.json")]


@pytest.mark.parametrize(
    ("addressing", "endpoint", "host", "prefix"),
    [
        ("path", f"http://{ENDPOINT_HOST}", ENDPOINT_HOST, "/huamu-site/huamu/"),
        ("domain", "http://static.huamu.example.test", "static.huamu.example.test", "/huamu/"),
        ("virtual", f"http://huamu-site.{ENDPOINT_HOST}", f"huamu-site.{ENDPOINT_HOST}", "/huamu/"),
    ],
)
def test_the_endpoint_is_used_as_given(
    publish_to, sites, recorder, addressing, endpoint, host, prefix
):
    done = recorded_publish(publish_to, recorder, sites.before, addressing, endpoint)
    puts = [r for r in recorder.requests if r.method == "PUT"]
    assert {r.host for r in puts} == {host}
    assert all(r.path.startswith(prefix) for r in puts)
    assert done.returncode == 0, done.stderr


def test_after_publishing_the_public_address_is_checked(publish_to, sites, recorder):
    recorder.website["www.huamu.example.test"] = (f"huamu-site.{ENDPOINT_HOST}", "/huamu")
    site_url = {"FLAGBOARD_SITEURL": "http://www.huamu.example.test"}
    assert recorded_publish(publish_to, recorder, sites.before, **site_url).returncode == 0
    done = recorded_publish(publish_to, recorder, sites.after, **site_url)
    assert done.returncode == 0, done.stderr
    checked = [ln for ln in done.stdout.splitlines() if ln.startswith("已核对")]
    assert checked[0] == "已核对：http://www.huamu.example.test/ 与发布的版本一致"
    assert len(checked) == 2


def test_the_next_build_reads_the_record_the_site_serves_gzipped(publish_to, sites, recorder):
    """`flagboard build --published URL` reads /data/record.json as the store serves it (as OSS
    does): gzipped, with Content-Encoding: gzip, though the request did not ask for it."""
    import urllib.request

    from generator.site.record import read_previous

    recorder.website["www.huamu.example.test"] = (f"huamu-site.{ENDPOINT_HOST}", "/huamu")
    assert recorded_publish(publish_to, recorder, sites.after).returncode == 0
    site = "http://www.huamu.example.test"  # reached through the recorder (HTTP_PROXY)
    with urllib.request.build_opener().open(f"{site}/data/record.json") as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.read()[:2] == b"\x1f\x8b"
    written = json.loads((sites.after / "data" / "record.json").read_bytes())
    assert len(written["data_commit"]) == 40 and written["periods"]
    assert read_previous(site + "/").record == written
    assert read_previous(f"{site}/data/record.json").record == written


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (gzip.compress(b"0" * (20 * 1024 * 1024)), "超过 8 MB"),  # 20 kB on the line
        (b"\x1f\x8b not gzip at all", "无法解压"),
    ],
    ids=["bomb", "broken"],
)
def test_a_gzipped_record_is_unpacked_only_so_far(body, says):
    import http.server
    import threading

    from generator.site.record import RecordUnavailable, read_previous

    class Gzipped(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Gzipped)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        with pytest.raises(RecordUnavailable, match=says):
            read_previous(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        thread.join(10)
        server.server_close()


def test_a_dry_run_writes_nothing(publish_to, sites, recorder):
    assert recorded_publish(publish_to, recorder, sites.before).returncode == 0
    recorder.requests.clear()
    done = recorded_publish(publish_to, recorder, sites.after, **{})
    assert done.returncode == 0
    recorder.requests.clear()
    dry = publish_to(
        sites.before,
        "huamu-site",
        f"http://{ENDPOINT_HOST}",
        "--dry-run",
        FLAGBOARD_S3_ADDRESSING="virtual",
        HTTP_PROXY=recorder.proxy,
        NO_PROXY="",
    )
    assert dry.returncode == 0 and "试运行" in dry.stdout
    assert {r.method for r in recorder.requests} <= {"GET"}
    assert "将删除" in dry.stdout
