package authentication

import "strings"

// aggregate joins errors the way upstream's utilerrors.Aggregate prints
// them (one: its message; several: "[a, b]", repeated messages once), since
// that text reaches clients in TokenReview's status.error.
type aggregate []error

func joinErrors(errs []error) error {
	var agg aggregate
	for _, e := range errs {
		if e != nil {
			agg = append(agg, e)
		}
	}
	if len(agg) == 0 {
		return nil
	}
	return agg
}

func (a aggregate) Error() string {
	if len(a) == 1 {
		return a[0].Error()
	}
	seen := map[string]bool{}
	var msgs []string
	for _, e := range a {
		if m := e.Error(); !seen[m] {
			seen[m] = true
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// Unwrap lets errors.Is and errors.As see the joined errors.
func (a aggregate) Unwrap() []error { return a }
