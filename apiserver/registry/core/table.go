package core

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// objectMetaDoc describes the metadata columns, as upstream does.
var objectMetaDoc = metav1.ObjectMeta{}.SwaggerDoc()

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
