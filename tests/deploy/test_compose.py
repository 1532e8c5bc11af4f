"""Static checks of docker-compose.yml and the files it mounts.

CI machines have no Docker engine, so compose is never started there. These tests make
sure that the file still fits the code: every service runs a console script its package
declares, every ``ZROUTE_*`` variable it sets is a setting the service reads (and the
values validate), every container has a healthcheck and starts only once what it depends
on is healthy, PostgreSQL creates exactly the databases the services connect to, and the
broker definitions hold a user, with the right password and permissions, for each service.

That the same console scripts also start for real (``serve`` and ``migrate`` against the
real RabbitMQ and PostgreSQL) is proven in tests/e2e/test_entrypoints.py.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from pydantic import AliasChoices
from pydantic_settings import BaseSettings
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.topology import ServiceTopology

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
POSTGRES_INIT_SQL = ROOT / "deploy" / "postgres" / "init" / "01-databases.sql"
RABBITMQ_DEFINITIONS = ROOT / "deploy" / "rabbitmq" / "definitions.json"
RABBITMQ_CONF = ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf"

APP_SERVICES = ("intake", "planning", "support", "notifications")
HTTP_PORTS = {"intake": 8001, "planning": 8002, "support": 8003, "notifications": 8004}
INFRASTRUCTURE = ("rabbitmq", "postgres")
JOBS = ("topology",)  # one-shot containers that must finish before the services start

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt},
# ${VAR+alt}, $VAR and the escape $$, as compose interpolates them.
_INTERPOLATION = re.compile(
    r"\$\$"
    r"|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def interpolate_defaults(text: str) -> str:
    """``text`` as compose sees it with no variables set: every default applied."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        op = match.group("op") or ""
        return match.group("arg") if op.endswith("-") else ""

    return _INTERPOLATION.sub(replace, text)


def variables_without_default(text: str) -> set[str]:
    missing = set()
    for match in _INTERPOLATION.finditer(text):
        name = match.group("name") or match.group("bare")
        if name and not (match.group("op") or "").endswith("-"):
            missing.add(name)
    return missing


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment with compose's defaults applied (list or mapping form)."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {key: interpolate_defaults(str(value)) for key, value in raw.items()}


def settings_env_names(settings_cls: type[BaseSettings]) -> set[str]:
    """The environment variable names a pydantic-settings class reads (upper case)."""
    prefix = settings_cls.model_config.get("env_prefix", "")
    names = set()
    for field_name, field in settings_cls.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names.update(c.upper() for c in alias.choices if isinstance(c, str))
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


def service_settings_class(service: str) -> type[BaseSettings] | None:
    """``zroute_<service>.settings.Settings`` when the service has its own, else None."""
    module_name = f"zroute_{service}.settings"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name in (module_name, f"zroute_{service}"):
            return None
        raise
    return getattr(module, "Settings", None)


def settings_class_for(service: str) -> type[BaseSettings]:
    return service_settings_class(service) or ServiceSettings


def console_scripts(service: str) -> dict[str, str]:
    pyproject = ROOT / "services" / service / "pyproject.toml"
    return tomllib.loads(pyproject.read_text())["project"].get("scripts", {})


def amqp_vhost(url: str) -> str:
    """The vhost of an AMQP URL as aiormq reads it: no path or "/" is the default vhost."""
    path = urlsplit(url).path
    return "/" if path in ("", "/") else unquote(path[1:])


def rabbit_password_matches(user: dict[str, Any], password: str) -> bool:
    """Checks a user of a RabbitMQ definitions file against a clear-text password."""
    if "password" in user:
        return user["password"] == password
    algorithm = {
        "rabbit_password_hashing_sha256": hashlib.sha256,
        "rabbit_password_hashing_sha512": hashlib.sha512,
        "rabbit_password_hashing_md5": hashlib.md5,
    }[user.get("hashing_algorithm", "rabbit_password_hashing_sha256")]
    raw = base64.b64decode(user["password_hash"])
    salt, digest = raw[:4], raw[4:]
    return algorithm(salt + password.encode()).digest() == digest


