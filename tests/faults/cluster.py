"""A three-node RabbitMQ cluster on this one machine, for the fault-injection script.

Each node has its own name (``zr1@localhost``...), AMQP port, distribution port, data
and log directories and configuration file, and runs as the ``rabbitmq`` user through
Debian's wrapper scripts (so the Erlang cookie is the one of the local service). Nodes 2
and 3 join node 1. Every queue the services declare afterwards is a quorum queue with a
replica on each node.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.faults.harness import log, sh


@dataclass
class Node:
    name: str
    amqp_port: int
    dist_port: int
    base: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_PID_FILE": str(self.base / "node.pid"),
            # Not /etc/rabbitmq/rabbitmq.conf: that one binds the local service's 5672.
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
        }

    def ctl(self, command: str) -> str:
        return f"rabbitmqctl -n {self.name} {command}"


class RabbitCluster:
    """Start, join, stop a node of, and remove a local three-node cluster."""

    def __init__(self, root: Path, *, first_port: int = 5681, size: int = 3) -> None:
        self.root = root
        self.nodes = [
            Node(
                f"zr{i + 1}@localhost", first_port + i, 20000 + first_port + i, root / f"zr{i + 1}"
            )
            for i in range(size)
        ]

    @property
    def amqp_urls(self) -> list[str]:
        return [f"amqp://guest:guest@127.0.0.1:{n.amqp_port}/" for n in self.nodes]

    async def _run(self, node: Node, command: str, timeout: float = 120) -> str:
        return await sh(f"{self._env(node)} {command}", timeout=timeout)

    async def start_node(self, node: Node) -> None:
        await self._run(node, "rabbitmq-server -detached")
        await self.await_node(node)

    async def await_node(self, node: Node, timeout: float = 120) -> None:
        """Until the node has booted (it registers with epmd a moment after -detached)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                await self._run(node, node.ctl("await_startup --timeout 60"), timeout=90)
                return
            except RuntimeError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(1)

    async def start(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        for node in self.nodes:
            (node.base / "mnesia").mkdir(parents=True)
            (node.base / "log").mkdir(parents=True)
            (node.base / "rabbitmq.conf").write_text(
                f"listeners.tcp.local = 127.0.0.1:{node.amqp_port}\nloopback_users.guest = true\n"
            )
            (node.base / "enabled_plugins").write_text("[].\n")
        await sh(f"chown -R rabbitmq:rabbitmq {self.root}")
        await sh(f"chmod 755 {self.root}")
        await asyncio.gather(*(self.start_node(node) for node in self.nodes))
        first = self.nodes[0]
        for node in self.nodes[1:]:
            await self._run(node, node.ctl("stop_app"))
            await self._run(node, node.ctl(f"join_cluster {first.name}"))
            await self._run(node, node.ctl("start_app"))
        status = await self._run(first, first.ctl("cluster_status --formatter json"))
        log(f"cluster up: {status.strip()[-300:]}")

    def _env(self, node: Node) -> str:
        return "env " + " ".join(f"{k}={v}" for k, v in node.env.items())

    def stop_command(self, index: int) -> str:
        """Stop the whole node (the Erlang VM), not just the RabbitMQ application."""
        return self.nodes[index].ctl("shutdown")

    def start_command(self, index: int) -> str:
        node = self.nodes[index]
        wait = f"{self._env(node)} {node.ctl('await_startup --timeout 60')}"
        return (
            f"{self._env(node)} rabbitmq-server -detached && "
            f"for i in $(seq 60); do {wait} >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1"
        )

    async def stop_node(self, index: int) -> None:
        node = self.nodes[index]
        await self._run(node, node.ctl("shutdown"))

    async def destroy(self) -> None:
        for node in self.nodes:
            try:
                await self._run(node, node.ctl("shutdown"), timeout=60)
            except Exception as exc:
                log(f"{node.name}: {exc}")
        if os.environ.get("ZROUTE_FAULTS_KEEP_CLUSTER") != "1":
            shutil.rmtree(self.root, ignore_errors=True)
