package fakeapi

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// The server speaks JSON only; it reads YAML bodies too, as upstream does.
// Protobuf and the Table and PartialObjectMetadata renderings are not
// served.
var (
	bodyMediaTypes   = []string{"application/json", "application/yaml"}
	answerMediaTypes = []string{"application/json"}
)

// acceptsJSON says whether the Accept header lets the server answer JSON;
// upstream answers 406 otherwise.
func acceptsJSON(header string) bool {
	if strings.TrimSpace(header) == "" {
		return true
	}
	for _, part := range strings.Split(header, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["as"] != "" {
			continue
		}
		switch mt {
		case "application/json", "application/*", "*/*":
			return true
		}
	}
	return false
}

func notAcceptable() error {
	err := apierrors.NewGenericServerResponse(http.StatusNotAcceptable, "", schema.GroupResource{}, "", "", 0, false)
	err.ErrStatus.Message = "only the following media types are accepted: " + strings.Join(answerMediaTypes, ", ")
	err.ErrStatus.Details = nil
	return err
}

// objectBody returns the body of a create or update as JSON: a missing
// Content-Type means JSON, YAML is converted, anything else is a 415.
func objectBody(c *call) ([]byte, error) {
	ct := c.r.Header.Get("Content-Type")
	if ct == "" {
		return c.body, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, unsupportedMediaType(bodyMediaTypes)
	}
	switch mt {
	case "application/json":
		return c.body, nil
	case "application/yaml":
		out, err := yaml.YAMLToJSON(c.body)
		if err != nil {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("couldn't get version/kind; yaml parse error: %v", err))
		}
		return out, nil
	}
	return nil, unsupportedMediaType(bodyMediaTypes)
}

// unsupportedMediaType is upstream's 415, listing what the server takes.
func unsupportedMediaType(accepted []string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status:  metav1.StatusFailure,
		Code:    http.StatusUnsupportedMediaType,
		Reason:  metav1.StatusReasonUnsupportedMediaType,
		Message: "the body of the request was in an unknown format - accepted media types include: " + strings.Join(accepted, ", "),
	}}
}
