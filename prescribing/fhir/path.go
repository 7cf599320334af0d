package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Errors of reading FHIR.
var (
	// ErrInvalidResource reports FHIR input that is not what the importer
	// reads: malformed JSON, a missing element, an element of the wrong
	// type or an invalid value. The error is a [*PathError] naming the
	// element.
	ErrInvalidResource = errors.New("invalid FHIR resource")
	// ErrTooLarge reports input longer than [MaxInputBytes].
	ErrTooLarge = errors.New("FHIR input too large")
)

// MaxInputBytes bounds what [ImportReferral] reads: 1 MiB, far more than a
// referral Bundle needs.
const MaxInputBytes = 1 << 20

// PathError is the error of an element that is missing or invalid. Path
// is its FHIR path ("Bundle.entry[1].resource.identifier[0].value") and
// Problem says what is wrong with it. Neither ever holds the element's
// value, which may be personal data (rule PRIV-1). It matches
// [ErrInvalidResource] with errors.Is.
type PathError struct {
	Path    string `json:"path"`
	Problem string `json:"problem"`
	// Err is a further sentinel the problem wraps, if any (such as
	// [prescribing.ErrInvalidText]). An error has no JSON form.
	Err error `json:"-"`
}

// Error returns "invalid FHIR resource: <path>: <problem>".
func (e *PathError) Error() string {
	return ErrInvalidResource.Error() + ": " + e.Path + ": " + e.Problem
}

// Is reports whether target is [ErrInvalidResource].
func (e *PathError) Is(target error) bool { return target == ErrInvalidResource }

// Unwrap returns the further sentinel, if any.
func (e *PathError) Unwrap() error { return e.Err }

// node is one element of decoded JSON and its FHIR path.
type node struct {
	path    string
	v       any
	present bool
}

func (n node) fail(problem string) error { return &PathError{Path: n.path, Problem: problem} }

// decode reads one JSON value from at most MaxInputBytes of r.
func decode(r io.Reader, root string) (node, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return node{}, fmt.Errorf("%w: reading: %w", ErrInvalidResource, err)
	}
	if len(data) > MaxInputBytes {
		return node{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxInputBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return node{}, &PathError{Path: root, Problem: describe(err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return node{}, &PathError{Path: root, Problem: "data after the JSON value"}
	}
	return node{path: root, v: v, present: true}, nil
}

// describe says what is wrong with JSON that did not decode, never quoting
// it.
func describe(err error) string {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return "malformed JSON at offset " + strconv.FormatInt(syntax.Offset, 10)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON is empty or cut short"
	default:
		return "not JSON"
	}
}

func (n node) get(key string) node {
	m, _ := n.v.(map[string]any)
	v, ok := m[key]
	return node{path: n.path + "." + key, v: v, present: ok}
}

// object checks that n is a JSON object.
func (n node) object() error {
	if _, ok := n.v.(map[string]any); !ok {
		if !n.present {
			return n.fail("is missing")
		}
		return n.fail("is not a JSON object")
	}
	return nil
}

// list returns the items of an array, none if n is absent.
func (n node) list() ([]node, error) {
	if !n.present {
		return nil, nil
	}
	a, ok := n.v.([]any)
	if !ok {
		return nil, n.fail("is not a JSON array")
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{path: n.path + "[" + strconv.Itoa(i) + "]", v: v, present: true}
	}
	return out, nil
}

// str returns a string element, "" if n is absent.
func (n node) str() (string, error) {
	if !n.present {
		return "", nil
	}
	s, ok := n.v.(string)
	if !ok {
		return "", n.fail("is not a JSON string")
	}
	return s, nil
}

// required returns a string element that must be present and not empty.
func (n node) required() (string, error) {
	s, err := n.str()
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", n.fail("is missing")
	}
	return s, nil
}
