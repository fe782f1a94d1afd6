package daemon

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
)

func TestLoggingFlags(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantFormat string
		wantV      int
		wantErr    string
	}{
		{name: "defaults", wantFormat: "json"},
		{name: "text and long v", args: []string{"--log-format=text", "--v=3"}, wantFormat: "text", wantV: 3},
		{name: "short v", args: []string{"-v", "5"}, wantFormat: "json", wantV: 5},
		{name: "bad format", args: []string{"--log-format=xml"}, wantErr: "--log-format"},
		{name: "negative v", args: []string{"--v=-1"}, wantErr: "--v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewLoggingOptions()
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			o.AddFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := o.Validate()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Validate() = %v, want error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Format != tt.wantFormat || o.Verbosity != tt.wantV {
				t.Errorf("got format %q v %d, want %q v %d", o.Format, o.Verbosity, tt.wantFormat, tt.wantV)
			}
		})
	}
}

func TestLoggerVerbosity(t *testing.T) {
	tests := []struct {
		verbosity int
		want      []string // messages written, in order
	}{
		{verbosity: 0, want: []string{"info", "warn"}},
		{verbosity: 1, want: []string{"info", "warn", "debug"}},
		{verbosity: 3, want: []string{"info", "warn", "debug", "v2", "v3"}},
	}
	for _, tt := range tests {
		t.Run("v="+string(rune('0'+tt.verbosity)), func(t *testing.T) {
			var buf bytes.Buffer
			o := &LoggingOptions{Format: LogFormatJSON, Verbosity: tt.verbosity}
			logger, err := o.BuildTo(&buf, "kube-scheduler")
			if err != nil {
				t.Fatal(err)
			}
			logger.Info("info")
			logger.Warn("warn")
			logger.Debug("debug")
			for n := 2; n <= 4; n++ {
				logger.Log(V(n), "v"+string(rune('0'+n)))
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var entry map[string]any
				if err := json.Unmarshal([]byte(line), &entry); err != nil {
					t.Fatalf("line %q is not JSON: %v", line, err)
				}
				if entry["logger"] != "kube-scheduler" {
					t.Errorf("logger = %v, want kube-scheduler", entry["logger"])
				}
				if entry["msg"] != entry["level"] {
					t.Errorf("entry %q has level %v", entry["msg"], entry["level"])
				}
				got = append(got, entry["msg"].(string))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("written %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLoggerTextFormat(t *testing.T) {
	var buf bytes.Buffer
	o := &LoggingOptions{Format: LogFormatText, Verbosity: 2}
	logger, err := o.BuildTo(&buf, "kubelet")
	if err != nil {
		t.Fatal(err)
	}
	logger.Named("pleg").Log(V(2), "relisting", zap.Int("pods", 3))
	line := buf.String()
	if json.Valid([]byte(line)) {
		t.Fatalf("text format wrote JSON: %s", line)
	}
	for _, want := range []string{"V2", "kubelet.pleg", "relisting", `{"pods": 3}`} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
}
