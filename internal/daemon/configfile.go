package daemon

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// Validator is implemented by a component's typed config. LoadConfig calls
// Validate last; its errors should name the bad field by its path in the
// file, as k8s.io/apimachinery/pkg/util/validation/field errors do:
//
//	leaderElection.leaseDuration: Invalid value: "-1s": must be greater than zero
type Validator interface {
	Validate() error
}

// LoadConfig fills into, a pointer to a component's config struct that
// already holds its defaults and whose fields the component's flags are bound
// to. Later sources win:
//
//  1. defaults (what into held, including the flags' default values);
//  2. the YAML file at path, if path is not empty;
//  3. environment variables: envPrefix followed by the field's path in the
//     file, json names joined with "_", upper case — for envPrefix
//     "KUBE_SCHEDULER_", leaderElection.leaseDuration is read from
//     KUBE_SCHEDULER_LEADERELECTION_LEASEDURATION. A value is taken as a
//     string when the field accepts one ("15s", "leases"), else as YAML
//     ("true", "3", "[a, b]"). Unknown variables with the prefix are ignored;
//  4. flags of fs that were set on the command line (fs may be nil).
//
// Fields are matched by their json tags, case-sensitively. An unknown field in
// the file is an error naming its path (`unknown field "leaderElection.foo"`),
// so is a value of the wrong type; if into implements Validator, Validate runs
// last and its error is returned.
//
// Flags bound to into are restored by setting their command-line value again:
// slice flags are replaced, map flags (stringToString, …) merge over the
// file's map key by key, and any other flag.Value must round-trip through
// String and Set.
func LoadConfig(path, envPrefix string, into any, fs *pflag.FlagSet) error {
	rv := reflect.ValueOf(into)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("load config: want a non-nil pointer to a struct, got %T", into)
	}
	flags := snapshotFlags(fs)
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read config file: %w", err)
		}
		if err := decodeYAML(data, rv.Elem()); err != nil {
			return fmt.Errorf("config file %s: %w", path, err)
		}
	}
	if envPrefix != "" {
		if err := applyEnv(envPrefix, rv.Elem()); err != nil {
			return err
		}
	}
	if err := flags.restore(); err != nil {
		return err
	}
	if v, ok := into.(Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("invalid configuration: %w", err)
		}
	}
	return nil
}

// savedFlag is a flag set on the command line and its value before the file
// and environment were applied.
type savedFlag struct {
	flag  *pflag.Flag
	text  string
	slice []string
}

type flagSnapshot []savedFlag

func snapshotFlags(fs *pflag.FlagSet) flagSnapshot {
	if fs == nil {
		return nil
	}
	var out flagSnapshot
	fs.Visit(func(f *pflag.Flag) { // Visit sees only the flags that were set
		s := savedFlag{flag: f}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			s.slice = slices.Clone(sv.GetSlice())
		} else {
			s.text = f.Value.String()
		}
		out = append(out, s)
	})
	return out
}

func (s flagSnapshot) restore() error {
	for _, saved := range s {
		f := saved.flag
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			if err := sv.Replace(saved.slice); err != nil {
				return fmt.Errorf("flag --%s: %w", f.Name, err)
			}
			continue
		}
		text := saved.text
		if strings.HasPrefix(f.Value.Type(), "stringTo") { // pflag's maps print as [k=v,…]
			text = strings.TrimSuffix(strings.TrimPrefix(text, "["), "]")
		}
		if err := f.Value.Set(text); err != nil {
			return fmt.Errorf("flag --%s: %w", f.Name, err)
		}
	}
	return nil
}
