package store

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is returned (wrapped) by an [HTTPStore] that refused
// to connect to an address outside the public internet: loopback, private,
// link-local (including the 169.254.169.254 cloud metadata service),
// unspecified, multicast, shared (CGNAT) and other special-purpose ranges.
// See [AllowPrivateNetworks] and [AllowAddresses].
var ErrForbiddenAddress = errors.New("store: forbidden address")

// forbiddenPrefixes are the ranges an [HTTPStore] refuses to connect to
// unless told otherwise. IPv4-mapped IPv6 addresses are unmapped before the
// check, and the IPv4 addresses embedded in NAT64 and 6to4 addresses are
// checked as well, so no IPv6 spelling reaches a forbidden IPv4 host.
// Everything else (global unicast) is allowed.
var forbiddenPrefixes = []netip.Prefix{
	// IPv4 (RFC 6890 and its updates).
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network", incl. 0.0.0.0
	netip.MustParsePrefix("10.0.0.0/8"),      // private (RFC 1918)
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space, CGNAT (RFC 6598)
	netip.MustParsePrefix("127.0.0.0/8"),     // loopback
	netip.MustParsePrefix("169.254.0.0/16"),  // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),   // private (RFC 1918)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation (TEST-NET-1)
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast
	netip.MustParsePrefix("192.168.0.0/16"),  // private (RFC 1918)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation (TEST-NET-3)
	netip.MustParsePrefix("224.0.0.0/4"),     // multicast
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, incl. broadcast
	netip.MustParsePrefix("::/96"),           // unspecified, loopback, IPv4-compatible
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64 (RFC 8215)
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/32"),       // Teredo
	netip.MustParsePrefix("2001:2::/48"),     // benchmarking
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("3fff::/20"),       // documentation (RFC 9637)
	netip.MustParsePrefix("fc00::/7"),        // unique local
	netip.MustParsePrefix("fe80::/10"),       // link-local
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
	netip.MustParsePrefix("ff00::/8"),        // multicast
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated (RFC 2765)
	netip.MustParsePrefix("2002::/16"),       // 6to4 (deprecated; embeds any IPv4)
}

// nat64 is the well-known NAT64 prefix (RFC 6052): its addresses lead to
// the IPv4 address in their last 32 bits, which is checked in their place.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// addrGuard decides which resolved addresses an HTTPStore may connect to.
// It is immutable once built, so it is safe for concurrent use.
type addrGuard struct {
	allowAll bool           // AllowPrivateNetworks(true)
	allow    []netip.Prefix // AllowAddresses: exceptions to the forbidden ranges
}

// control is a [net.Dialer] Control function: it runs after the socket is
// created and before it connects, with the resolved address, so a refusal
// here means no packet was ever sent to that address. Checking the resolved
// address (rather than the host name in the URL) also covers DNS names
// that resolve to internal addresses, DNS rebinding and redirects.
func (g *addrGuard) control(network, address string, _ syscall.RawConn) error {
	if g.allowAll {
		return nil
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %q", ErrForbiddenAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrForbiddenAddress, address)
	}
	if !g.allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}

// allowed reports whether a connection to addr is permitted.
func (g *addrGuard) allowed(addr netip.Addr) bool {
	if g.allowAll {
		return true
	}
	addr = addr.WithZone("") // Prefix.Contains never matches a zoned address
	for _, p := range g.allow {
		if p.Contains(addr) || p.Contains(addr.Unmap()) {
			return true
		}
	}
	return isPublic(addr)
}

// isPublic reports whether addr lies outside every forbidden range, after
// unmapping IPv4-mapped addresses and looking through NAT64.
func isPublic(addr netip.Addr) bool {
	addr = addr.WithZone("").Unmap()
	if !addr.IsValid() {
		return false
	}
	if nat64.Contains(addr) {
		b := addr.As16()
		return isPublic(netip.AddrFrom4([4]byte(b[12:16])))
	}
	for _, p := range forbiddenPrefixes {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}
