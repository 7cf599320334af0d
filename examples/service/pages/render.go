package pages

import (
	"bytes"
	"embed"
	"html/template"
	"io"
)

//go:embed templates/*.html
var files embed.FS

// templates are parsed once; html/template escapes every value by its
// context (text, attribute, URL), so free text such as a hold reason or an
// asset's name can never become markup. Executing a parsed template is safe
// for concurrent use, and nothing changes it after parsing.
var templates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"person": func(show bool, p Person) personCell { return personCell{Show: show, P: p} },
}).ParseFS(files, "templates/*.html"))

// personCell is what the "person" template needs: the person and whether
// the view may show their name.
type personCell struct {
	Show bool
	P    Person
}

// RenderCaseload writes the caseload page of v to w as HTML. The page is
// rendered in full before anything is written, so a failure writes nothing.
func RenderCaseload(w io.Writer, v CaseloadView) error {
	return render(w, "caseload.html", v)
}

// RenderSupervision writes the supervision page of v to w as HTML. The page
// is rendered in full before anything is written, so a failure writes
// nothing.
func RenderSupervision(w io.Writer, v SupervisionView) error {
	return render(w, "supervision.html", v)
}

func render(w io.Writer, name string, data any) error {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
