package daemon

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

type testLeaderElection struct {
	LeaderElect   bool            `json:"leaderElect"`
	LeaseDuration metav1.Duration `json:"leaseDuration"`
	ResourceName  string          `json:"resourceName"`
}

type testProfile struct {
	SchedulerName string   `json:"schedulerName"`
	Plugins       []string `json:"plugins"`
}

type testClient struct {
	QPS   float32 `json:"qps"`
	Burst int32   `json:"burst"`
}

type testConfig struct {
	metav1.TypeMeta `json:",inline"`
	LeaderElection  testLeaderElection `json:"leaderElection"`
	Parallelism     int32              `json:"parallelism"`
	FeatureGates    map[string]bool    `json:"featureGates"`
	Profiles        []testProfile      `json:"profiles"`
	Client          *testClient        `json:"clientConnection"`
	Names           []string           `json:"names"`
	Labels          map[string]string  `json:"labels"`
}

func (c *testConfig) Validate() error {
	var errs field.ErrorList
	p := field.NewPath("leaderElection", "leaseDuration")
	if d := c.LeaderElection.LeaseDuration.Duration; d <= 0 {
		errs = append(errs, field.Invalid(p, d.String(), "must be greater than zero"))
	}
	return errs.ToAggregate()
}

func defaultTestConfig() *testConfig {
	return &testConfig{
		TypeMeta:       metav1.TypeMeta{Kind: "KubeSchedulerConfiguration"},
		LeaderElection: testLeaderElection{LeaderElect: true, LeaseDuration: metav1.Duration{Duration: 15 * time.Second}, ResourceName: "kube-scheduler"},
		Parallelism:    16,
		FeatureGates:   map[string]bool{"Default": true},
		Names:          []string{"default"},
	}
}

func testConfigFlags(cfg *testConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.BoolVar(&cfg.LeaderElection.LeaderElect, "leader-elect", cfg.LeaderElection.LeaderElect, "")
	fs.DurationVar(&cfg.LeaderElection.LeaseDuration.Duration, "leader-elect-lease-duration", cfg.LeaderElection.LeaseDuration.Duration, "")
	fs.Int32Var(&cfg.Parallelism, "parallelism", cfg.Parallelism, "")
	fs.StringSliceVar(&cfg.Names, "names", cfg.Names, "")
	fs.StringToStringVar(&cfg.Labels, "labels", cfg.Labels, "")
	return fs
}

