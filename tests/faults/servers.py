"""The fault suite's own PostgreSQL and RabbitMQ, so that restarting them disturbs nobody.

* :class:`OwnPostgres`: a cluster made with ``initdb`` in a temporary folder, listening
  on a free port of 127.0.0.1 with trust authentication, started, restarted and removed
  with ``pg_ctl``. The binaries are those of PostgreSQL 15 (``ZROUTE_FAULTS_PG_BIN``,
  default ``/usr/lib/postgresql/15/bin``).
* :class:`OwnRabbit`: one RabbitMQ node with its own node name (``zrf<hex>@localhost``),
  AMQP and distribution ports, data, log and configuration, started with
  ``rabbitmq-server -detached`` as the three-node cluster does (``cluster.py``).

As root, both run as their own system users (``postgres``, ``rabbitmq``), as the Debian
packages do; otherwise as the current user. A missing binary is an error that says what
to install, never a skip.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.helpers import free_port

PG_BIN = Path(os.environ.get("ZROUTE_FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as(user: str) -> str:
    return f"runuser -u {user} -- " if os.geteuid() == 0 else ""


def _run(command: str, timeout: float = 180) -> str:
    done = subprocess.run(
        command, shell=True, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"`{command}` exited {done.returncode}: {done.stdout}{done.stderr}")
    return done.stdout


def server_root(kind: str) -> Path:
    """A fresh folder the server's own user can reach (pytest's are private to root)."""
    root = Path(tempfile.mkdtemp(prefix=f"zroute-faults-{kind}-"))
    os.chmod(root, 0o755)
    return root


def _own(path: Path, user: str) -> None:
    if os.geteuid() == 0:
        _run(f"chown -R {user}:{user} {shlex.quote(str(path))}")


class OwnPostgres:
    """A throw-away PostgreSQL 15 cluster for one fault run."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or server_root("postgres")
        self.data = self.root / "data"
        self.port = free_port()
        self.log = self.root / "postgres.log"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, action: str) -> str:
        return (
            f"{_as('postgres')}{PG_BIN / 'pg_ctl'} -D {shlex.quote(str(self.data))} "
            f"-l {shlex.quote(str(self.log))} -w -t 120 -m fast {action}"
        )

    @property
    def restart_command(self) -> str:
        return self._ctl("restart")

    def start(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"no initdb in {PG_BIN}: install PostgreSQL 15 (apt-get install postgresql-15) "
                "or point ZROUTE_FAULTS_PG_BIN at its binaries"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        _own(self.root, "postgres")
        _run(
            f"{_as('postgres')}{PG_BIN / 'initdb'} -D {shlex.quote(str(self.data))} "
            "-U postgres -A trust -E UTF8 --no-sync"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nmax_connections = 200\n"
                # A throw-away cluster: no need to survive a power cut, only restarts.
                "fsync = off\n"
            )
        _run(self._ctl("start"))

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _run(self._ctl("stop"))
        shutil.rmtree(self.root, ignore_errors=True)


class OwnRabbit:
    """One RabbitMQ node of our own, beside (never instead of) the machine's."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or server_root("rabbit")
        self.name = f"zrf{uuid.uuid4().hex[:8]}@localhost"
        self.amqp_port = free_port()
        self.dist_port = free_port()

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def env(self) -> str:
        values = {
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.root / "log"),
            "RABBITMQ_PID_FILE": str(self.root / "node.pid"),
            # Not /etc/rabbitmq/rabbitmq.conf: that one binds the machine's 5672.
            "RABBITMQ_CONFIG_FILE": str(self.root / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
        }
        return "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in values.items())

    @property
    def ctl(self) -> str:
        """``rabbitmqctl`` aimed at this node (a small script in the node's folder)."""
        return str(self.root / "rabbitmqctl")

    @property
    def stop_command(self) -> str:
        return f"{self.ctl} stop_app"

    @property
    def start_command(self) -> str:
        return f"{self.ctl} start_app && {self.ctl} await_startup --timeout 60"

    def start(self) -> None:
        if shutil.which("rabbitmq-server") is None:
            raise RuntimeError("no rabbitmq-server on PATH: install rabbitmq-server (3.10+)")
        (self.root / "mnesia").mkdir(parents=True, exist_ok=True)
        (self.root / "log").mkdir(parents=True, exist_ok=True)
        (self.root / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}\nloopback_users.guest = true\n"
        )
        (self.root / "enabled_plugins").write_text("[].\n")
        ctl = Path(self.ctl)
        ctl.write_text(f'#!/bin/sh\nexec {self.env} rabbitmqctl -n {self.name} "$@"\n')
        ctl.chmod(0o755)
        os.chmod(self.root, 0o755)
        _own(self.root, "rabbitmq")
        _run(f"{self.env} rabbitmq-server -detached")
        deadline = time.monotonic() + 180
        while True:  # the node registers with epmd a moment after -detached
            try:
                _run(f"{self.ctl} await_startup --timeout 60", timeout=90)
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def stop(self) -> None:
        try:
            _run(f"{self.ctl} shutdown", timeout=120)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
