package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSameEvent(t *testing.T) {
	type inner struct {
		Tags []string
		M    map[string]int
	}
	type ev struct {
		At    time.Time
		Name  string
		n     int
		In    inner
		P     *int
		F     float64
		Items [2]uint8
	}
	one, two := 1, 2
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	base := ev{At: at, Name: "a", n: 1, In: inner{Tags: []string{}, M: map[string]int{}}, P: &one, F: 1.5}
	assert.True(t, sameEvent(base, base))
	nils := base
	nils.In = inner{}
	assert.True(t, sameEvent(base, nils), "nil and empty slices and maps are the same")
	eq := base
	eq.P = new(int)
	*eq.P = 1
	assert.True(t, sameEvent(base, eq), "pointers compare by what they point to")
	for name, change := range map[string]func(*ev){
		"text":        func(e *ev) { e.Name = "\ufffd" },
		"unexported":  func(e *ev) { e.n = 2 },
		"time":        func(e *ev) { e.At = at.Add(1) },
		"slice":       func(e *ev) { e.In.Tags = []string{"x"} },
		"map":         func(e *ev) { e.In.M = map[string]int{"x": 1} },
		"pointer":     func(e *ev) { e.P = &two },
		"nil pointer": func(e *ev) { e.P = nil },
		"float":       func(e *ev) { e.F = 2 },
		"array":       func(e *ev) { e.Items[1] = 1 },
	} {
		c := base
		change(&c)
		assert.False(t, sameEvent(base, c), name)
	}
	assert.False(t, sameEvent(base, 1), "other type")
	assert.False(t, sameEvent(nil, base))
}
