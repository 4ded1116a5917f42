"""A moto server on 127.0.0.1 for the whole audit suite, with the orders service deployed in it.

The audit reaches it the way it would reach any endpoint: through the AWS SDK's standard
settings (AWS_ENDPOINT_URL), set for each test only, with fake credentials and no profile.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_deployed import Moto, deploy
from audit_proxy import FaultProxy

HERE = Path(__file__).resolve().parent
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_MAX_ATTEMPTS": "3",
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_RETRY_MODE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    pytest.importorskip("moto.server", reason="moto[server] is a dev dependency")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with pytest.MonkeyPatch.context() as mp:
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        _fake_env(mp, tmp_path_factory.mktemp("aws"), endpoint)
        import boto3

        deployed = deploy(boto3.Session())
    try:
        yield Moto(endpoint, host, port, deployed)
    finally:
        server.stop()


def _fake_env(mp: pytest.MonkeyPatch, home: Path, endpoint: str) -> None:
    for name in CLEARED:
        mp.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        mp.delenv(name)
    for name, value in FAKE_ENV.items():
        mp.setenv(name, value)
    mp.setenv("AWS_CONFIG_FILE", str(home / "config"))  # no real profile can leak in
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    mp.setenv("AWS_ENDPOINT_URL", endpoint)


@pytest.fixture
def aws(moto_server: Moto, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Moto:
    """The test talks to the moto server through AWS_ENDPOINT_URL."""
    _fake_env(monkeypatch, tmp_path, moto_server.endpoint)
    return moto_server


@pytest.fixture
def proxy(moto_server: Moto, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FaultProxy]:
    """The test talks to the moto server through a fault-injecting proxy; botocore's backoff
    between retries is not waited for (the retries themselves still happen)."""
    from botocore.retries.standard import ExponentialBackoff

    fp = FaultProxy((moto_server.host, moto_server.port))
    endpoint = fp.start()
    _fake_env(monkeypatch, tmp_path, endpoint)
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    try:
        yield fp
    finally:
        fp.stop()


@pytest.fixture(scope="session")
def boto_session(moto_server: Moto) -> object:
    """One boto3 session for the library-level audits: its loader caches botocore's service data
    (about a second to load afresh), so each test pays only for its own calls."""
    import boto3

    return boto3.Session()
