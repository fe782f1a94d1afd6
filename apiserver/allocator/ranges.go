package allocator

import (
	"context"
	"fmt"
	"math/big"
	"net"
)

// Upstream's keys, under --etcd-prefix/ranges/.
const (
	ServiceIPsKey       = "serviceips"
	ServiceNodePortsKey = "servicenodeports"
)

// IPs allocates addresses of a CIDR: every address but the network address
// (and, for IPv4, the broadcast address), as upstream.
type IPs struct {
	cidr *net.IPNet
	base *big.Int // the first allocatable address
	bits *bitmap
}

// NewIPs returns the allocator of cidr kept at key in backend (whose keys
// are the range names, e.g. storage.Resource("ranges", …).Key("", key)).
func NewIPs(backend Backend, key string, cidr *net.IPNet) (*IPs, error) {
	ones, total := cidr.Mask.Size()
	hostBits := total - ones
	if hostBits > 20 {
		hostBits = 20 // upstream caps bitmap ranges at 2^20 addresses
	}
	size := 1 << hostBits
	if size <= 2 {
		return nil, fmt.Errorf("service IP range %s is too small", cidr)
	}
	size -= 1 // the network address
	if cidr.IP.To4() != nil && total-ones == hostBits {
		size-- // the broadcast address
	}
	base := new(big.Int).Add(ipToInt(cidr.IP), big.NewInt(1))
	return &IPs{cidr: cidr, base: base, bits: newBitmap(backend, key, cidr.String(), size)}, nil
}

// CIDR is the range.
func (a *IPs) CIDR() *net.IPNet { return a.cidr }

// Allocate reserves ip, or any free address when ip is nil.
func (a *IPs) Allocate(ctx context.Context, ip net.IP) (net.IP, error) {
	offset := -1
	if ip != nil {
		o, ok := a.offset(ip)
		if !ok {
			return nil, ErrNotInRange
		}
		offset = o
	}
	o, err := a.bits.allocate(ctx, offset)
	if err != nil {
		return nil, err
	}
	return a.ipAt(o), nil
}

// Release frees ip; an address outside the range is ignored.
func (a *IPs) Release(ctx context.Context, ip net.IP) error {
	o, ok := a.offset(ip)
	if !ok {
		return nil
	}
	return a.bits.release(ctx, o)
}

// First is the range's first address (the kubernetes Service's).
func (a *IPs) First() net.IP { return a.ipAt(0) }

func (a *IPs) offset(ip net.IP) (int, bool) {
	if !a.cidr.Contains(ip) {
		return 0, false
	}
	d := new(big.Int).Sub(ipToInt(ip), a.base)
	if d.Sign() < 0 || !d.IsInt64() || d.Int64() >= int64(a.bits.size) {
		return 0, false
	}
	return int(d.Int64()), true
}

func (a *IPs) ipAt(offset int) net.IP {
	n := new(big.Int).Add(a.base, big.NewInt(int64(offset)))
	return intToIP(n, len(a.cidr.IP))
}

func ipToInt(ip net.IP) *big.Int {
	if v4 := ip.To4(); v4 != nil {
		return new(big.Int).SetBytes(v4)
	}
	return new(big.Int).SetBytes(ip.To16())
}

func intToIP(n *big.Int, length int) net.IP {
	if length == net.IPv4len {
		b := n.Bytes()
		ip := make(net.IP, net.IPv4len)
		copy(ip[net.IPv4len-len(b):], b)
		return ip
	}
	b := n.Bytes()
	ip := make(net.IP, net.IPv6len)
	copy(ip[net.IPv6len-len(b):], b)
	return ip
}

// Ports allocates node ports of base..base+size-1.
type Ports struct {
	base int
	bits *bitmap
}

// NewPorts returns the allocator of the port range kept at key.
func NewPorts(backend Backend, key string, base, size int) *Ports {
	return &Ports{base: base, bits: newBitmap(backend, key, fmt.Sprintf("%d-%d", base, base+size-1), size)}
}

// Allocate reserves port, or any free one when port is 0.
func (a *Ports) Allocate(ctx context.Context, port int) (int, error) {
	offset := -1
	if port != 0 {
		offset = port - a.base
		if offset < 0 {
			return 0, ErrNotInRange
		}
	}
	o, err := a.bits.allocate(ctx, offset)
	if err != nil {
		return 0, err
	}
	return a.base + o, nil
}

// Release frees port.
func (a *Ports) Release(ctx context.Context, port int) error {
	return a.bits.release(ctx, port-a.base)
}

// Contains says whether port is in the range.
func (a *Ports) Contains(port int) bool { return port >= a.base && port < a.base+a.bits.size }
