package admission

import "context"

// MutationInterface is a plugin that may change the object (Admit runs
// before the object is validated).
type MutationInterface interface {
	Admit(ctx context.Context, a *Attributes) error
}

// ValidationInterface is a plugin that only accepts or refuses (Validate
// runs after the object is validated, right before it is stored).
type ValidationInterface interface {
	Validate(ctx context.Context, a *Attributes) error
}

// Plugin is an admission plugin: it says which operations it cares about
// and implements MutationInterface, ValidationInterface or both.
type Plugin interface {
	Handles(op Operation) bool
}

// Handler answers Handles for a fixed set of operations; plugins embed it.
type Handler struct {
	ops []Operation
}

// NewHandler handles ops.
func NewHandler(ops ...Operation) Handler { return Handler{ops: ops} }

// Handles says whether op is one of h's.
func (h Handler) Handles(op Operation) bool {
	for _, o := range h.ops {
		if o == op {
			return true
		}
	}
	return false
}
