// Package allocator hands out Service cluster IPs and node ports so that no
// two Services get the same one, even with several apiservers: each range
// is a bitmap kept in etcd as a core/v1 RangeAllocation (upstream's keys
// /registry/ranges/serviceips and /registry/ranges/servicenodeports), and
// every allocation or release is a compare-and-swap of it.
package allocator
