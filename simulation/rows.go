package simulation

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ErrColumns reports rows written together whose columns differ: a table
// of data has the same columns, in the same order, in every row.
var ErrColumns = errors.New("rows with different columns")

// Column is one named value of a row of output: a replication's result, a
// point of a time series, or an arm's parameter.
type Column struct {
	// Key names the column: the CSV header, the JSON key.
	Key string `json:"key"`
	// Value is the value as text, as the CSV and JSON writers write it. A
	// value that reads as a JSON number is written to JSON as a number,
	// any other as a string.
	Value string `json:"value"`
	// Measure marks a measured number that summaries average
	// ([Summary]): not an identifier (replication, seed, day) or a
	// parameter.
	Measure bool `json:"measure"`
}

// Row is what the writers take: anything that lists its columns, in the
// order they are written. A model's result type implements it, and so can
// any model's on the engine.
type Row interface {
	Row() []Column
}

// Count returns a measured column holding an integer.
func Count(key string, v int) Column {
	return Column{Key: key, Value: strconv.Itoa(v), Measure: true}
}

// Measured returns a measured column holding a number, written with at
// most 6 decimals.
func Measured(key string, v float64) Column {
	return Column{Key: key, Value: formatFloat(v), Measure: true}
}

// Label returns a column that identifies a row rather than measures it: a
// replication, a seed, a day, a parameter.
func Label(key, v string) Column { return Column{Key: key, Value: v} }

// ColumnKeys returns the keys of columns, in order.
func ColumnKeys(cols []Column) []string {
	keys := make([]string, len(cols))
	for i, c := range cols {
		keys[i] = c.Key
	}
	return keys
}

// CSVWriter writes rows as CSV: a header of the first row's keys, then a
// line per row, each written to the underlying writer as soon as it is
// given, so that an interrupted run keeps every row written. Values with a
// comma, a quote or a line break are quoted (RFC 4180).
//
// A CSVWriter is not safe for concurrent use.
type CSVWriter struct {
	w    *csv.Writer
	keys []string
}

// NewCSVWriter returns a writer of CSV rows to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one row made of the columns of parts in order (an arm's
// parameters, then a result, for instance). A row whose keys differ from
// the first row's is an error wrapping [ErrColumns], and is not written.
func (c *CSVWriter) Write(parts ...[]Column) error {
	cols := slices.Concat(parts...)
	keys := ColumnKeys(cols)
	if c.keys == nil {
		if err := c.header(keys); err != nil {
			return err
		}
	} else if err := checkSameKeys(c.keys, keys); err != nil {
		return err
	}
	vals := make([]string, len(cols))
	for i, col := range cols {
		vals[i] = col.Value
	}
	if err := c.w.Write(vals); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

// header writes the header of keys, which every row must then have: the
// first row's, or a table's known before any row (one without rows still
// has its header).
func (c *CSVWriter) header(keys []string) error {
	if err := checkUniqueKeys(keys); err != nil {
		return err
	}
	c.keys = keys
	if err := c.w.Write(keys); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

// checkSameKeys refuses a row whose keys are not the first row's.
func checkSameKeys(first, keys []string) error {
	if !slices.Equal(keys, first) {
		return fmt.Errorf("%w: want %s, got %s", ErrColumns, strings.Join(first, ","), strings.Join(keys, ","))
	}
	return nil
}

// JSONWriter writes rows as JSON Lines: one object per row, its keys in
// the row's order, each line written as soon as it is given.
//
// A JSONWriter is not safe for concurrent use.
type JSONWriter struct {
	w    io.Writer
	keys []string
	buf  []byte
}

// NewJSONWriter returns a writer of JSON Lines to w.
func NewJSONWriter(w io.Writer) *JSONWriter { return &JSONWriter{w: w} }

// Write writes one row made of the columns of parts in order; like
// [CSVWriter.Write], every row must have the first row's keys.
func (j *JSONWriter) Write(parts ...[]Column) error {
	cols := slices.Concat(parts...)
	keys := ColumnKeys(cols)
	if j.keys == nil {
		if err := checkUniqueKeys(keys); err != nil {
			return err
		}
		j.keys = keys
	} else if err := checkSameKeys(j.keys, keys); err != nil {
		return err
	}
	b := append(j.buf[:0], '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.Key)
		b = append(b, ':')
		if isJSONNumber(c.Value) {
			b = append(b, c.Value...)
		} else {
			b = appendJSONString(b, c.Value)
		}
	}
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// isJSONNumber reports whether s is a number as JSON writes one.
func isJSONNumber(s string) bool {
	if s == "" || !(s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && string(n) == s
}

func checkUniqueKeys(keys []string) error {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			return fmt.Errorf("%w: the column %q appears twice", ErrColumns, k)
		}
		seen[k] = true
	}
	return nil
}
