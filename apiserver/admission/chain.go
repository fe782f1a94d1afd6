package admission

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// NamedPlugin is a plugin with the name it was enabled by.
type NamedPlugin struct {
	Name   string
	Plugin Plugin
}

// Chain runs plugins in order. Admit runs every mutating plugin that
// handles the operation, Validate every validating one; the first error
// stops the chain and is the answer. A nil *Chain admits everything.
type Chain struct {
	plugins []NamedPlugin
	metrics *Metrics
	now     func() time.Time
}

// Option configures a Chain.
type Option func(*Chain)

// WithMetrics records upstream's admission step and controller latencies
// in m.
func WithMetrics(m *Metrics) Option { return func(c *Chain) { c.metrics = m } }

// NewChain returns the chain of plugins, run in the given order.
func NewChain(plugins []NamedPlugin, opts ...Option) *Chain {
	c := &Chain{plugins: append([]NamedPlugin(nil), plugins...), now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Names are the chain's plugins in order.
func (c *Chain) Names() []string {
	if c == nil {
		return nil
	}
	names := make([]string, len(c.plugins))
	for i, p := range c.plugins {
		names[i] = p.Name
	}
	return names
}

// Handles says whether any plugin handles op.
func (c *Chain) Handles(op Operation) bool {
	if c == nil {
		return false
	}
	for _, p := range c.plugins {
		if p.Plugin.Handles(op) {
			return true
		}
	}
	return false
}

// Admit runs the mutating plugins on a; they may change a.Object.
func (c *Chain) Admit(ctx context.Context, a *Attributes) error {
	return c.run(ctx, a, stepAdmit)
}

// Validate runs the validating plugins on a.
func (c *Chain) Validate(ctx context.Context, a *Attributes) error {
	return c.run(ctx, a, stepValidate)
}

func (c *Chain) run(ctx context.Context, a *Attributes, step string) error {
	if c == nil || !c.Handles(a.Operation) {
		return nil
	}
	start := c.now()
	err := c.runPlugins(ctx, a, step)
	c.metrics.observeStep(step, a.Operation, err != nil, c.now().Sub(start))
	return err
}

func (c *Chain) runPlugins(ctx context.Context, a *Attributes, step string) error {
	for _, p := range c.plugins {
		if !p.Plugin.Handles(a.Operation) {
			continue
		}
		var call func() error
		switch step {
		case stepAdmit:
			m, ok := p.Plugin.(MutationInterface)
			if !ok {
				continue
			}
			call = func() error { return m.Admit(ctx, a) }
		default:
			v, ok := p.Plugin.(ValidationInterface)
			if !ok {
				continue
			}
			call = func() error { return v.Validate(ctx, a) }
		}
		start := c.now()
		err := call()
		c.metrics.observeController(p.Name, step, a.Operation, err != nil, c.now().Sub(start))
		if err != nil {
			return err
		}
	}
	return nil
}

// ValidateFunc adapts the chain to the registry's WriteOptions.Validate:
// the returned function runs Validate on base.WithObjects(obj, old) (obj
// is nil on delete, old on create).
func (c *Chain) ValidateFunc(base Attributes) func(ctx context.Context, obj, old storage.Object) error {
	return func(ctx context.Context, obj, old storage.Object) error {
		var o, p runtime.Object
		if obj != nil {
			o = obj
		}
		if old != nil {
			p = old
		}
		return c.Validate(ctx, base.WithObjects(o, p))
	}
}
