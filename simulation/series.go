package simulation

import (
	"bufio"
	"io"
	"strconv"
)

// SeriesPoint is the state of one replication at one time of its time
// series, after every event at that instant. Day counts from the start of
// the measured window.
type SeriesPoint struct {
	Replication    int     `json:"replication"`
	Day            float64 `json:"day"`
	Waiting        int     `json:"waiting"`
	OpenCases      int     `json:"open_cases"`
	InHolding      int     `json:"in_holding"`
	WorkersPresent int     `json:"workers_present"`
	WorkersLiminal int     `json:"workers_liminal"`
	PlacesInUse    int     `json:"places_in_use"`
}

// SeriesKeys returns the time series' columns in order, as in the CSV
// header of [WriteSeriesCSV].
func SeriesKeys() []string {
	return []string{"replication", "day", "waiting", "open_cases", "in_holding", "workers_present", "workers_liminal", "places_in_use"}
}

// Row returns the point's columns in the order of [SeriesKeys]: the
// replication and day identify it, the others are measured.
func (p SeriesPoint) Row() []Column {
	return []Column{Label("replication", strconv.Itoa(p.Replication)), Label("day", formatFloat(p.Day)),
		Count("waiting", p.Waiting), Count("open_cases", p.OpenCases), Count("in_holding", p.InHolding),
		Count("workers_present", p.WorkersPresent), Count("workers_liminal", p.WorkersLiminal),
		Count("places_in_use", p.PlacesInUse)}
}

// WriteSeriesCSV writes the time series of the results, which [Run] keeps
// when [Options].Series is set: a header and a row per replication and
// time, ordered by replication (the order of results) and then by day.
func WriteSeriesCSV(w io.Writer, results []Result) error {
	b := bufio.NewWriter(w)
	cw := NewCSVWriter(b)
	if err := cw.header(SeriesKeys()); err != nil {
		return err
	}
	for _, r := range results {
		for _, p := range r.Series {
			if err := cw.Write(p.Row()); err != nil {
				return err
			}
		}
	}
	return b.Flush()
}