def sql_statements(path: Path) -> str:
    """The SQL of an init file without comments and psql meta-commands."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split("--", 1)[0].strip()
        if line and not line.startswith("\\"):
            lines.append(line)
    return " ".join(lines)


# --------------------------------------------------------------------------- the services


def test_compose_runs_the_four_services_and_the_infrastructure(services):
    assert set(services) == {*APP_SERVICES, *INFRASTRUCTURE, *JOBS}


def test_the_topology_job_declares_the_catalogue_as_admin_before_the_services_start(
    services, definitions
):
    job = services["topology"]
    assert job["command"] == ["zroute-topology"]
    runtime = tomllib.loads((ROOT / "shared" / "runtime" / "pyproject.toml").read_text())
    assert "zroute-topology" in runtime["project"]["scripts"]
    assert job["restart"] == "no"
    assert job["depends_on"] == {"rabbitmq": {"condition": "service_healthy"}}
    url = interpolate_defaults(job["environment"]["ZROUTE_AMQP_URL"])
    admin = next(u for u in definitions["users"] if u["name"] == "admin")
    assert urlsplit(url).username == "admin"
    assert rabbit_password_matches(admin, unquote(urlsplit(url).password or ""))
    for service in APP_SERVICES:
        assert services[service]["depends_on"]["topology"] == {
            "condition": "service_completed_successfully"
        }


def test_every_interpolated_variable_has_a_default_so_compose_needs_no_env_file():
    assert variables_without_default(COMPOSE_FILE.read_text()) == set()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_command_is_a_console_script_its_package_declares(services, service):
    command = services[service]["command"]
    assert isinstance(command, list), "exec form, so the script is PID 1 and gets SIGTERM"
    assert command == [f"zroute-{service}", "serve"]
    assert command[0] in console_scripts(service), (
        f"{command[0]} is not in services/{service}/pyproject.toml [project.scripts]"
    )


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_image_is_built_from_the_one_dockerfile_for_that_service(services, service):
    build = services[service]["build"]
    assert (ROOT / build.get("context", ".") / build["dockerfile"]).resolve() == DOCKERFILE
    assert build["args"]["SERVICE"] == service


def test_dockerfile_takes_the_service_as_build_arg_and_pins_the_same_uv_as_run():
    dockerfile = DOCKERFILE.read_text()
    assert "ARG SERVICE" in dockerfile
    assert "python:3.11-slim" in dockerfile
    run_script = (ROOT / "run").read_text()
    uv_in_run = re.search(r'^UV_VERSION="([^"]+)"', run_script, re.M)
    uv_in_dockerfile = re.search(r"^ARG UV_VERSION=(\S+)", dockerfile, re.M)
    assert uv_in_run and uv_in_dockerfile
    assert uv_in_dockerfile.group(1) == uv_in_run.group(1)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_zroute_variable_in_compose_is_a_setting_the_service_reads(services, service):
    accepted = settings_env_names(ServiceSettings)
    own = service_settings_class(service)
    if own is not None:
        accepted |= settings_env_names(own)
    set_in_compose = {name for name in environment(services[service]) if name.startswith("ZROUTE_")}
    assert set_in_compose, "the services are configured through ZROUTE_* variables"
    assert set_in_compose - accepted == set(), "not read by the settings (typo or stale name)"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_environment_validates_as_the_services_settings(services, service, monkeypatch):
    for name in list(os.environ):
        if name.upper().startswith("ZROUTE_"):
            monkeypatch.delenv(name)
    env = environment(services[service])
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    settings = settings_class_for(service)()

    assert settings.http_port == HTTP_PORTS[service]
    assert settings.http_host == "0.0.0.0"
    assert settings.clock == "system"
    assert settings.auth_signing_key is not None
    assert len(settings.auth_signing_key.get_secret_value()) >= 32, "HS256 wants 32+ bytes"
    assert urlsplit(settings.database_url).hostname == "postgres"
    assert urlsplit(settings.amqp_url).hostname == "rabbitmq"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_publishes_its_http_port_and_its_healthcheck_asks_ready(services, service):
    port = HTTP_PORTS[service]
    published = [interpolate_defaults(str(p)) for p in services[service]["ports"]]
    assert any(p.endswith(f":{port}:{port}") for p in published), published
    probe = " ".join(services[service]["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/ready" in probe


# ------------------------------------------------------------- health, start order, restarts


@pytest.mark.parametrize("service", [*INFRASTRUCTURE, *APP_SERVICES])
def test_every_service_has_a_healthcheck(services, service):
    healthcheck = services[service].get("healthcheck")
    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable", False)
    test = healthcheck["test"]
    assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1


def test_infrastructure_healthchecks_use_the_servers_own_probes(services):
    assert "rabbitmq-diagnostics -q ping" in " ".join(services["rabbitmq"]["healthcheck"]["test"])
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]


@pytest.mark.parametrize("service", [*INFRASTRUCTURE, *APP_SERVICES])
def test_every_dependency_waits_for_health(services, service):
    depends_on = services[service].get("depends_on", {})
    assert isinstance(depends_on, dict), "the short list form cannot wait for health"
    for dependency, condition in depends_on.items():
        assert dependency in services
        expected = "service_completed_successfully" if dependency in JOBS else "service_healthy"
        assert condition.get("condition") == expected, f"{service} -> {dependency}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_apps_start_after_the_broker_and_the_database(services, service):
    assert set(services[service]["depends_on"]) >= {*INFRASTRUCTURE, *JOBS}


@pytest.mark.parametrize("service", [*INFRASTRUCTURE, *APP_SERVICES])
def test_every_service_restarts_unless_stopped(services, service):
    assert services[service].get("restart") == "unless-stopped"


# ---------------------------------------------------------------------------- PostgreSQL


def test_postgres_init_creates_exactly_the_databases_the_services_use(services):
    sql = sql_statements(POSTGRES_INIT_SQL)
    created = set(re.findall(r"CREATE DATABASE\s+(\w+)", sql, re.I))
    used = {
        urlsplit(environment(services[s])["ZROUTE_DATABASE_URL"]).path.lstrip("/")
        for s in APP_SERVICES
    }
    assert len(used) == len(APP_SERVICES), "one database per service"
    assert created == used


def test_postgres_mounts_the_init_scripts(services):
    mounts = [interpolate_defaults(str(v)) for v in services["postgres"]["volumes"]]
    assert any(
        m.split(":")[1] == "/docker-entrypoint-initdb.d"
        and (ROOT / m.split(":")[0]).resolve() == POSTGRES_INIT_SQL.parent
        for m in mounts
    ), mounts


@pytest.mark.parametrize("service", APP_SERVICES)
def test_each_service_connects_as_the_owner_of_its_database(services, service):
    url = urlsplit(environment(services[service])["ZROUTE_DATABASE_URL"])
    database = url.path.lstrip("/")
    sql = sql_statements(POSTGRES_INIT_SQL)
    owner = re.search(rf"CREATE DATABASE\s+{database}\s+OWNER\s+(\w+)", sql, re.I)
    assert owner and owner.group(1) == url.username

    # The role's password is read from the postgres container's environment, whose
    # default must be the password in the service's URL.
    meta = POSTGRES_INIT_SQL.read_text()
    role = re.search(rf"CREATE ROLE\s+{url.username}\s+LOGIN\s+PASSWORD\s+:'(\w+)'", meta, re.I)
    assert role, f"no CREATE ROLE {url.username} ... PASSWORD :'<variable>'"
    getenv = re.search(rf"^\\getenv\s+{role.group(1)}\s+(\w+)\s*$", meta, re.M)
    assert getenv, f"no \\getenv for {role.group(1)}"
    postgres_env = environment(services["postgres"])
    assert postgres_env[getenv.group(1)] == unquote(url.password or "")


# ------------------------------------------------------------------------------ RabbitMQ


@pytest.fixture(scope="module")
def definitions() -> dict[str, Any]:
    return json.loads(RABBITMQ_DEFINITIONS.read_text())


def test_rabbitmq_loads_the_mounted_definitions(services):
    conf = RABBITMQ_CONF.read_text()
    loaded = re.search(r"^load_definitions\s*=\s*(\S+)\s*$", conf, re.M)
    assert loaded
    mounts = [interpolate_defaults(str(v)) for v in services["rabbitmq"]["volumes"]]
    targets = {m.split(":")[1]: (ROOT / m.split(":")[0]).resolve() for m in mounts}
    assert targets.get(loaded.group(1)) == RABBITMQ_DEFINITIONS
    assert any(
        target.startswith("/etc/rabbitmq/conf.d/") and source == RABBITMQ_CONF
        for target, source in targets.items()
    )


def test_definitions_declare_users_and_permissions_but_no_topology(definitions):
    users = {u["name"] for u in definitions["users"]}
    assert set(APP_SERVICES) <= users
    assert {"/"} <= {v["name"] for v in definitions["vhosts"]}
    # Every service declares its own exchange and queues at start.
    for kind in ("queues", "exchanges", "bindings"):
        assert not definitions.get(kind), f"{kind} belong to the services' topology code"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_each_service_connects_as_its_own_broker_user_with_the_right_password(
    services, definitions, service
):
    url = urlsplit(environment(services[service])["ZROUTE_AMQP_URL"])
    assert url.username == service
    users = {u["name"]: u for u in definitions["users"]}
    assert rabbit_password_matches(users[service], unquote(url.password or "")), (
        f"the definitions' password for {service} is not the compose default"
    )
    assert "administrator" not in users[service].get("tags", [])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_broker_permissions_admit_the_services_own_objects_and_keys_only(
    services, definitions, service
):
    vhost = amqp_vhost(environment(services[service])["ZROUTE_AMQP_URL"])
    [perms] = [
        p for p in definitions["permissions"] if p["user"] == service and p["vhost"] == vhost
    ]
    # The names the runtime declares, under the default prefix (see zroute_runtime.topology).
    own = ServiceTopology.for_service(ServiceSettings(), service, bindings=())
    own_queues = [
        own.queue,
        own.dead_letter_queue,
        *(own.retry_queue(n) for n in range(1, own.max_retries + 1)),
    ]
    shared_exchanges = [own.exchange, own.dead_letter_exchange]
    needed = {
        # declare exchanges and queues
        "configure": [*shared_exchanges, *own_queues],
        # publish events and dead letters, retries through the default exchange, bind queues
        "write": [*shared_exchanges, "amq.default", *own_queues],
        # bind from the exchanges, consume, queues with a dead-letter exchange
        "read": [*shared_exchanges, *own_queues],
    }
    other_topologies = [
        ServiceTopology.for_service(ServiceSettings(), other, bindings=())
        for other in APP_SERVICES
        if other != service
    ]
    others = [name for t in other_topologies for name in (t.queue, t.dead_letter_queue)]
    for kind, names in needed.items():
        pattern = re.compile(perms[kind])
        for name in names:
            assert pattern.search(name), f"{service} needs {kind} on {name}"
        for name in others:
            assert not pattern.search(name), f"{service} must not {kind} {name}"

    [topic] = [
        t
        for t in definitions["topic_permissions"]
        if t["user"] == service and t["vhost"] == vhost and t["exchange"] == own.exchange
    ]
    may_publish = re.compile(topic["write"])
    assert may_publish.search(f"{service}.participant.registered")
    for other in APP_SERVICES:
        if other != service:
            assert not may_publish.search(f"{other}.participant.registered")


def _project(path: Path) -> dict[str, Any]:
    return tomllib.loads((path / "pyproject.toml").read_text())["project"]


def _workspace_needs(service: str) -> set[str]:
    """The shared packages a service needs, directly or through another shared package, as
    their source folders (``./shared/ui``)."""
    folders = {
        _project(p)["name"]: f"./shared/{p.name}"
        for p in (ROOT / "shared").iterdir()
        if (p / "pyproject.toml").exists()
    }
    needed: set[str] = set()
    todo = list(_project(ROOT / "services" / service)["dependencies"])
    while todo:
        name = re.split(r"[=<>\[ ;]", todo.pop(), maxsplit=1)[0]
        if name in folders and folders[name] not in needed:
            needed.add(folders[name])
            todo.extend(_project(ROOT / folders[name])["dependencies"])
    return needed


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_image_installs_every_shared_package_the_service_needs(service):
    """uv resolves a workspace package only from a path it is given: one left out of the
    install line would be looked for on PyPI and the image would not build."""
    install = re.search(r"uv pip install.*?\"\./services/", DOCKERFILE.read_text(), re.S).group(0)
    missing = sorted(f for f in _workspace_needs(service) if f not in install)
    assert not missing, f"deploy/Dockerfile does not install {missing} for {service}"


def test_the_image_serves_the_screens_assets_from_the_pinned_npm_packages():
    dockerfile = DOCKERFILE.read_text()
    assert "COPY shared/ui/package.json" in dockerfile
    assert "npm install --omit=dev --no-package-lock" in dockerfile
    assert "ZROUTE_UI_ASSETS_DIR=/opt/zroute-ui/node_modules" in dockerfile
    assert "COPY --from=ui-assets /ui/node_modules /opt/zroute-ui/node_modules" in dockerfile
