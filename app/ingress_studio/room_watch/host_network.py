"""Whether WebRTC can gather a candidate here: libwebrtc and aioice skip loopback addresses (FACTS §6)."""

from __future__ import annotations

import ipaddress

import ifaddr


def has_non_loopback_address() -> bool:
    """True when some interface has an address other than 127.x / ::1 (a link-local one counts)."""
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            address = ip.ip if isinstance(ip.ip, str) else ip.ip[0]  # IPv6 comes as (address, flow, scope)
            try:
                if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
                    return True
            except ValueError:
                continue
    return False
