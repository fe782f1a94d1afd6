package daemon

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Log formats accepted by --log-format.
const (
	LogFormatJSON = "json" // one JSON object a line, for journald and log shippers
	LogFormatText = "text" // zap's console encoder, for people at a terminal
)

// maxVerbosity bounds -v so that V(n) stays a valid zapcore.Level (an int8).
const maxVerbosity = 127

// LoggingOptions are the logging flags every binary shares. The json tags are
// upstream's LoggingConfiguration names, so a component config may embed them
// (the kubelet's config file has a "logging" section).
type LoggingOptions struct {
	// Format is LogFormatJSON (the default) or LogFormatText.
	Format string `json:"format"`
	// Verbosity is -v: 0 logs Info and above, 1 adds Debug, n adds V(n).
	Verbosity int `json:"verbosity"`
}

// NewLoggingOptions returns the defaults: JSON at verbosity 0.
func NewLoggingOptions() *LoggingOptions {
	return &LoggingOptions{Format: LogFormatJSON}
}

// AddFlags registers --log-format and -v/--v on fs.
func (o *LoggingOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Format, "log-format", o.Format,
		`Log format: "json" (one object a line) or "text" (for people).`)
	fs.IntVarP(&o.Verbosity, "v", "v", o.Verbosity,
		"Log verbosity: 0 logs info and above, 1 adds debug, higher numbers add more detail.")
}

// Validate reports a bad format or verbosity, naming the flag.
func (o *LoggingOptions) Validate() error {
	switch o.Format {
	case LogFormatJSON, LogFormatText:
	default:
		return fmt.Errorf("--log-format: unsupported value %q: must be %q or %q", o.Format, LogFormatJSON, LogFormatText)
	}
	if o.Verbosity < 0 || o.Verbosity > maxVerbosity {
		return fmt.Errorf("--v: invalid value %d: must be between 0 and %d", o.Verbosity, maxVerbosity)
	}
	return nil
}

// V returns the zap level of klog-style verbosity n: V(0) is Info, V(1) is
// Debug and V(n) for n > 1 is the level n steps below Info. A logger built
// with -v=N writes an entry at V(n) when n <= N:
//
//	logger.Log(daemon.V(4), "pod queued", zap.String("pod", key))
//	if ce := logger.Check(daemon.V(5), "cache dump"); ce != nil { ce.Write(fields...) }
func V(n int) zapcore.Level {
	return zapcore.Level(-n)
}

// Build returns a logger named component writing to stderr.
func (o *LoggingOptions) Build(component string) (*zap.Logger, error) {
	return o.BuildTo(os.Stderr, component)
}

// BuildTo returns a logger named component writing to w, in o's format, at
// o's verbosity, with callers and stack traces from DPanic up.
func (o *LoggingOptions) BuildTo(w io.Writer, component string) (*zap.Logger, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	enc := zapcore.EncoderConfig{
		TimeKey:        "ts",
		LevelKey:       "level",
		NameKey:        "logger",
		CallerKey:      "caller",
		MessageKey:     "msg",
		StacktraceKey:  "stacktrace",
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeTime:     zapcore.ISO8601TimeEncoder,
		EncodeDuration: zapcore.StringDurationEncoder,
		EncodeCaller:   zapcore.ShortCallerEncoder,
		EncodeName:     zapcore.FullNameEncoder,
	}
	var encoder zapcore.Encoder
	if o.Format == LogFormatText {
		enc.EncodeLevel = levelEncoder(true)
		encoder = zapcore.NewConsoleEncoder(enc)
	} else {
		enc.EncodeLevel = levelEncoder(false)
		encoder = zapcore.NewJSONEncoder(enc)
	}
	core := zapcore.NewCore(encoder, zapcore.Lock(zapcore.AddSync(w)), V(o.Verbosity))
	return zap.New(core, zap.AddCaller(), zap.AddStacktrace(zapcore.DPanicLevel)).Named(component), nil
}

// levelEncoder names zap's levels as usual and the levels below Debug "v2",
// "v3", … (upper case in text), so a reader sees which V(n) wrote the entry.
func levelEncoder(upper bool) zapcore.LevelEncoder {
	return func(l zapcore.Level, pae zapcore.PrimitiveArrayEncoder) {
		if l >= zapcore.DebugLevel {
			if upper {
				pae.AppendString(l.CapitalString())
			} else {
				pae.AppendString(l.String())
			}
			return
		}
		name := "v" + strconv.Itoa(-int(l))
		if upper {
			name = "V" + strconv.Itoa(-int(l))
		}
		pae.AppendString(name)
	}
}
