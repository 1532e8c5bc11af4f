"""Broker accounts for partners and integrators: each reads only what is meant for it.

A subscriber (a partner's own system, or an integrator such as a municipality's case
system or a dashboard) gets a RabbitMQ user of its own that may

* declare, bind and consume queues named ``<prefix>-sub.<user>.*`` and nothing else;
* bind them to the events exchange only with routing keys its *topic permission* admits:
  the public event keys it was granted, and the addressed keys that end in its own
  partner id. RabbitMQ checks the binding key against that pattern, so a wildcard
  binding (``#``, ``support.referral.requested.*``) or another partner's key is refused
  by the broker itself (``ACCESS_REFUSED``);
* publish nothing on the events exchange.

A subscriber limited to some municipalities (``municipalities``) reads the public events
only from ``<exchange>.by-municipality``, with a topic permission admitting
``<GM code>.<public key>`` for its own municipalities; on the events exchange it keeps only
its own addressed keys. The broker then keeps a partner serving GM0363 from GM0599's
``intake-completed``.

:func:`permissions_for` computes the patterns (pure, tested); :func:`grant_with_rabbitmqctl`
applies them on a broker this machine administers (for a remote or managed broker,
apply the same four values through its management API or definitions file; see
docs/integrators.md).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from zroute_contract.events.base import event_types

from zroute_runtime.topology import municipal_exchange

USER_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


@dataclass(frozen=True)
class SubscriberPermissions:
    """The values of ``set_permissions`` and ``set_topic_permissions`` for one user."""

    user: str
    vhost: str
    configure: str
    write: str
    read: str
    exchange: str
    topic_write: str
    topic_read: str
    queue_prefix: str
    municipal_exchange: str | None = None
    municipal_topic_read: str = "^$"


def public_routing_keys() -> list[str]:
    """Routing keys of every event not addressed to one partner."""
    return sorted({c.spec.routing_key for c in event_types().values() if not c.spec.addressed_by})


def addressed_routing_keys() -> list[str]:
    """Routing keys (without the partner suffix) of events addressed to one partner."""
    return sorted({c.spec.routing_key for c in event_types().values() if c.spec.addressed_by})


def permissions_for(
    user: str,
    *,
    partner_id: str | None = None,
    public_keys: Iterable[str] | None = None,
    prefix: str = "zroute",
    exchange: str = "events",
    vhost: str = "/",
    municipalities: Iterable[str] | None = None,
) -> SubscriberPermissions:
    """Permissions of subscriber ``user``.

    ``public_keys`` defaults to every public event; pass fewer to narrow an integrator.
    ``partner_id`` adds the events addressed to that partner (and only to it).
    ``municipalities`` moves the public events to the per-municipality exchange, for
    those municipalities only.
    """
    if not USER_PATTERN.match(user):
        raise ValueError("user names are lowercase letters, digits and dashes")
    keys = sorted(set(public_routing_keys() if public_keys is None else public_keys))
    unknown = set(keys) - set(public_routing_keys())
    if unknown:
        raise ValueError(f"not public routing keys: {sorted(unknown)}")
    codes = sorted(set(municipalities or ()))
    if any(not re.fullmatch(r"GM[0-9]{4}", c) for c in codes):
        raise ValueError("municipalities are CBS codes such as GM0363")
    public = [re.escape(k) for k in keys]
    alternatives = [] if codes else list(public)
    if partner_id is not None:
        alternatives += [
            f"{re.escape(k)}\\.{re.escape(partner_id)}" for k in addressed_routing_keys()
        ]
    queue_prefix = f"{prefix}-sub.{user}."
    own_queues = f"^{re.escape(queue_prefix)}.*$"
    exchange_name = f"{prefix}.{exchange}"
    municipal = municipal_exchange(exchange_name) if codes else None
    readable = [re.escape(exchange_name)] + ([re.escape(municipal)] if municipal else [])
    return SubscriberPermissions(
        user=user,
        vhost=vhost,
        configure=own_queues,
        write=own_queues,
        read=f"^({'|'.join(readable)}|{re.escape(queue_prefix)}.*)$",
        exchange=exchange_name,
        topic_write="^$",
        topic_read="^(" + "|".join(alternatives) + ")$" if alternatives else "^$",
        queue_prefix=queue_prefix,
        municipal_exchange=municipal,
        municipal_topic_read=(
            f"^({'|'.join(codes)})\\.({'|'.join(public)})$" if municipal and public else "^$"
        ),
    )


def grant_with_rabbitmqctl(permissions: SubscriberPermissions, password: str) -> None:
    """Create (or update) the user on the local broker with ``rabbitmqctl``."""

    def ctl(*args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True)

    existing = subprocess.run(
        ["rabbitmqctl", "-q", "list_users"], check=True, capture_output=True, text=True
    ).stdout.split()
    if permissions.user in existing:
        ctl("change_password", permissions.user, password)
    else:
        ctl("add_user", permissions.user, password)
    ctl(
        "set_permissions",
        "-p",
        permissions.vhost,
        permissions.user,
        permissions.configure,
        permissions.write,
        permissions.read,
    )
    ctl(
        "set_topic_permissions",
        "-p",
        permissions.vhost,
        permissions.user,
        permissions.exchange,
        permissions.topic_write,
        permissions.topic_read,
    )
    if permissions.municipal_exchange is not None:
        ctl(
            "set_topic_permissions",
            "-p",
            permissions.vhost,
            permissions.user,
            permissions.municipal_exchange,
            "^$",
            permissions.municipal_topic_read,
        )


def revoke_with_rabbitmqctl(user: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_user", user], check=False, capture_output=True)
