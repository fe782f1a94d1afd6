package core

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Column definitions shared by most kinds, described as upstream does.
var (
	objectMetaDoc = metav1.ObjectMeta{}.SwaggerDoc()
	nameColumn    = metav1.TableColumnDefinition{Name: "Name", Type: "string", Format: "name", Description: objectMetaDoc["name"]}
	ageColumn     = metav1.TableColumnDefinition{Name: "Age", Type: "string", Description: objectMetaDoc["creationTimestamp"]}
)

// rowFunc renders one object's cells, wide-only cells included, in the
// order of the columns.
type rowFunc func(obj storage.Object, now time.Time) ([]any, error)

// tableOf builds a TableFunc: all columns when wide (what kube-apiserver
// answers), otherwise the columns of priority 0 and their cells.
func tableOf(columns []metav1.TableColumnDefinition, now func() time.Time, row rowFunc) registry.TableFunc {
	return func(objs []storage.Object, wide bool) (*metav1.Table, error) {
		at := now()
		var err error
		t := registry.Table(visibleColumns(columns, wide), objs, func(obj storage.Object) []any {
			cells, rerr := row(obj, at)
			if rerr != nil && err == nil {
				err = rerr
			}
			return visibleCells(columns, cells, wide)
		})
		if err != nil {
			return nil, err
		}
		return t, nil
	}
}

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

func unexpectedType(obj storage.Object) error {
	return fmt.Errorf("unexpected object %T", obj)
}

// age is the AGE cell.
func age(obj storage.Object, now time.Time) string {
	return registry.Age(obj.GetCreationTimestamp(), now)
}

// orNone is s, or "<none>" when empty.
func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// containerCells lays out the names and images of containers, each on
// one line, as the CONTAINERS and IMAGES columns show them.
func containerCells(containers []corev1.Container) (names, images string) {
	n := make([]string, len(containers))
	im := make([]string, len(containers))
	for i, c := range containers {
		n[i], im[i] = c.Name, c.Image
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}
