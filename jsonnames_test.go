package linkwork_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// externalNames lists, by design, the packages whose JSON is an external
// standard's, and the form of that standard's field names. Their structs
// that mirror the standard's resources carry its names, not this library's,
// because the standard fixes them: FHIR R4 element names are lowerCamelCase
// ("resourceType", "authoredOn", "statusReason"). A field there must still
// carry an explicit JSON name, snake_case (the package's own types, such as
// fhir.Records) or the standard's form. Open Referral HSDS 3, written by
// prescribing/openreferral, names its fields in snake_case itself and needs
// no entry.
var externalNames = map[string]*regexp.Regexp{
	"prescribing/fhir": regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`), // FHIR R4: lowerCamelCase
}

// TestJSONFieldNamesAreSnakeCaseEverywhere reads every exported struct type
// of every package of the module, examples included, and requires each of
// its exported fields to carry a snake_case JSON name or "-": a field
// without a tag would be written under its Go name ("ContactsPerPerson").
// A type that writes its own JSON (MarshalJSON or MarshalText in the same
// package) is its own judge and is skipped. The packages of externalNames
// may also use their standard's form of name.
func TestJSONFieldNamesAreSnakeCaseEverywhere(t *testing.T) {
	fset := token.NewFileSet()
	snake := eventtest.SnakeCase()
	checked := 0
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "testdata" || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		if f.Name.Name == "main" {
			return nil // a program's own types are not the library's API
		}
		selfEncoding := marshalers(t, filepath.Dir(path))
		standard := externalNames[filepath.ToSlash(filepath.Dir(path))]
		if standard != nil {
			seen[filepath.ToSlash(filepath.Dir(path))] = true
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, spec := range g.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() || selfEncoding[ts.Name.Name] {
					continue
				}
				for _, field := range st.Fields.List {
					for _, name := range field.Names {
						if !name.IsExported() {
							continue
						}
						checked++
						tag := ""
						if field.Tag != nil {
							raw, _ := strconv.Unquote(field.Tag.Value)
							tag = reflect.StructTag(raw).Get("json")
						}
						jsonName, _, _ := strings.Cut(tag, ",")
						assert.True(t, jsonName == "-" || snake.MatchString(jsonName) || (standard != nil && standard.MatchString(jsonName)),
							"%s: %s.%s is written to JSON as %q; give it a snake_case name or \"-\"", path, ts.Name.Name, name.Name, orGoName(jsonName, name.Name))
					}
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 100, "the walk found the library's fields")
	for dir := range externalNames {
		assert.True(t, seen[dir], "externalNames lists %s, which the walk did not find: remove it", dir)
	}
}

func orGoName(jsonName, goName string) string {
	if jsonName == "" {
		return goName
	}
	return jsonName
}

// marshalers returns the types of the package in dir that have a
// MarshalJSON or MarshalText method.
func marshalers(t *testing.T, dir string) map[string]bool {
	out := map[string]bool{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || (fn.Name.Name != "MarshalJSON" && fn.Name.Name != "MarshalText") {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				out[id.Name] = true
			}
		}
	}
	return out
}
