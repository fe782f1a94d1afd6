package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// tableColumns interleaves wide-only columns with the others.
var tableColumns = []metav1.TableColumnDefinition{
	{Name: "Name", Type: "string"},
	{Name: "Node", Type: "string", Priority: 1},
	{Name: "Age", Type: "string"},
	{Name: "IP", Type: "string", Priority: 1},
}

var tableStart = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

func tableObj(name string) storage.Object {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(tableStart)}}
}

// fullRow fills every column: name, node, age, IP.
func fullRow(obj storage.Object, now time.Time) ([]any, error) {
	return []any{obj.GetName(), "node-" + obj.GetName(), Age(obj.GetCreationTimestamp(), now), "10.0.0.1"}, nil
}

func columnNames(t *metav1.Table) []string {
	names := make([]string, len(t.ColumnDefinitions))
	for i, c := range t.ColumnDefinitions {
		names[i] = c.Name
	}
	return names
}

func cells(t *metav1.Table) [][]any {
	out := make([][]any, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r.Cells
	}
	return out
}

func TestRowsColumns(t *testing.T) {
	at := func() time.Time { return tableStart.Add(5 * time.Minute) }
	short := func(obj storage.Object, _ time.Time) ([]any, error) { return []any{obj.GetName()}, nil }
	tests := []struct {
		name        string
		row         RowFunc
		objs        []storage.Object
		wide        bool
		wantColumns []string
		wantCells   [][]any
	}{{
		name:        "wide has every column and cell",
		row:         fullRow,
		objs:        []storage.Object{tableObj("a"), tableObj("b")},
		wide:        true,
		wantColumns: []string{"Name", "Node", "Age", "IP"},
		wantCells:   [][]any{{"a", "node-a", "5m", "10.0.0.1"}, {"b", "node-b", "5m", "10.0.0.1"}},
	}, {
		name:        "narrow drops the wide-only columns and their cells",
		row:         fullRow,
		objs:        []storage.Object{tableObj("a"), tableObj("b")},
		wantColumns: []string{"Name", "Age"},
		wantCells:   [][]any{{"a", "5m"}, {"b", "5m"}},
	}, {
		name:        "narrow keeps a row of another length as it is",
		row:         short,
		objs:        []storage.Object{tableObj("a")},
		wantColumns: []string{"Name", "Age"},
		wantCells:   [][]any{{"a"}},
	}, {
		name:        "no objects",
		row:         fullRow,
		wide:        true,
		wantColumns: []string{"Name", "Node", "Age", "IP"},
		wantCells:   [][]any{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, err := Rows(tableColumns, at, tt.row)(tt.objs, tt.wide)
			if err != nil {
				t.Fatalf("table: %v", err)
			}
			if got := columnNames(table); !reflect.DeepEqual(got, tt.wantColumns) {
				t.Errorf("columns = %q, want %q", got, tt.wantColumns)
			}
			if got := cells(table); !reflect.DeepEqual(got, tt.wantCells) {
				t.Errorf("cells = %#v, want %#v", got, tt.wantCells)
			}
		})
	}
	if len(tableColumns) != 4 || tableColumns[1].Name != "Node" {
		t.Errorf("narrow tables changed the columns given: %+v", tableColumns)
	}
}

// An empty table has rows [], as upstream answers, not null.
func TestRowsEmptyJSON(t *testing.T) {
	table, err := Rows(tableColumns, time.Now, fullRow)(nil, false)
	if err != nil {
		t.Fatalf("table: %v", err)
	}
	b, err := json.Marshal(table)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"rows":[]`) {
		t.Errorf("json = %s, want rows []", b)
	}
}

func TestRowsError(t *testing.T) {
	errB, errC := errors.New("bad b"), errors.New("bad c")
	row := func(obj storage.Object, now time.Time) ([]any, error) {
		switch obj.GetName() {
		case "b":
			return nil, fmt.Errorf("object b: %w", errB)
		case "c":
			return nil, errC
		}
		return fullRow(obj, now)
	}
	tests := []struct {
		name string
		objs []storage.Object
		want error
	}{
		{name: "one bad row", objs: []storage.Object{tableObj("a"), tableObj("b")}, want: errB},
		{name: "the first bad row", objs: []storage.Object{tableObj("a"), tableObj("b"), tableObj("c")}, want: errB},
		{name: "first of others", objs: []storage.Object{tableObj("c"), tableObj("b")}, want: errC},
	}
	for _, tt := range tests {
		for _, wide := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s wide=%v", tt.name, wide), func(t *testing.T) {
				table, err := Rows(tableColumns, time.Now, row)(tt.objs, wide)
				if !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
				if table != nil {
					t.Errorf("table = %+v with an error", table)
				}
			})
		}
	}
}

// The clock is read once per table: every row of one table has the same
// now, and the next table reads it again.
func TestRowsTimeOncePerCall(t *testing.T) {
	calls := 0
	clock := func() time.Time {
		calls++
		return tableStart.Add(time.Duration(calls) * time.Hour)
	}
	var seen []time.Time
	row := func(obj storage.Object, now time.Time) ([]any, error) {
		seen = append(seen, now)
		return fullRow(obj, now)
	}
	render := Rows(tableColumns, clock, row)
	if calls != 0 {
		t.Fatalf("clock read %d times before any table", calls)
	}
	objs := []storage.Object{tableObj("a"), tableObj("b"), tableObj("c")}
	for i, want := range []string{"60m", "120m"} {
		seen = nil
		table, err := render(objs, false)
		if err != nil {
			t.Fatalf("table %d: %v", i, err)
		}
		if calls != i+1 {
			t.Errorf("after table %d the clock was read %d times, want %d", i, calls, i+1)
		}
		at := tableStart.Add(time.Duration(i+1) * time.Hour)
		if !reflect.DeepEqual(seen, []time.Time{at, at, at}) {
			t.Errorf("table %d: rows saw %v, want %v three times", i, seen, at)
		}
		for _, r := range table.Rows {
			if r.Cells[1] != want {
				t.Errorf("table %d: age %v, want %s", i, r.Cells[1], want)
			}
		}
	}
}
