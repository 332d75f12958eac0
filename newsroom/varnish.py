"""The VCL of the Varnish tier, rendered for one deployment.

`deploy/varnish/newsroom.vcl` is a template: the backend's address and the purge
ACL are filled in here, from arguments or the environment (VARNISH_BACKEND,
VARNISH_PURGE_ACL), by `make serve-cache` and by the tests:

    python -m newsroom.varnish --backend 127.0.0.1:8000 \\
        --purge-acl "127.0.0.1 ::1 10.0.0.0/8" > newsroom.vcl
"""

import argparse
import ipaddress
import os
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "varnish" / "newsroom.vcl"
DEFAULT_BACKEND = "127.0.0.1:8000"
DEFAULT_PURGE_ACL = "127.0.0.1 ::1"


def render(backend: str = DEFAULT_BACKEND, purge_acl: str = DEFAULT_PURGE_ACL) -> str:
    """The VCL for a backend ("host:port") and the addresses or networks that may
    purge (space- or comma-separated: "127.0.0.1 10.0.0.0/8")."""
    host, _, port = backend.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"The backend is host:port, not {backend!r}")
    host = host.strip("[]")
    entries = []
    for item in purge_acl.replace(",", " ").split():
        network = ipaddress.ip_network(item, strict=False)  # ValueError if not one
        address, prefix = str(network.network_address), network.prefixlen
        full = 32 if network.version == 4 else 128
        entries.append(
            f'    "{address}";' if prefix == full else f'    "{address}"/{prefix};'
        )
    if not entries:
        raise ValueError("The purge ACL needs at least one address")
    vcl = string.Template(TEMPLATE.read_text()).safe_substitute(
        backend_host=host, backend_port=port, purge_acl="\n".join(entries)
    )
    return vcl


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend", default=os.environ.get("VARNISH_BACKEND") or DEFAULT_BACKEND
    )
    parser.add_argument(
        "--purge-acl",
        default=os.environ.get("VARNISH_PURGE_ACL") or DEFAULT_PURGE_ACL,
    )
    arguments = parser.parse_args(argv)
    sys.stdout.write(render(arguments.backend, arguments.purge_acl))


if __name__ == "__main__":
    main()
