package fhir_test

import (
	"bytes"
	"fmt"
	"log/slog"
)

func sprint(v any) string     { return fmt.Sprintf("%v", v) }
func sprintPlus(v any) string { return fmt.Sprintf("%+v", v) }
func sprintGo(v any) string   { return fmt.Sprintf("%#v", v) }

func logJSON(buf *bytes.Buffer, v any) string {
	slog.New(slog.NewJSONHandler(buf, nil)).Info("imported", "inbound", v)
	return buf.String()
}
