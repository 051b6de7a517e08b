"""docker-compose.yml, checked by reading it: no Docker engine runs here.

What would otherwise only fail on someone's laptop: a service without a health check, the
API pointed at the wrong store, an Elasticsearch major the client cannot talk to, a heap
bigger than the container, a volume used but never declared, a Dockerfile copying a
directory that does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import elasticsearch
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
ES_NODES = ("elasticsearch", "es02", "es03")
APP_SERVICES = ("api", "crawler")

_VAR = re.compile(r"\$\{(\w+)(?::?[-?]([^}]*))?\}")


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with an empty environment: the defaults."""
    return _VAR.sub(lambda m: m.group(2) or "", str(value)).replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env(service: dict) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {k: interpolate(v) for k, v in raw.items()}


def test_expected_services(services):
    assert set(services) == {*ES_NODES, *APP_SERVICES}


def test_single_node_by_default_three_with_the_cluster_profile(services):
    default = [name for name, s in services.items() if not s.get("profiles")]
    assert set(default) == {"elasticsearch", *APP_SERVICES}
    cluster = [name for name in ES_NODES if name == "elasticsearch" or "cluster" in services[name].get("profiles", [])]
    assert len(cluster) == 3
    names = {env(services[n])["cluster.name"] for n in ES_NODES}
    assert names == {"yuqing"}, "all three nodes must form one cluster"
    # the first node bootstraps alone; the others find it through their seed hosts
    assert env(services["elasticsearch"])["cluster.initial_master_nodes"] == "elasticsearch"
    for name in ("es02", "es03"):
        assert "elasticsearch" in env(services[name])["discovery.seed_hosts"].split(",")
        assert "cluster.initial_master_nodes" not in env(services[name])
        assert env(services[name])["node.name"] == name


def test_elasticsearch_version_suits_the_client(services):
    """Same major; server minor at least the client's. The client's own compatibility
    statement (its package README): "each client version works with equivalent and later
    minor versions of Elasticsearch" — a 9.5 client is not promised to work with 9.2."""
    client = tuple(int(p) for p in elasticsearch.__versionstr__.split(".")[:2])
    for name in ES_NODES:
        image = interpolate(services[name]["image"])
        repo, tag = image.rsplit(":", 1)
        assert repo == "docker.elastic.co/elasticsearch/elasticsearch"
        assert re.fullmatch(r"\d+\.\d+\.\d+", tag), f"{name}: pin an exact release, not {tag!r}"
        server = tuple(int(p) for p in tag.split(".")[:2])
        assert server[0] == client[0], f"{name} runs {tag}, the client is {elasticsearch.__versionstr__}"
        assert server >= client, f"{name} runs {tag}, older than the {elasticsearch.__versionstr__} client"


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", size.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


@pytest.mark.parametrize("name", ES_NODES)
def test_memory_fits_a_laptop(services, name):
    service = services[name]
    opts = env(service)["ES_JAVA_OPTS"]
    xms = re.search(r"-Xms(\d+[kmg])", opts).group(1)
    xmx = re.search(r"-Xmx(\d+[kmg])", opts).group(1)
    assert xms == xmx == "1g"
    # heap at most half the container: Lucene lives in the file-system cache beside it
    assert _bytes(xmx) * 2 <= _bytes(service["mem_limit"])
    assert service["ulimits"]["memlock"] == {"soft": -1, "hard": -1}
    assert service["ulimits"]["nofile"]["soft"] >= 65535
    assert env(service)["bootstrap.memory_lock"] == "true"


@pytest.mark.parametrize("name", [*ES_NODES, *APP_SERVICES])
def test_every_service_has_a_health_check(services, name):
    check = services[name]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert check.get("interval") and check.get("retries")


def test_elasticsearch_health_check_asks_the_cluster(services):
    test = " ".join(services["elasticsearch"]["healthcheck"]["test"])
    assert "_cluster/health" in test and "wait_for_status=yellow" in test


def test_app_services_use_the_cluster_and_wait_for_it(services):
    for name in APP_SERVICES:
        service = services[name]
        variables = env(service)
        assert variables["YUQING_STORE"] == "http://elasticsearch:9200"
        assert {"YUQING_ES_USERNAME", "YUQING_ES_PASSWORD", "YUQING_AUTHOR_SALT"} <= set(variables)
        assert service["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
        assert service["build"] == {"context": ".", "dockerfile": "docker/Dockerfile"}


def test_author_salt_is_required_not_defaulted(services):
    raw = services["api"]["environment"]["YUQING_AUTHOR_SALT"]
    assert raw.startswith("${YUQING_AUTHOR_SALT:?"), "compose must refuse to start without a secret salt"


def test_every_yuqing_variable_is_a_setting(services):
    from core.config import Settings

    known = {f"YUQING_{name.upper()}" for name in Settings.model_fields}
    for name in APP_SERVICES:
        used = {k for k in env(services[name]) if k.startswith("YUQING_")}
        assert used <= known, used - known


def test_ports_are_bound_to_localhost(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to the network"


def test_volumes_are_declared_and_every_node_keeps_its_own(compose, services):
    declared = set(compose["volumes"])
    used = {}
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses undeclared volume {source}"
                used.setdefault(source, set()).add(name)
    data = {v for v, users in used.items() for n in users if n in ES_NODES}
    assert len(data) == len(ES_NODES), "each Elasticsearch node needs its own data volume"


def test_crawler_runs_the_scheduler_with_a_stop_grace_for_the_running_crawl(services):
    crawler = services["crawler"]
    assert "entrypoint" not in crawler  # the image's `yuqing`
    assert crawler["command"] == ["schedule", "--migrate"]
    assert "schedule" in crawler["healthcheck"]["test"][-1]
    # docker stop sends SIGTERM, then SIGKILL after the grace: longer than the scheduler's own.
    from yuqing.scheduling import STOP_GRACE_SECONDS

    assert int(crawler["stop_grace_period"].rstrip("s")) > STOP_GRACE_SECONDS


def test_dockerfile_copies_what_exists():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert text.startswith("#") and "FROM python:3.11" in text
    for line in text.splitlines():
        if line.startswith("COPY"):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    assert re.search(r"^USER (?!root)", text, re.M), "the image must not run as root"
    assert 'ENTRYPOINT ["yuqing"]' in text
