package main

import (
	"fmt"
	"io"
	"time"
)

// meter shows a run's progress on one line of a terminal: replications
// done, their rate and the time left, once the run has lasted a second,
// at most ten times a second. A nil meter shows nothing.
type meter struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	shown bool
	width int
}

func newMeter(w io.Writer, now func() time.Time) *meter {
	t := now()
	return &meter{w: w, now: now, start: t}
}

// update is called as each replication comes through.
func (m *meter) update(done, total int) {
	if m == nil {
		return
	}
	t := m.now()
	elapsed := t.Sub(m.start)
	if elapsed < time.Second || (t.Sub(m.last) < 100*time.Millisecond && done < total) {
		return
	}
	m.last = t
	m.show(progressLine(done, total, elapsed))
}

// progressLine says how far a run has got.
func progressLine(done, total int, elapsed time.Duration) string {
	rate := float64(done) / elapsed.Seconds()
	line := fmt.Sprintf("simulation: %d/%d replications, %.3g a second", done, total, rate)
	if done > 0 && done < total {
		left := time.Duration(float64(total-done) / rate * float64(time.Second))
		line += ", about " + left.Round(time.Second).String() + " left"
	}
	return line
}

func (m *meter) show(line string) {
	pad := max(0, m.width-len(line))
	fmt.Fprintf(m.w, "\r%s%*s", line, pad, "")
	m.width = len(line)
	m.shown = true
}

// finish clears the line, if one was shown.
func (m *meter) finish() {
	if m == nil || !m.shown {
		return
	}
	fmt.Fprintf(m.w, "\r%*s\r", m.width, "")
}
