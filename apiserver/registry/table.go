package registry

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// RowFunc renders one object's cells in the order of its table's columns,
// wide-only (priority 1) cells included, with now as the time the AGE
// and other relative cells are measured from.
type RowFunc func(obj storage.Object, now time.Time) ([]any, error)

// Rows builds a kind's TableFunc from its columns and its row function.
// Each call reads now once, so every row of one table is measured from
// the same instant. Wide, the table has every column and every cell;
// otherwise it has the columns of priority 0 and, from each row of as
// many cells as there are columns, their cells (a row of another length
// is kept as it is). The first row error fails the whole table.
func Rows(columns []metav1.TableColumnDefinition, now func() time.Time, row RowFunc) TableFunc {
	return func(objs []storage.Object, wide bool) (*metav1.Table, error) {
		at := now()
		t := &metav1.Table{ColumnDefinitions: visibleColumns(columns, wide), Rows: make([]metav1.TableRow, len(objs))}
		for i, obj := range objs {
			cells, err := row(obj, at)
			if err != nil {
				return nil, err
			}
			t.Rows[i] = metav1.TableRow{Cells: visibleCells(columns, cells, wide)}
		}
		return t, nil
	}
}

// visibleColumns is columns, or unless wide those of priority 0.
func visibleColumns(columns []metav1.TableColumnDefinition, wide bool) []metav1.TableColumnDefinition {
	if wide {
		return columns
	}
	out := make([]metav1.TableColumnDefinition, 0, len(columns))
	for _, c := range columns {
		if c.Priority == 0 {
			out = append(out, c)
		}
	}
	return out
}

// visibleCells is cells, or unless wide the cells of the priority 0
// columns when there is one cell a column.
func visibleCells(columns []metav1.TableColumnDefinition, cells []any, wide bool) []any {
	if wide || len(cells) != len(columns) {
		return cells
	}
	out := make([]any, 0, len(cells))
	for i, c := range columns {
		if c.Priority == 0 {
			out = append(out, cells[i])
		}
	}
	return out
}
