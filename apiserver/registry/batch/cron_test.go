package batch

import "testing"

func TestCheckSchedule(t *testing.T) {
	tests := []struct {
		spec, err string
	}{
		{"*/5 * * * *", ""},
		{"0 3 * * mon-fri", ""},
		{"15,45 0-6/2 1 JAN,jul ?", ""},
		{"@hourly", ""},
		{"@every 90m", ""},
		{"TZ=UTC 0 0 * * *", ""},
		{"", "empty spec string"},
		{"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
		{"0 0 1 1 0 0", "expected exactly 5 fields, found 6: [0 0 1 1 0 0]"},
		{"60 * * * *", "end of range (60) above maximum (59): 60"},
		{"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
		{"5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"},
		{"*/0 * * * *", "step of range should be a positive number: */0"},
		{"x * * * *", `failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax`},
		{"1-2-3 * * * *", "too many hyphens: 1-2-3"},
		{"1/2/3 * * * *", "too many slashes: 1/2/3"},
		{"* * * foo *", `failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax`},
		{"@often", "unrecognized descriptor: @often"},
		{"@every soon", `failed to parse duration @every soon: time: invalid duration "soon"`},
		{"TZ=Mars/Base 0 0 * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := checkSchedule(tt.spec)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Fatalf("checkSchedule(%q) = %q, want %q", tt.spec, got, tt.err)
			}
		})
	}
}