func TestLoadConfig(t *testing.T) {
	const prefix = "SKIFFTEST_"
	tests := []struct {
		name    string
		file    string // "" for no file
		env     map[string]string
		args    []string
		want    func(*testConfig)
		wantErr []string // substrings of the error
	}{
		{
			name: "defaults only",
			want: func(*testConfig) {},
		},
		{
			name: "file over defaults, absent fields kept, map keys keep their case",
			file: `
kind: KubeSchedulerConfiguration
leaderElection:
  leaseDuration: 20s
featureGates:
  SchedulerQueueingHints: true
profiles:
- schedulerName: default-scheduler
  plugins: [a, b]
clientConnection:
  qps: 50
`,
			want: func(c *testConfig) {
				c.LeaderElection.LeaseDuration.Duration = 20 * time.Second
				c.FeatureGates = map[string]bool{"SchedulerQueueingHints": true}
				c.Profiles = []testProfile{{SchedulerName: "default-scheduler", Plugins: []string{"a", "b"}}}
				c.Client = &testClient{QPS: 50}
			},
		},
		{
			name: "environment over file",
			file: "leaderElection: {leaseDuration: 20s, resourceName: from-file}\nparallelism: 4\n",
			env: map[string]string{
				prefix + "LEADERELECTION_LEASEDURATION": "25s",
				prefix + "LEADERELECTION_LEADERELECT":   "false",
				prefix + "PARALLELISM":                  "8",
				prefix + "CLIENTCONNECTION_BURST":       "100",
				prefix + "NAMES":                        "[x, z]",
				prefix + "UNRELATED_EXTRA_ARGS":         "--foo",
			},
			want: func(c *testConfig) {
				c.LeaderElection.LeaseDuration.Duration = 25 * time.Second
				c.LeaderElection.LeaderElect = false
				c.LeaderElection.ResourceName = "from-file"
				c.Parallelism = 8
				c.Client = &testClient{Burst: 100}
				c.Names = []string{"x", "z"}
			},
		},
		{
			name: "flags set on the command line over environment and file; unset flags do not",
			file: "leaderElection: {leaseDuration: 20s, leaderElect: false}\nparallelism: 4\nnames: [f]\nlabels: {a: file, b: file}\n",
			env:  map[string]string{prefix + "LEADERELECTION_LEASEDURATION": "25s"},
			args: []string{"--leader-elect-lease-duration=30s", "--names=c1,c2", "--labels=b=flag,c=flag"},
			want: func(c *testConfig) {
				c.LeaderElection.LeaseDuration.Duration = 30 * time.Second
				c.LeaderElection.LeaderElect = false
				c.Parallelism = 4
				c.Names = []string{"c1", "c2"}
				c.Labels = map[string]string{"a": "file", "b": "flag", "c": "flag"}
			},
		},
		{
			name:    "unknown fields are named with their path",
			file:    "leaderElection:\n  leaseDuratoin: 20s\nprofiles:\n- pluginz: []\nLeaderElection: {}\n",
			wantErr: []string{`unknown field "leaderElection.leaseDuratoin"`, `unknown field "profiles[0].pluginz"`, `unknown field "LeaderElection"`},
		},
		{
			name:    "wrong types are named with their path",
			file:    "leaderElection:\n  leaseDuration: 15\n  leaderElect: sometimes\nparallelism: many\nprofiles: {}\n",
			wantErr: []string{"leaderElection.leaseDuration: Invalid value: 15", `leaderElection.leaderElect: Invalid value: "sometimes"`, `parallelism: Invalid value: "many"`, "profiles: Invalid value"},
		},
		{
			name:    "bad duration text is named",
			file:    "leaderElection: {leaseDuration: soon}\n",
			wantErr: []string{`leaderElection.leaseDuration: Invalid value: "soon"`},
		},
		{
			name:    "Validate runs last and names the field",
			file:    "leaderElection: {leaseDuration: -1s}\n",
			wantErr: []string{`leaderElection.leaseDuration: Invalid value: "-1s": must be greater than zero`},
		},
		{
			name:    "Validate sees the flag's value",
			args:    []string{"--leader-elect-lease-duration=0s"},
			wantErr: []string{`leaderElection.leaseDuration: Invalid value: "0s"`},
		},
		{
			name:    "a bad environment value names the variable",
			env:     map[string]string{prefix + "PARALLELISM": "lots"},
			wantErr: []string{prefix + "PARALLELISM", `parallelism: Invalid value: "lots"`},
		},
		{
			name:    "duplicate keys",
			file:    "parallelism: 1\nparallelism: 2\n",
			wantErr: []string{"parallelism"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			path := ""
			if tt.file != "" {
				path = filepath.Join(t.TempDir(), "config.yaml")
				if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg := defaultTestConfig()
			fs := testConfigFlags(cfg)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := LoadConfig(path, prefix, cfg, fs)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("LoadConfig() = nil, want errors %q", tt.wantErr)
				}
				for _, want := range tt.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q lacks %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaultTestConfig()
			tt.want(want)
			if !reflect.DeepEqual(cfg, want) {
				t.Errorf("config\n got %+v\nwant %+v", cfg, want)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	cfg := defaultTestConfig()
	if err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml"), "", cfg, nil); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: got %v, want an error naming it", err)
	}
	if err := LoadConfig("", "", *cfg, nil); err == nil {
		t.Error("a struct value, not a pointer: got nil error")
	}
}
