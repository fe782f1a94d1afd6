package scheme

import (
	"bytes"
	"reflect"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestDecodeProtobufAsTheGeneralDecoder: the direct decode of a stored
// object gives what apimachinery's protobuf decoder gives.
func TestDecodeProtobufAsTheGeneralDecoder(t *testing.T) {
	codecs := NewCodecs(New())
	c := codecs.Storage()
	replicas := int32(3)
	for _, obj := range []runtime.Object{
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", Labels: map[string]string{"a": "b"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm"}, Data: map[string]string{"k": "v"}},
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "d"}, Spec: appsv1.DeploymentSpec{Replicas: &replicas}},
		&corev1.Namespace{},
	} {
		data, err := c.Encode(obj)
		if err != nil {
			t.Fatal(err)
		}
		direct := reflect.New(reflect.TypeOf(obj).Elem()).Interface().(runtime.Object)
		done, err := codecs.decodeProtobuf(data, direct)
		if !done || err != nil {
			t.Fatalf("%T: decoded directly %v, %v", obj, done, err)
		}
		general := reflect.New(reflect.TypeOf(obj).Elem()).Interface().(runtime.Object)
		if _, _, err := codecs.Protobuf.Decode(data, nil, general); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(direct, general) {
			t.Errorf("%T:\ndirect  %+v\ngeneral %+v", obj, direct, general)
		}
	}
}

// TestDecodeProtobufLeavesTheRest: envelopes the direct decode does not
// read are left to the general decoder, untouched.
func TestDecodeProtobufLeavesTheRest(t *testing.T) {
	codecs := NewCodecs(New())
	c := codecs.Storage()
	data, err := c.Encode(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm"}})
	if err != nil {
		t.Fatal(err)
	}
	body := data[len(protobufMagic):]
	encoded := append(append([]byte(nil), data...), protowire.AppendTag(nil, 3, protowire.BytesType)...)
	encoded = protowire.AppendString(encoded, "gzip")
	for name, tc := range map[string]struct {
		data []byte
		into runtime.Object
	}{
		"another kind":     {data, &corev1.Secret{}},
		"content encoding": {encoded, &corev1.ConfigMap{}},
		"truncated":        {data[:len(data)-3], &corev1.ConfigMap{}},
		"no kind":          {append(append([]byte(nil), protobufMagic...), protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), nil)...), &corev1.ConfigMap{}},
	} {
		into := tc.into.DeepCopyObject()
		done, err := codecs.decodeProtobuf(tc.data, into)
		if done || err != nil {
			t.Errorf("%s: decoded directly (%v, %v)", name, done, err)
		}
		if !reflect.DeepEqual(into, tc.into) {
			t.Errorf("%s: changed %+v", name, into)
		}
	}
	// A field the envelope does not know is skipped, as protobuf does.
	unknown := append(append([]byte(nil), data...), protowire.AppendVarint(protowire.AppendTag(nil, 9, protowire.VarintType), 7)...)
	var cm corev1.ConfigMap
	if done, err := codecs.decodeProtobuf(unknown, &cm); !done || err != nil || cm.Name != "cm" {
		t.Errorf("unknown envelope field: %v, %v, %+v", done, err, cm)
	}
	if !bytes.HasPrefix(data, protobufMagic) || len(body) == 0 {
		t.Fatal("not a protobuf envelope")
	}
}

// BenchmarkStorageDecodePod: a stored pod decoded straight from its
// envelope (direct), against apimachinery's protobuf decoder (general).
func BenchmarkStorageDecodePod(b *testing.B) {
	codecs := NewCodecs(New())
	c := codecs.Storage()
	data, err := c.Encode(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", Labels: map[string]string{"a": "b"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range []struct {
		name   string
		decode func(*corev1.Pod) error
	}{
		{"direct", func(p *corev1.Pod) error { return c.Decode(data, p) }},
		{"general", func(p *corev1.Pod) error { return runtime.DecodeInto(codecs.Protobuf, data, p) }},
	} {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var pod corev1.Pod
				if err := d.decode(&pod); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
