package allocator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Errors, worded as upstream's.
var (
	ErrFull       = errors.New("range is full")
	ErrAllocated  = errors.New("provided value is already allocated")
	ErrNotInRange = errors.New("provided value is not in the valid range")
)

// Backend is where the bitmap lives (storage.Resource of RangeAllocations).
type Backend interface {
	GuaranteedUpdate(ctx context.Context, key string, ignoreNotFound bool, tryUpdate func(current storage.Object) (storage.Object, error)) (storage.Object, error)
}

// bitmap is one range's allocations in etcd.
type bitmap struct {
	backend Backend
	key     string
	rangeID string // RangeAllocation.range: the CIDR or "30000-32767"
	size    int
	rand    func(n int) int
}

func newBitmap(backend Backend, key, rangeID string, size int) *bitmap {
	return &bitmap{backend: backend, key: key, rangeID: rangeID, size: size, rand: rand.IntN}
}

// allocate takes offset (or a random free one when offset < 0) and returns it.
func (b *bitmap) allocate(ctx context.Context, offset int) (int, error) {
	if offset >= b.size {
		return 0, ErrNotInRange
	}
	var got int
	_, err := b.backend.GuaranteedUpdate(ctx, b.key, true, func(cur storage.Object) (storage.Object, error) {
		ra, bits := b.read(cur)
		switch {
		case offset >= 0:
			if bits.Bit(offset) == 1 {
				return nil, ErrAllocated
			}
			got = offset
		default:
			free, ok := b.free(bits)
			if !ok {
				return nil, ErrFull
			}
			got = free
		}
		bits.SetBit(bits, got, 1)
		ra.Data = bits.Bytes()
		return ra, nil
	})
	if err != nil {
		return 0, fmt.Errorf("allocate in %s: %w", b.rangeID, err)
	}
	return got, nil
}

// release frees offset; releasing a free offset is not an error.
func (b *bitmap) release(ctx context.Context, offset int) error {
	if offset < 0 || offset >= b.size {
		return nil
	}
	_, err := b.backend.GuaranteedUpdate(ctx, b.key, true, func(cur storage.Object) (storage.Object, error) {
		ra, bits := b.read(cur)
		bits.SetBit(bits, offset, 0)
		ra.Data = bits.Bytes()
		return ra, nil
	})
	if err != nil {
		return fmt.Errorf("release in %s: %w", b.rangeID, err)
	}
	return nil
}

// has says whether offset is allocated.
func (b *bitmap) read(cur storage.Object) (*corev1.RangeAllocation, *big.Int) {
	ra, ok := cur.(*corev1.RangeAllocation)
	if !ok || ra == nil {
		ra = &corev1.RangeAllocation{ObjectMeta: metav1.ObjectMeta{Name: ""}, Range: b.rangeID}
	}
	ra.Range = b.rangeID
	return ra, new(big.Int).SetBytes(ra.Data)
}

// free picks a random free offset, scanning from a random start as
// upstream's random-scan strategy does.
func (b *bitmap) free(bits *big.Int) (int, bool) {
	start := b.rand(b.size)
	for i := 0; i < b.size; i++ {
		o := (start + i) % b.size
		if bits.Bit(o) == 0 {
			return o, true
		}
	}
	return 0, false
}
